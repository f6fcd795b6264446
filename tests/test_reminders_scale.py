"""One scan reads in bulk: 10,000 seminars and 50,000 people cost no more queries than a handful."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from indicators.models import Indicator, Measurement
from programmes.models import Programme, ProgrammeLead, Region, RegionalCoordinator
from reminders.scanner import due_reminders
from reminders.timing import TZ
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, TeamMember

# Thursday 10 December 2026, 08:00: five days before the data deadline (inside the 7-day
# window, so the data rules run in full) and no seminar within reach of a reminder.
AT = dt.datetime(2026, 12, 10, 8, 0, tzinfo=TZ)
NOVEMBER = dt.date(2026, 11, 1)
_serial = itertools.count()

pytestmark = pytest.mark.slow


def populate(*, programmes: int, teams: int, users: int, seminars: int) -> None:
    """A portal where everyone is punctual and every seminar is long past or far ahead."""
    n = next(_serial)
    regions = Region.objects.bulk_create(
        Region(name=f"Region {n}-{i}", code=f"R{n}{i}") for i in range(5)
    )
    made = Programme.objects.bulk_create(
        Programme(
            name=f"LKT {n}-{i}",
            slug=f"lkt-{n}-{i}",
            lead_region=regions[i % 5],
            status=Programme.Status.ACTIVE,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2028, 1, 1),
        )
        for i in range(programmes)
    )
    people = User.objects.bulk_create(
        (User(email=f"p{n}-{i}@example.dk", password="!") for i in range(users)), batch_size=5000
    )
    team_rows = ImprovementTeam.objects.bulk_create(
        ImprovementTeam(
            programme=made[i % programmes],
            region=regions[i % 5],
            name=f"Team {n}-{i}",
            status=ImprovementTeam.Status.ACTIVE,
        )
        for i in range(teams)
    )
    TeamMember.objects.bulk_create(
        (
            TeamMember(
                team=team_rows[i % teams], user=person, role="local_lead" if i < teams else "member"
            )
            for i, person in enumerate(people[: teams * 5])
        ),
        batch_size=5000,
    )
    ProgrammeLead.objects.bulk_create(
        ProgrammeLead(programme=programme, user=people[i]) for i, programme in enumerate(made)
    )
    RegionalCoordinator.objects.bulk_create(
        RegionalCoordinator(region=region, user=people[-1 - i]) for i, region in enumerate(regions)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(programme=programme, name=f"Indikator {j}", kind="process", measure="proportion")
        for programme in made
        for j in range(2)
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                team=team, indicator=indicator, period_start=NOVEMBER, numerator=1, denominator=2
            )
            for team in team_rows
            for indicator in indicators
            if indicator.programme_id == team.programme_id
        ),
        batch_size=5000,
    )
    past, ahead = dt.datetime(2025, 6, 3, 9, tzinfo=TZ), dt.datetime(2027, 2, 2, 9, tzinfo=TZ)
    seminar_rows = Seminar.objects.bulk_create(
        (
            Seminar(
                programme=made[i % programmes],
                kind="learning",
                starts_at=(past if i % 2 else ahead) + dt.timedelta(hours=i % 500),
                ends_at=(past if i % 2 else ahead) + dt.timedelta(hours=i % 500 + 6),
                place="Comwell Kolding",
            )
            for i in range(seminars)
        ),
        batch_size=5000,
    )
    SeminarInvitation.objects.bulk_create(
        (
            SeminarInvitation(seminar=seminar, team=team_rows[i % teams])
            for i, seminar in enumerate(seminar_rows)
        ),
        batch_size=5000,
    )
    Registration.objects.bulk_create(
        (
            Registration(seminar=seminar_rows[i % seminars], user=person)
            for i, person in enumerate(people)
        ),
        batch_size=5000,
    )


def test_a_scan_with_nothing_due_uses_the_same_few_queries_however_large_the_portal(
    db, django_assert_max_num_queries
) -> None:
    populate(programmes=2, teams=4, users=30, seminars=10)
    with CaptureQueriesContext(connection) as small:
        assert due_reminders(AT) == []

    populate(programmes=10, teams=400, users=50_000, seminars=10_000)
    assert Seminar.objects.count() == 10_010 and User.objects.count() == 50_030
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert due_reminders(AT) == []

    assert len(small.captured_queries) <= 10


def _bring_forward(count: int) -> None:
    """Move `count` of the far-ahead seminars to ten days after AT: their reminders fall due."""
    ahead = Seminar.objects.filter(starts_at__year=2027).order_by("pk")[:count]
    Seminar.objects.filter(pk__in=list(ahead.values_list("pk", flat=True))).update(
        starts_at=AT + dt.timedelta(days=10), ends_at=AT + dt.timedelta(days=10, hours=6)
    )


def test_a_scan_with_many_reminders_due_uses_no_more_queries_than_with_few(
    db, django_assert_max_num_queries
) -> None:
    populate(programmes=10, teams=400, users=50_000, seminars=10_000)
    _bring_forward(2)
    with CaptureQueriesContext(connection) as few:
        assert 0 < len(due_reminders(AT)) < 20

    _bring_forward(400)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(due_reminders(AT)) > 2000
