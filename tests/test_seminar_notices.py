"""Seminar notices: each kind sent once however often its event is processed (in-process, the
locmem mail backend; tests/test_seminar_notices_worker.py does the same through a real worker)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from lkt_portal.celery import app as celery_app
from reminders.delivery import deliver
from reminders.models import ReminderKind, ReminderPreference, SentReminder
from reminders.notices import event_dues
from reminders.scanner import due_reminders
from seminars.models import Seminar
from seminars.services import (
    seminar_cancel,
    seminar_invite_teams,
    seminar_register,
    seminar_unregister,
    seminar_update,
)
from teams.models import TeamRole
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


class World:
    def __init__(self) -> None:
        self.lead = f.ProgrammeLeadFactory().user
        self.programme = self.lead.led_programmes.get().programme
        self.team = f.TeamFactory(programme=self.programme, name="Lungemedicin AUH")
        self.local_lead = f.TeamMemberFactory(team=self.team, role=TeamRole.LOCAL_LEAD).user
        self.members = [f.TeamMemberFactory(team=self.team).user for _ in range(2)]
        self.everyone = [self.local_lead, *self.members]
        # 30 days ahead: outside the reminder windows (14 and 2 days), so only notices are due.
        self.seminar = f.SeminarFactory(
            programme=self.programme, starts_at=timezone.now() + dt.timedelta(days=30)
        )

    def invite(self) -> list[int]:
        seminar_invite_teams(seminar=self.seminar, teams=[self.team], by=self.lead)
        return list(self.seminar.invitations.values_list("pk", flat=True))


@pytest.fixture
def world(clock) -> World:
    return World()


def process(seminar: Seminar, **event) -> int:
    """Process one event as the task does, sending in this process; the number of mails sent."""
    before = len(mail.outbox)
    for due in event_dues(seminar.pk, at=timezone.now(), **event):
        deliver(due, token=uuid.uuid4().hex)
    return len(mail.outbox) - before


def calendar_of(message) -> str:
    (part,) = [a for a in message.attachments if "calendar" in a.get_content_type()]
    return part.get_payload(decode=True).decode()


def field(calendar: str, name: str) -> str:
    match = re.search(rf"^{name}[;:]?([^\r\n]*)", calendar, re.M)
    assert match, name
    return match.group(1).split(":")[-1]


def test_an_invited_team_is_mailed_once_with_the_calendar_invitation(world) -> None:
    invitations = world.invite()

    assert process(world.seminar, invitations=invitations) == 3
    assert process(world.seminar, invitations=invitations) == 0  # the same event again
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in world.everyone)
    message = mail.outbox[0]
    assert message.subject.startswith("Invitation:")
    assert "Lungemedicin AUH" in message.body
    calendar = calendar_of(message)
    assert "METHOD:REQUEST" in calendar
    assert f"UID:seminar-{world.seminar.pk}@lkt-portalen" in calendar
    assert SentReminder.objects.count() == 3


def test_a_moved_seminar_sends_one_update_with_the_same_uid_and_a_higher_sequence(world) -> None:
    invitations = world.invite()
    process(world.seminar, invitations=invitations)
    first = calendar_of(mail.outbox[0])

    seminar_update(seminar=world.seminar, by=world.lead, agenda="Nyt program")
    assert process(world.seminar) == 0  # the agenda is no time or place

    later = world.seminar.starts_at + dt.timedelta(days=1)
    seminar_update(
        seminar=world.seminar, by=world.lead, starts_at=later, ends_at=later + dt.timedelta(hours=6)
    )
    assert process(world.seminar) == 3
    assert process(world.seminar) == 0
    moved = mail.outbox[-1]
    assert moved.subject.startswith("Ændret:")
    update = calendar_of(moved)
    assert field(update, "UID") == field(first, "UID")
    assert int(field(update, "SEQUENCE")) > int(field(first, "SEQUENCE"))
    # The beat's scan finds nothing left to say about it.
    assert due_reminders(timezone.now()) == []

    seminar_update(seminar=world.seminar, by=world.lead, place="Odense Congress Center")
    assert process(world.seminar) == 3
    again = calendar_of(mail.outbox[-1])
    assert int(field(again, "SEQUENCE")) > int(field(update, "SEQUENCE"))


def test_a_cancelled_seminar_sends_one_cancel_to_everyone_told_of_it(world) -> None:
    invitations = world.invite()
    process(world.seminar, invitations=invitations)

    seminar_cancel(seminar=world.seminar, by=world.lead, reason="For få tilmeldte")
    assert process(world.seminar) == 3
    assert process(world.seminar) == 0
    assert due_reminders(timezone.now()) == []
    cancel = mail.outbox[-1]
    assert cancel.subject.startswith("Aflyst:")
    assert "METHOD:CANCEL" in calendar_of(cancel)
    assert "For få tilmeldte" in cancel.body


def test_registering_and_unregistering_each_send_one_mail_to_the_person(world) -> None:
    world.invite()
    person = world.members[0]
    registration = seminar_register(
        seminar=world.seminar, user=person, team=world.team, by=world.local_lead
    )
    assert process(world.seminar, registration_id=registration.pk) == 1
    assert process(world.seminar, registration_id=registration.pk) == 0
    assert mail.outbox[-1].to == [person.email]
    assert mail.outbox[-1].subject.startswith("Du er tilmeldt:")
    assert "METHOD:REQUEST" in calendar_of(mail.outbox[-1])

    seminar_unregister(registration=registration, by=person)
    assert process(world.seminar, registration_id=registration.pk) == 1
    assert process(world.seminar, registration_id=registration.pk) == 0
    assert mail.outbox[-1].subject.startswith("Du er afmeldt:")
    assert "METHOD:CANCEL" in calendar_of(mail.outbox[-1])

    # Registering again is a new event, with its own confirmation.
    seminar_register(seminar=world.seminar, user=person, team=world.team, by=person)
    assert process(world.seminar, registration_id=registration.pk) == 1
    assert mail.outbox[-1].subject.startswith("Du er tilmeldt:")


def test_an_event_that_no_longer_holds_sends_nothing(world) -> None:
    invitations = world.invite()
    person = world.members[0]
    registration = seminar_register(seminar=world.seminar, user=person, team=world.team, by=person)
    seminar_unregister(registration=registration, by=person)
    # The "registered" event processed after the withdrawal: only the withdrawal is told.
    assert process(world.seminar, registration_id=registration.pk) == 1
    assert mail.outbox[-1].subject.startswith("Du er afmeldt:")

    seminar_invite_teams(seminar=world.seminar, teams=[], by=world.lead)
    assert process(world.seminar, invitations=invitations) == 0


@pytest.mark.parametrize(
    ("kind", "step"),
    [
        (ReminderKind.SEMINAR_INVITATION, "invite"),
        (ReminderKind.SEMINAR_CHANGE, "move"),
        (ReminderKind.SEMINAR_CANCELLATION, "cancel"),
        (ReminderKind.SEMINAR_REGISTRATION, "register"),
    ],
)
def test_a_person_who_turned_a_notice_off_does_not_get_it(world, kind, step) -> None:
    person = world.members[0]
    invitations = world.invite()
    if step != "invite":
        process(world.seminar, invitations=invitations)
    ReminderPreference.objects.create(user=person, kind=kind, enabled=False)
    event: dict = {}
    if step == "invite":
        event = {"invitations": invitations}
    elif step == "move":
        seminar_update(seminar=world.seminar, by=world.lead, place="Vejle")
    elif step == "cancel":
        seminar_cancel(seminar=world.seminar, by=world.lead, reason="Sygdom")
    else:
        registration = seminar_register(
            seminar=world.seminar, user=person, team=world.team, by=person
        )
        event = {"registration_id": registration.pk}
    mail.outbox.clear()

    process(world.seminar, **event)

    assert person.email not in [m.to[0] for m in mail.outbox]
    if step != "register":
        assert len(mail.outbox) == 2  # the others still hear of it


def test_the_unsubscribe_link_of_a_notice_turns_off_that_notice(world, client) -> None:
    process(world.seminar, invitations=world.invite())
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    person = next(p for p in world.everyone if p.email == mail.outbox[0].to[0])
    assert "Invitationer til seminarer" in mail.outbox[0].body  # the footer names the choice

    client.post(link.removeprefix(settings.SITE_URL.rstrip("/")))
    assert ReminderPreference.objects.get(user=person).kind == ReminderKind.SEMINAR_INVITATION


def test_names_with_line_breaks_stay_out_of_the_headers(world) -> None:
    invitations = world.invite()
    Seminar.objects.filter(pk=world.seminar.pk).update(title="Seminar\r\nBcc: ond@example.dk")
    world.seminar.refresh_from_db()
    process(world.seminar, invitations=invitations)
    message = mail.outbox[0].message()
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Bcc"] is None
    assert message["Subject"].startswith("Invitation: Seminar Bcc:")


def test_a_change_reaches_the_task_after_commit(world, django_capture_on_commit_callbacks) -> None:
    """The signal runs the task (eagerly here: the task body; the worker test runs it for real)."""
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            seminar_invite_teams(seminar=world.seminar, teams=[world.team], by=world.lead)
    finally:
        celery_app.conf.task_always_eager = False
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in world.everyone)


def test_a_broker_that_is_down_does_not_undo_or_fail_the_change(
    world, monkeypatch, django_capture_on_commit_callbacks, caplog
) -> None:
    # Nothing listens on port 1: a real, refused connection to an absent Redis.
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    monkeypatch.setitem(celery_app.conf, "broker_connection_max_retries", 1)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    with django_capture_on_commit_callbacks(execute=True):
        seminar_cancel(seminar=world.seminar, by=world.lead, reason="Storm")
    assert Seminar.objects.get(pk=world.seminar.pk).is_cancelled
    assert "could not be queued" in caplog.text
