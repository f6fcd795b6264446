"""The reminders' Celery tasks: beat runs the scan, which sends each due reminder as a task;
a change to a seminar runs `seminar_notices`, which does the same for that seminar at once."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import DatabaseError
from django.utils import timezone

from reminders import config
from reminders.delivery import SendFailed, deliver
from reminders.notices import event_dues
from reminders.scanner import Due, due_reminders
from reminders.timing import parse_at


@shared_task(name="lkt_portal.reminders.scan")
def scan_reminders(at: str | None = None) -> int:
    """Find every reminder due now (or at `at`, ISO) and send each as its own task."""
    due = due_reminders(parse_at(at) if at else timezone.now())
    for item in due:
        send_reminder.delay(*item.key)
    return len(due)


@shared_task(
    bind=True,
    name="lkt_portal.reminders.send",
    max_retries=config.MAX_ATTEMPTS - 1,
    acks_late=True,
)
def send_reminder(self: Task, kind: str, object_id: int, recipient_id: int, occasion: str) -> str:
    """Send one reminder exactly once; a failed send is retried with exponential backoff.

    The task id is the claim's token: a retry (same id) may pick up its own claim at once.
    A database error before the mail went out is retried too; after it (MarkFailed) never.
    """
    due = Due(kind, object_id, recipient_id, occasion)
    try:
        return deliver(due, token=self.request.id, final=self.request.retries >= self.max_retries)
    except (SendFailed, DatabaseError) as exc:
        raise self.retry(exc=exc, countdown=config.backoff(self.request.retries)) from exc


@shared_task(name="lkt_portal.reminders.seminar_notices", acks_late=True)
def seminar_notices(
    seminar_id: int, invitations: list[int] | None = None, registration_id: int | None = None
) -> int:
    """Send what a change to the seminar calls for; run twice, it finds everything sent."""
    due = event_dues(
        seminar_id,
        invitations=invitations or [],
        registration_id=registration_id,
        at=timezone.now(),
    )
    for item in due:
        send_reminder.delay(*item.key)
    return len(due)
