"""Seminar notices through a real `celery worker`, Redis, PostgreSQL and an SMTP server.

The changes are made by the services, as the pages make them; their notices leave through the
signal after the real commit, to the worker's broker. Each event is then processed a second
time (the task delivered twice), and every person still gets each notice once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from lkt_portal.celery import app as celery_app
from reminders.models import ReminderStatus, SentReminder
from seminars.services import (
    seminar_cancel,
    seminar_invite_teams,
    seminar_register,
    seminar_unregister,
    seminar_update,
)
from teams.models import TeamRole
from tests import factories as f
from tests.test_reminders_worker import rig, sent, wait_for  # noqa: F401 -- `rig` is a fixture

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]

NOTICES = "lkt_portal.reminders.seminar_notices"


def subjects(smtp) -> Counter[tuple[str, str]]:
    """(recipient, first word of the subject) of every accepted mail."""
    return Counter(
        (
            accepted.recipients[0],
            str(make_header(decode_header(accepted.message["Subject"]))).split(":")[0],
        )
        for accepted in smtp.accepted
    )


def test_every_notice_is_sent_exactly_once_through_a_real_worker(rig, monkeypatch) -> None:  # noqa: F811
    setup = rig(database=8)
    # This process's Celery app publishes to the worker's broker (the signal's path).
    monkeypatch.setitem(celery_app.conf, "broker_url", setup.broker)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    worker = setup.start_worker()

    lead = f.ProgrammeLeadFactory().user
    team = f.TeamFactory(programme=lead.led_programmes.get().programme)
    local_lead = f.TeamMemberFactory(team=team, role=TeamRole.LOCAL_LEAD).user
    member = f.TeamMemberFactory(team=team).user
    seminar = f.SeminarFactory(
        programme=team.programme, starts_at=timezone.now() + dt.timedelta(days=30)
    )
    people = sorted([local_lead.email, member.email])

    def twice(*args) -> None:
        """The event's task delivered again, while the first may still be running."""
        setup.client.send_task(NOTICES, args=list(args)).get(timeout=60)

    # Invited: each member once, with the calendar invitation.
    seminar_invite_teams(seminar=seminar, teams=[team], by=lead)
    invitation = seminar.invitations.get().pk
    twice(seminar.pk, [invitation], None)
    wait_for(lambda: sent() == 2, "two invitations sent")

    # Registered, then unregistered: the person once each.
    registration = seminar_register(seminar=seminar, user=member, team=team, by=member)
    twice(seminar.pk, [], registration.pk)
    wait_for(lambda: sent() == 3, "the registration confirmed")
    seminar_unregister(registration=registration, by=member)
    twice(seminar.pk, [], registration.pk)
    wait_for(lambda: sent() == 4, "the withdrawal confirmed")

    # Moved: everyone told the old time hears of the new one, once (the withdrawn member's last
    # mail showed no time, so only the local lead).
    later = seminar.starts_at + dt.timedelta(days=2)
    seminar_update(seminar=seminar, by=lead, starts_at=later, ends_at=later + dt.timedelta(hours=5))
    twice(seminar.pk, [], None)
    wait_for(lambda: sent() == 5, "the move told")

    # Cancelled: everyone told of it, once.
    seminar_cancel(seminar=seminar, by=lead, reason="Sygdom")
    twice(seminar.pk, [], None)
    wait_for(lambda: sent() == 7, "the cancellation told")
    assert setup.scan() == 0  # the beat finds nothing left

    assert SentReminder.objects.exclude(status=ReminderStatus.SENT).count() == 0
    assert subjects(setup.smtp) == Counter(
        {
            (local_lead.email, "Invitation"): 1,
            (member.email, "Invitation"): 1,
            (member.email, "Du er tilmeldt"): 1,
            (member.email, "Du er afmeldt"): 1,
            (local_lead.email, "Ændret"): 1,
            (local_lead.email, "Aflyst"): 1,
            (member.email, "Aflyst"): 1,
        }
    )
    assert sorted(set(setup.smtp.recipients())) == people
    calendars = [
        part.get_payload(decode=True).decode()
        for accepted in setup.smtp.accepted
        if accepted.recipients[0] == local_lead.email
        for part in accepted.message.walk()
        if part.get_content_type() == "text/calendar"
    ]
    sequences = [int(text.split("SEQUENCE:")[1].split()[0]) for text in calendars]
    assert sequences == sorted(sequences) and sequences[0] < sequences[-1]
    assert len({text.split("UID:")[1].split()[0] for text in calendars}) == 1
    assert "METHOD:CANCEL" in calendars[-1]
    # Each of the five events reached the worker twice: once by the signal, once again.
    received = [line for line in worker.output().splitlines() if NOTICES in line]
    assert sum("received" in line for line in received) == 10
