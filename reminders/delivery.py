"""Sending one reminder exactly once: claim the record, send the e-mail, mark it sent.

Whoever inserts the SentReminder row (its unique constraint lets only one in) or takes over a
claim whose worker has died (an atomic UPDATE … WHERE status='claimed' AND claimed_at < cutoff)
is the only one who sends. A re-run scan, an overlapping beat, a task delivered twice or a
retry finds the row and sends nothing.

THE ONE WINDOW THAT CAN STILL DOUBLE A MAIL: from the moment the mail server has accepted the
message (its "250" after DATA) until the UPDATE that marks the row `sent` has committed. A
worker killed in that window, or a database gone for longer than the mark's retries (about
8 s), leaves a claim that CLAIM_TIMEOUT later is taken over and sent again. The window is kept
to one round trip: the SMTP connection is opened before and closed (QUIT) after the mark, and
nothing else happens in between. The repeated mail keeps its Message-ID, so a receiving server
may drop it. A live send outlasting CLAIM_TIMEOUT (600 s) could also be taken over; the SMTP
timeout (30 s per socket operation) keeps a send far shorter.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import User
from programmes.models import Programme, SustainmentReview
from reminders import config, emails
from reminders.models import ReminderKind, ReminderStatus, SentReminder
from reminders.preferences import preference_kind, reminder_enabled
from reminders.scanner import Due
from seminars.models import Seminar
from teams.models import ImprovementTeam

log = logging.getLogger(__name__)

SENT, SKIPPED, TAKEN, FAILED = "sent", "skipped", "taken", "failed"

# By `ReminderKind` value (a `Due` carries the kind as the plain string it is stored as).
MODEL_OF_KIND: dict[
    str, type[Seminar] | type[ImprovementTeam] | type[Programme] | type[SustainmentReview]
] = {
    ReminderKind.SEMINAR: Seminar,  # seminar notices too (`reminders.notices`)
    ReminderKind.DATA: ImprovementTeam,
    ReminderKind.DATA_LATE: Programme,
    ReminderKind.MILESTONE: Programme,
    ReminderKind.SUSTAINMENT_REVIEW: SustainmentReview,
}


class SendFailed(Exception):
    """The mail could not be sent this time; the claim is kept for the retry."""


class MarkFailed(Exception):
    """The mail went out but the database would not record it; never retried."""


MARK_ATTEMPTS = 5  # 0.5 + 1 + 2 + 4 s of waiting: a locked or restarting database recovers


def _record(due: Due) -> QuerySet[SentReminder]:
    return SentReminder.objects.filter(
        kind=due.kind,
        object_id=due.object_id,
        recipient_id=due.recipient_id,
        occasion=due.occasion,
    )


def claim(due: Due, *, token: str, revision: str = "") -> SentReminder | None:
    """The record, claimed for `token`; None when someone else has it (or it is done)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                kind=due.kind,
                content_type=ContentType.objects.get_for_model(MODEL_OF_KIND[due.kind]),
                object_id=due.object_id,
                recipient_id=due.recipient_id,
                occasion=due.occasion,
                revision=revision,
                status=ReminderStatus.CLAIMED,
                claim_token=token,
                claimed_at=now,
                attempts=1,
            )
    except IntegrityError:
        pass
    # Our own claim again (a Celery retry keeps the task id), or one whose worker died. One
    # UPDATE decides it: of two workers racing here, the database lets only one match.
    taken = (
        _record(due)
        .filter(status=ReminderStatus.CLAIMED)
        .filter(Q(claim_token=token) | Q(claimed_at__lt=now - config.CLAIM_TIMEOUT))
        .update(claim_token=token, claimed_at=now, revision=revision, attempts=F("attempts") + 1)
    )
    return _record(due).get() if taken else None


def deliver(due: Due, *, token: str, final: bool = False) -> str:
    """Send the reminder unless it is done, someone else is on it, or it no longer applies.

    A failed send raises SendFailed (keeping the claim for the retry) until the attempts are
    used up or `final` is set; then the record is marked failed for an administrator to see.
    """
    recipient = User.objects.filter(pk=due.recipient_id, is_active=True).first()
    choice = preference_kind(due.kind, due.occasion)
    if recipient is None or not recipient.email or not reminder_enabled(recipient.pk, choice):
        return SKIPPED
    with translation.override(settings.LANGUAGE_CODE):
        draft = emails.prepare(due, recipient)
        if draft is None:
            return SKIPPED
        record = claim(due, token=token, revision=draft.revision)
        if record is None:
            return TAKEN
        connection = get_connection(timeout=config.SMTP_TIMEOUT)
        try:
            message = emails.render(draft, due, recipient, message_id=emails.message_id(record.pk))
            connection.open()
            connection.send_messages([message])
        except Exception as exc:  # noqa: BLE001 -- every failure is recorded, none is lost
            _close(connection)
            return _failed(record, token, exc, final=final)
        # The double-send window (see the module docstring) is open from here …
        try:
            marked = _mark_sent(record, token)
        finally:
            # … to here.
            _close(connection)
    if not marked:
        log.warning("Reminder %s was taken over while it was being sent: sent twice", due)
    return SENT


def _mark_sent(record: SentReminder, token: str) -> bool:
    """Mark the record sent, trying a while: the mail is out, so it must not be sent again.

    A database that stays unreachable raises MarkFailed, which is never retried; the claim then
    goes stale and is taken over, and the mail goes out twice (the window named above).
    """
    for attempt in range(MARK_ATTEMPTS):
        try:
            return bool(
                SentReminder.objects.filter(
                    pk=record.pk, claim_token=token, status=ReminderStatus.CLAIMED
                ).update(status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
            )
        except DatabaseError as exc:
            log.warning("Marking reminder %s sent failed (%s); trying again", record.pk, exc)
            close_old_connections()
            if attempt == MARK_ATTEMPTS - 1:
                raise MarkFailed(f"Reminder {record.pk} was sent but could not be marked") from exc
            time.sleep(0.5 * 2**attempt)
    return False


def _close(connection: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):  # the message is sent, or its failure recorded, already
        connection.close()


def _failed(record: SentReminder, token: str, exc: Exception, *, final: bool) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    give_up = final or record.attempts >= config.MAX_ATTEMPTS
    SentReminder.objects.filter(pk=record.pk, claim_token=token).update(
        last_error=error, status=ReminderStatus.FAILED if give_up else ReminderStatus.CLAIMED
    )
    if give_up:
        log.error("Reminder %s failed after %s attempts: %s", record, record.attempts, error)
        return FAILED
    raise SendFailed(error) from exc


def reminders_retry(records: QuerySet[SentReminder]) -> list[tuple[Due, str]]:
    """Give failed records a fresh claim; the caller sends each with its token as task id."""
    retried = []
    for record in records.filter(status=ReminderStatus.FAILED):
        token = uuid.uuid4().hex
        updated = SentReminder.objects.filter(pk=record.pk, status=ReminderStatus.FAILED).update(
            status=ReminderStatus.CLAIMED, claim_token=token, claimed_at=timezone.now(), attempts=0
        )
        if updated:
            due = Due(record.kind, record.object_id, record.recipient_id, record.occasion)
            retried.append((due, token))
    return retried
