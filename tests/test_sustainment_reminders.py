"""Reminders in sustainment: reviews to the teams' formal leaders and quality coordinators, data
at the sustainment frequency, and the 3-months-before-the-end mail's link to the plans."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse

from core.months import period_start, quarter_start
from lkt_portal.celery import app as celery_app
from programmes.models import Programme
from reminders.delivery import deliver
from reminders.models import ReminderKind, SentReminder
from reminders.scanner import due_reminders
from reminders.tasks import scan_reminders
from reminders.timing import TZ
from teams.models import ImprovementTeam, TeamMember
from tests import factories as f

pytestmark = pytest.mark.django_db

REVIEW, DATA = ReminderKind.SUSTAINMENT_REVIEW, ReminderKind.DATA


def at_local(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def due_of(kind: str, at: dt.datetime) -> set[tuple[int, int, str]]:
    return {(d.object_id, d.recipient_id, d.occasion) for d in due_reminders(at) if d.kind == kind}


def send_all(at: dt.datetime) -> None:
    for item in due_reminders(at):
        deliver(item, token=uuid.uuid4().hex)


@dataclass
class World:
    programme: Programme
    team: ImprovementTeam
    leader: int
    coordinator: int
    member: int


@pytest.fixture
def world(db) -> World:
    """A programme that ended on 1 January 2026 and is in sustainment from the day after, with
    a team whose formal leader, quality coordinator and member are known."""
    programme = f.ProgrammeFactory(
        status=Programme.Status.SUSTAINMENT,
        start_date=dt.date(2024, 1, 1),
        sustainment_start=dt.date(2026, 1, 2),
    )
    team = f.TeamFactory(programme=programme, status=ImprovementTeam.Status.COMPLETED)
    people = {
        role: f.TeamMemberFactory(team=team, role=role).user.pk
        for role in ("formal_leader", "quality_coordinator", "member")
    }
    return World(
        programme, team, people["formal_leader"], people["quality_coordinator"], people["member"]
    )


# Pure period helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 31), dt.date(2026, 1, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
        (dt.date(2028, 2, 29), dt.date(2028, 1, 1)),
        (dt.date(2026, 12, 31), dt.date(2026, 10, 1)),
    ],
)
def test_a_quarter_starts_on_the_first_of_january_april_july_or_october(day, expected) -> None:
    assert quarter_start(day) == expected
    assert period_start(day, "quarterly") == expected
    assert period_start(day, "monthly") == day.replace(day=1)


# Reviews -------------------------------------------------------------------------------------


def test_the_formal_leader_and_quality_coordinator_are_reminded_once_before_a_review(
    world,
) -> None:
    review = world.programme.sustainment_reviews.create(due_on=dt.date(2026, 7, 1))
    withdrawn = f.TeamFactory(programme=world.programme, status=ImprovementTeam.Status.WITHDRAWN)
    f.TeamMemberFactory(team=withdrawn, role=TeamMember.Role.FORMAL_LEADER)
    occasion = "review-2026-07-01"

    assert due_of(REVIEW, at_local(dt.date(2026, 6, 16))) == set()
    assert due_of(REVIEW, at_local(dt.date(2026, 6, 17))) == {
        (review.pk, world.leader, occasion),
        (review.pk, world.coordinator, occasion),
    }
    send_all(at_local(dt.date(2026, 6, 17)))
    assert due_of(REVIEW, at_local(dt.date(2026, 6, 20))) == set()
    assert due_of(REVIEW, at_local(dt.date(2026, 7, 1))) == set()
    assert SentReminder.objects.filter(kind=REVIEW).count() == 2

    message = next(m for m in mail.outbox if "Opfølgning" in m.subject)
    link = reverse("teams:sustainment", args=[world.team.pk])
    assert link in message.body and world.team.name in message.body


def test_a_moved_review_is_reminded_of_again_and_a_held_one_not(world) -> None:
    review = world.programme.sustainment_reviews.create(due_on=dt.date(2026, 7, 1))
    send_all(at_local(dt.date(2026, 6, 20)))

    review.due_on = dt.date(2026, 7, 10)
    review.save()
    assert {o for _, _, o in due_of(REVIEW, at_local(dt.date(2026, 7, 1)))} == {"review-2026-07-10"}
    review.held_on = dt.date(2026, 6, 30)
    review.save()
    assert due_of(REVIEW, at_local(dt.date(2026, 7, 1))) == set()


def test_no_review_reminders_outside_sustainment(world) -> None:
    world.programme.sustainment_reviews.create(due_on=dt.date(2026, 7, 1))
    Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.COMPLETED)
    assert due_of(REVIEW, at_local(dt.date(2026, 6, 25))) == set()


# Data at the sustainment frequency -----------------------------------------------------------


def test_monthly_sustainment_chases_the_last_month_before_its_deadline(world) -> None:
    indicator = f.IndicatorFactory(programme=world.programme)
    everyone = {world.leader, world.coordinator, world.member}
    # Deadline for November 2026: 15 December; windows 7 and 1 days before.
    assert due_of(DATA, at_local(dt.date(2026, 12, 7))) == set()
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == {
        (world.team.pk, person, "sustainment-2026-11-2026-11:7d") for person in everyone
    }
    f.MeasurementFactory(team=world.team, indicator=indicator, period_start=dt.date(2026, 11, 1))
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()


def test_quarterly_sustainment_chases_a_closed_quarter_and_any_month_of_it_counts(world) -> None:
    Programme.objects.filter(pk=world.programme.pk).update(sustainment_frequency="quarterly")
    indicator = f.IndicatorFactory(programme=world.programme)
    other = f.TeamFactory(programme=world.programme, status=ImprovementTeam.Status.ACTIVE)
    other_member = f.TeamMemberFactory(team=other).user.pk
    f.MeasurementFactory(team=other, indicator=indicator, period_start=dt.date(2026, 11, 1))

    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()  # the quarter is still open
    due = due_of(DATA, at_local(dt.date(2027, 1, 8)))
    assert {occasion for _, _, occasion in due} == {"sustainment-2026-10-2026-12:7d"}
    assert {team for team, _, _ in due} == {world.team.pk}
    assert other_member not in {person for _, person, _ in due}

    send_all(at_local(dt.date(2027, 1, 8)))
    message = next(m for m in mail.outbox if "Fastholdelse" in m.subject)
    assert indicator.name in message.body
    assert reverse("teams:sustainment", args=[world.team.pk]) in message.body
    assert due_of(DATA, at_local(dt.date(2027, 1, 9))) == set()


def test_quarterly_sustainment_chases_the_months_before_the_first_whole_quarter_as_months(
    world,
) -> None:
    # Ended 15 November 2026: December is a month of its own (a "bridge month"), the first
    # quarter after it is January-March 2027; December's deadline is 15 January 2027.
    Programme.objects.filter(pk=world.programme.pk).update(
        end_date=dt.date(2026, 11, 15),
        sustainment_start=dt.date(2026, 11, 16),
        sustainment_frequency="quarterly",
    )
    indicator = f.IndicatorFactory(programme=world.programme)
    # A figure for October (an LKT month of the same calendar quarter) does not count for it.
    f.MeasurementFactory(team=world.team, indicator=indicator, period_start=dt.date(2026, 10, 1))
    due = due_of(DATA, at_local(dt.date(2027, 1, 8)))
    assert {occasion for _, _, occasion in due} == {"sustainment-2026-12-2026-12:7d"}
    assert due_of(DATA, at_local(dt.date(2027, 3, 8))) == set()  # the quarter is still open
    f.MeasurementFactory(team=world.team, indicator=indicator, period_start=dt.date(2026, 12, 1))
    assert due_of(DATA, at_local(dt.date(2027, 1, 8))) == set()


def test_no_sustainment_data_reminders_before_the_sustainment_starts(world) -> None:
    f.IndicatorFactory(programme=world.programme)
    Programme.objects.filter(pk=world.programme.pk).update(sustainment_start=dt.date(2027, 1, 2))
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()


def test_the_mail_three_months_before_the_end_links_to_the_plans(db) -> None:
    programme = f.ProgrammeFactory(start_date=dt.date(2025, 3, 1))  # ends 1 March 2027
    f.ProgrammeLeadFactory(programme=programme)

    send_all(at_local(dt.date(2026, 12, 1)))

    (message,) = mail.outbox
    assert reverse("programmes:sustainment", args=[programme.pk]) in message.body


# The task, eagerly, on the test clock ----------------------------------------------------------


@pytest.fixture
def eager() -> Iterator[None]:
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.mark.clock
def test_the_scan_task_sends_a_review_reminder_once_on_the_clock(world, clock, eager) -> None:
    clock.move_to("2026-06-20T09:00")
    world.programme.sustainment_reviews.create(due_on=dt.date(2026, 7, 1))

    assert scan_reminders.delay().get() == 2
    assert scan_reminders.delay().get() == 0
    clock.move_to("2026-06-29T09:00")
    assert scan_reminders.delay().get() == 0
    assert len([m for m in mail.outbox if "Opfølgning" in m.subject]) == 2
