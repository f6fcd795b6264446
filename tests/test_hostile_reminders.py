"""Reminders about things whose names were stored with line breaks before they were refused."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from programmes.models import Programme
from reminders.delivery import SENT, deliver
from reminders.models import ReminderKind
from reminders.scanner import Due
from seminars.models import Seminar
from teams.models import ImprovementTeam
from tests.test_reminders_rules import AT, DataWorld, SeminarWorld

INJECTION = "Læringsseminar 2\r\nBcc: alle@example.com\x0b\x1b"


@pytest.fixture
def world(db, clock) -> SeminarWorld:
    clock.move_to(AT)
    return SeminarWorld()


def test_a_seminar_title_with_a_line_break_still_sends_its_reminder(world) -> None:
    Seminar.objects.filter(pk=world.seminar.pk).update(title=INJECTION)
    due = Due(
        ReminderKind.SEMINAR, world.seminar.pk, world.participant.pk, "reminder-14d-2026-12-15"
    )

    assert deliver(due, token=uuid.uuid4().hex) == SENT

    (message,) = mail.outbox
    assert message.subject == (
        "Påmindelse: Læringsseminar 2 Bcc: alle@example.com den 15. december 2026"
    )
    assert message.message()["Bcc"] is None


def test_a_team_and_programme_name_with_line_breaks_still_send_the_data_reminders(
    db, clock
) -> None:
    clock.move_to(AT)
    data = DataWorld()
    ImprovementTeam.objects.filter(pk=data.late.pk).update(name="Team\nX-Evil: 1\r")
    Programme.objects.filter(pk=data.programme.pk).update(name="LKT\rX-Evil: 2")

    team_due = Due(ReminderKind.DATA, data.late.pk, data.member.pk, "2026-11")
    late_due = Due(ReminderKind.DATA_LATE, data.programme.pk, data.national_lead.pk, "2026-11")

    assert deliver(team_due, token=uuid.uuid4().hex) == SENT
    assert deliver(late_due, token=uuid.uuid4().hex) == SENT
    subjects = [message.subject for message in mail.outbox]
    assert subjects[0].startswith("Påmindelse: Team X-Evil: 1 mangler data for")
    assert subjects[1].startswith("LKT X-Evil: 2: 1 team mangler data for")
