"""Sending: the e-mails themselves, the claim → send → mark cycle, failures, the command, tasks."""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections.abc import Iterator
from email.message import Message

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone
from icalendar import Calendar

from lkt_portal.celery import app as celery_app
from reminders import config
from reminders.delivery import (
    FAILED,
    SENT,
    SKIPPED,
    TAKEN,
    SendFailed,
    claim,
    deliver,
)
from reminders.models import ReminderKind, ReminderPreference, ReminderStatus, SentReminder
from reminders.scanner import Due, due_reminders
from reminders.tasks import scan_reminders, send_reminder
from seminars.services import seminar_cancel, seminar_update
from tests import factories as f
from tests.test_reminders_rules import AT, DataWorld, SeminarWorld, at_local

FAILING_BACKEND = "tests.test_reminders_delivery.RefusingBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a temporary refusal."""

    def send_messages(self, messages) -> int:
        raise smtplib.SMTPSenderRefused(451, b"4.3.0 Proev igen senere", "noreply@lkt.example.dk")


@pytest.fixture
def world(db, clock) -> SeminarWorld:
    clock.move_to(AT)  # the world is seen from AT (1 December 2026), so AT is now
    return SeminarWorld()


@pytest.fixture
def data(db, clock) -> DataWorld:
    clock.move_to(AT)
    return DataWorld()


def reminder_for(world: SeminarWorld, person, occasion: str = "reminder-14d-2026-12-15") -> Due:
    return Due(ReminderKind.SEMINAR, world.seminar.pk, person.pk, occasion)


def send(due: Due, **kwargs) -> str:
    return deliver(due, token=uuid.uuid4().hex, **kwargs)


def calendar_of(message) -> tuple[Calendar, Message]:
    part = next(
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    )
    return Calendar.from_ical(part.get_payload(decode=True)), part


def html_of(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


# The e-mails ---------------------------------------------------------------------------------


def test_a_seminar_reminder_is_a_danish_mail_with_a_calendar_invitation(world) -> None:
    assert send(reminder_for(world, world.participant)) == SENT

    (message,) = mail.outbox
    assert message.to == [world.participant.email]
    assert message.subject == f"Påmindelse: {world.seminar} den 15. december 2026"
    assert "tirsdag 15. december 2026 kl. 09.30–15.30" in message.body
    assert "Comwell Kolding" in html_of(message)
    calendar, part = calendar_of(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "seminar.ics"
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"seminar-{world.seminar.pk}@lkt-portalen"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == at_local(dt.date(2026, 12, 15), 9, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert str(event["ATTENDEE"]) == f"mailto:{world.participant.email}"
    assert calendar.walk("VTIMEZONE")


def test_every_mail_has_the_unsubscribe_and_preferences_links(world, data) -> None:
    lead = data.national_lead.pk
    dues = [
        reminder_for(world, world.lead),
        Due(ReminderKind.DATA, data.late.pk, data.member.pk, "2026-11:7d"),
        Due(ReminderKind.DATA_LATE, data.programme.pk, lead, "2026-11"),
        Due(ReminderKind.MILESTONE, data.programme.pk, lead, "sustainment-plan-2028-01-01"),
    ]
    for due in dues:
        assert send(due) == SENT, due
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert "/paamindelser/afmeld/" in unsubscribe
        assert unsubscribe in message.body
        assert unsubscribe in html_of(message)
        assert "http://127.0.0.1:8000/paamindelser/" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_unsubscribe_link_turns_that_kind_off_without_signing_in(world, client) -> None:
    send(reminder_for(world, world.participant))
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(config.site_url())

    assert client.get(path).status_code == 200
    assert not ReminderPreference.objects.exists()  # a GET (a link scanner) changes nothing
    response = client.post(path)

    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=world.participant, kind="seminar").enabled is False
    assert send(reminder_for(world, world.participant, "reminder-2d-2026-12-15")) == SKIPPED


def test_a_new_place_goes_out_as_an_update_with_a_higher_sequence(world) -> None:
    send(reminder_for(world, world.lead))
    seminar_update(seminar=world.seminar, by=None, place="Hotel Nyborg Strand")

    assert send(reminder_for(world, world.lead, "update-1")) == SENT

    message = mail.outbox[1]
    assert message.subject.startswith("Ændret:")
    assert "Hotel Nyborg Strand" in message.body
    (event,) = calendar_of(message)[0].walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"seminar-{world.seminar.pk}@lkt-portalen"


def test_a_reminder_after_a_change_says_that_it_changed(world) -> None:
    send(reminder_for(world, world.lead))
    seminar_update(
        seminar=world.seminar,
        by=None,
        starts_at=at_local(dt.date(2026, 12, 14), 9, 30),
        ends_at=at_local(dt.date(2026, 12, 14), 15, 30),
    )
    send(reminder_for(world, world.lead, "reminder-14d-2026-12-14"))
    assert mail.outbox[1].subject.startswith("Ændret:")
    assert "14. december 2026" in mail.outbox[1].body


def test_a_cancellation_cancels_the_calendar_event(world) -> None:
    send(reminder_for(world, world.lead))
    seminar_cancel(seminar=world.seminar, by=None, reason="For få tilmeldte")

    assert send(reminder_for(world, world.lead, "cancel")) == SENT

    message = mail.outbox[1]
    assert message.subject == f"Aflyst: {world.seminar} den 15. december 2026"
    assert "For få tilmeldte" in message.body
    calendar, part = calendar_of(message)
    (event,) = calendar.walk("VEVENT")
    assert part.get_param("method") == str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_a_reminder_for_a_cancelled_seminar_is_not_sent(world) -> None:
    seminar_cancel(seminar=world.seminar, by=None, reason="Aflyst")
    assert send(reminder_for(world, world.lead)) == SKIPPED
    assert not SentReminder.objects.exists()


def test_the_data_reminder_names_the_missing_indicators_and_the_deadline(data) -> None:
    send(Due(ReminderKind.DATA, data.late.pk, data.member.pk, "2026-11:7d"))
    (message,) = mail.outbox
    assert "15. december 2026" in message.body
    assert data.second.name in message.body
    assert data.first.name not in message.body
    assert f"/data/team/{data.late.pk}/registrer/2026-11/" in message.body


def test_a_team_that_registered_since_the_scan_gets_no_reminder(data) -> None:
    f.MeasurementFactory(team=data.late, indicator=data.second, period_start=dt.date(2026, 11, 1))
    assert send(Due(ReminderKind.DATA, data.late.pk, data.member.pk, "2026-11:7d")) == SKIPPED
    assert mail.outbox == []


def test_the_late_list_shows_a_coordinator_only_the_teams_of_their_region(data) -> None:
    also_late = f.TeamFactory(programme=data.programme, region=data.rm, status="active")
    for person in (data.national_lead, data.coordinator_rsd):
        send(Due(ReminderKind.DATA_LATE, data.programme.pk, person.pk, "2026-11"))
    to_lead, to_coordinator = mail.outbox
    assert data.late.name in to_lead.body and also_late.name in to_lead.body
    assert "2 teams mangler data for november 2026" in to_lead.subject
    assert data.late.name in to_coordinator.body
    assert also_late.name not in to_coordinator.body
    assert "1 team mangler" in to_coordinator.subject


# Exactly once --------------------------------------------------------------------------------


def test_a_reminder_delivered_twice_is_sent_once(world) -> None:
    due = reminder_for(world, world.lead)
    assert send(due) == SENT
    assert send(due) == TAKEN
    assert len(mail.outbox) == 1
    record = SentReminder.objects.get()
    assert (record.status, record.attempts, record.content_type.model) == ("sent", 1, "seminar")
    assert record.target == world.seminar


def test_a_claim_in_progress_is_left_alone_and_a_stale_one_taken_over(world) -> None:
    due = reminder_for(world, world.lead)
    claim(due, token="a-live-worker")
    assert send(due) == TAKEN

    SentReminder.objects.update(claimed_at=timezone.now() - config.CLAIM_TIMEOUT * 2)
    assert send(due) == SENT
    assert len(mail.outbox) == 1
    assert SentReminder.objects.get().attempts == 2


def test_a_retry_takes_up_its_own_claim_at_once(world) -> None:
    due = reminder_for(world, world.lead)
    claim(due, token="task-1")
    assert deliver(due, token="task-1") == SENT
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_and_then_recorded_as_failed(world, settings) -> None:
    settings.EMAIL_BACKEND = FAILING_BACKEND
    due = reminder_for(world, world.lead)
    for attempt in range(1, config.MAX_ATTEMPTS):
        with pytest.raises(SendFailed):
            deliver(due, token="task-1")
        record = SentReminder.objects.get()
        assert (record.status, record.attempts) == (ReminderStatus.CLAIMED, attempt)
        assert "451" in record.last_error

    assert deliver(due, token="task-1") == FAILED

    record = SentReminder.objects.get()
    assert (record.status, record.attempts) == (ReminderStatus.FAILED, config.MAX_ATTEMPTS)
    assert "SMTPSenderRefused" in record.last_error
    assert due not in due_reminders(AT)  # failed is settled: no endless resending


def test_the_last_celery_retry_gives_up_at_once(world, settings) -> None:
    settings.EMAIL_BACKEND = FAILING_BACKEND
    assert send(reminder_for(world, world.lead), final=True) == FAILED
    assert SentReminder.objects.get().status == ReminderStatus.FAILED


# The command and the tasks -------------------------------------------------------------------


def test_the_dry_run_lists_what_would_be_sent_and_to_whom_and_sends_nothing(world, capsys) -> None:
    call_command("reminders", "--dry-run", "--at", "2026-12-01 08:00")
    out = capsys.readouterr().out
    assert "Påmindelser, der skal sendes 2026-12-01 08:00: 2" in out
    assert world.lead.email in out and world.participant.email in out
    assert "reminder-14d-2026-12-15" in out
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_the_command_sends_once_however_often_it_runs(world, capsys) -> None:
    call_command("reminders", "--at", "2026-12-01 08:00")
    call_command("reminders", "--at", "2026-12-01 09:00")
    assert len(mail.outbox) == 2
    assert "Påmindelser, der skal sendes 2026-12-01 09:00: 0" in capsys.readouterr().out


def test_the_command_refuses_a_time_it_cannot_read(db) -> None:
    with pytest.raises(CommandError, match="ugyldigt tidspunkt"):
        call_command("reminders", "--dry-run", "--at", "i morgen")


@pytest.fixture
def eager() -> Iterator[None]:
    """Tasks run in this process when they are sent (the worker tests run them for real)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_the_scan_task_sends_each_due_reminder_as_its_own_task(world, eager) -> None:
    assert scan_reminders.delay(at=AT.isoformat()).get() == 2
    assert scan_reminders.delay(at=AT.isoformat()).get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.lead.email, world.participant.email]
    )
    assert send_reminder.apply(args=reminder_for(world, world.lead).key).get() == TAKEN
