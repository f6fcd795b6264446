"""`manage.py load_demo`: the ten real LKTs, fictional people, valid data that tells a story."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Iterator
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from accounts.models import User
from demo.loader import load_demo
from demo.specs import details, people
from indicators.models import Indicator, Measurement
from programmes.models import (
    ExpertMember,
    Organisation,
    Programme,
    ProgrammeLead,
    RegionalCoordinator,
)
from seminars.models import Seminar
from teams.models import ImprovementTeam, PDSACycle, TeamMember

# The loader and the summaries it refreshes date everything from "today": also at moved clocks.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

DOMAIN_APPS = ("accounts", "programmes", "teams", "seminars", "indicators")

# DOMAIN.md's table: name → (lead region code, status).
REAL_LKTS = {
    "Nedbringelse af tvang": ("RN", "preparing"),
    "Akut kirurgi": ("RH", "active"),
    "KOL": ("RM", "active"),
    "Sammenhængende Hoftebrudsforløb": ("RSD", "preparing"),
    "ADHD": ("RSD", "paused"),
    "Apopleksi": ("RM", "completed"),
    "Specialiseret palliation": ("RSJ", "completed"),
    "Rationel brug af antibiotika": ("RH", "completed"),
    "Hoftenære lårbensbrud": ("RSD", "completed"),
    "Børnediabetes": ("RH", "sustainment"),  # seed 003: sustainment after the two years
}
ONGOING = ("akut-kirurgi", "kol")
HOFTEBRUD = "sammenhaengende-hoftebrudsforloeb"
TZ = ZoneInfo("Europe/Copenhagen")

# The days the demo is loaded on: a month's first day, the deadline day itself (the 15th), the
# day after it, a year's last day and a leap day.
TODAYS = (
    dt.date(2026, 12, 1),
    dt.date(2027, 3, 15),
    dt.date(2027, 7, 16),
    dt.date(2026, 12, 31),
    dt.date(2028, 2, 29),
)
PASSWORD = people().password
LOGINS = people().logins

# Real people named in the seeds; they must never appear in the product.
SEED_PEOPLE = (
    "Lone Flarup",
    "Lica Nyerup Hansen",
    "Karungyi Ajule Buga",
    "Lise Holten",
    "Kathrine Carstensen",
)


def counts() -> dict[str, int]:
    """Rows in every model of the domain apps, including many-to-many tables."""
    return {
        model._meta.label: model._default_manager.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


# These three load the data themselves; they hold whether or not the module's demo is loaded.


def test_it_changes_nothing_when_run_twice(settings) -> None:
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    first = counts()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert counts() == first
    assert "ingen ændringer" in out.getvalue()
    assert first["programmes.ProgrammeStatusChange"] >= len(REAL_LKTS)
    assert first["indicators.Measurement"] > 0


def test_it_refuses_when_debug_is_off(settings) -> None:
    settings.DEBUG = False
    before = counts()

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())

    assert counts() == before


def test_it_loads_with_force_when_debug_is_off(settings) -> None:
    settings.DEBUG = False

    call_command("load_demo", "--force", stdout=StringIO())

    assert Programme.objects.count() == len(REAL_LKTS)


def test_the_command_prints_the_logins_and_their_password(settings) -> None:
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert PASSWORD in out.getvalue()
    for login in LOGINS:
        assert login.person.address in out.getvalue()


def dates() -> dict[str, list]:
    """Every date the demo placed, to see that a later run moves none of them."""
    return {
        "programmes": list(
            Programme.objects.order_by("slug").values_list("start_date", "end_date")
        ),
        "seminars": list(Seminar.objects.order_by("pk").values_list("starts_at", "ends_at")),
        "measurements": list(
            Measurement.objects.order_by("pk").values_list("period_start", "registered_at")
        ),
        "pdsa": list(PDSACycle.objects.order_by("pk").values_list("started_on", "ended_on")),
    }


@pytest.mark.parametrize(
    ("first_day", "later_day"),
    [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 1)),
        (dt.date(2026, 12, 1), dt.date(2027, 2, 20)),
        (dt.date(2027, 7, 16), dt.date(2029, 1, 1)),
    ],
    ids=["same day", "two months later", "years later"],
)
def test_a_second_run_adds_nothing_and_moves_nothing(first_day, later_day) -> None:
    load_demo(today=first_day)
    before, placed = counts(), dates()

    summary = load_demo(today=later_day)

    assert summary.total_added == 0
    assert counts() == before
    assert dates() == placed


# The rest only read: the demo is loaded once per day in TODAYS, and rolled back after.


@pytest.fixture(scope="module", params=TODAYS, ids=str)
def loaded(request, django_db_setup, django_db_blocker) -> Iterator[tuple[dt.date, str]]:
    """(the day it was loaded on, the output); the data lives in an outer transaction."""
    today, out = request.param, StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(stdout=out, today=today)
        yield today, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def today(loaded: tuple[dt.date, str], db: None) -> dt.date:
    return loaded[0]


@pytest.fixture
def demo(loaded: tuple[dt.date, str], db: None) -> str:
    return loaded[1]


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=TZ)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: dt.date, later: dt.date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def last_due_month(programme: Programme, today: dt.date) -> dt.date:
    """The latest month whose deadline (a day of the following month) lies before today."""
    month = programme.start_date.replace(day=1)
    while next_month(next_month(month)).replace(day=programme.data_deadline_day) < today:
        month = next_month(month)
    return month


def test_it_loads_the_ten_real_lkts_with_their_regions_and_statuses(demo: str) -> None:
    loaded = {
        p.name: (p.lead_region.code, p.status)
        for p in Programme.objects.select_related("lead_region")
    }

    assert loaded == REAL_LKTS


def test_it_gives_every_programme_a_status_history_ending_in_its_status(demo: str) -> None:
    for programme in Programme.objects.all():
        history = list(programme.status_changes.order_by("changed_at", "id"))
        assert history[0].from_status == ""
        assert history[-1].to_status == programme.status
        assert all(change.reason for change in history)
        assert [c.from_status for c in history[1:]] == [c.to_status for c in history[:-1]]


def test_one_programme_is_in_sustainment_after_completing(demo: str) -> None:
    programme = Programme.objects.get(status="sustainment")

    steps = list(programme.status_changes.order_by("changed_at", "id").values_list("to_status"))
    assert steps == [("preparing",), ("active",), ("completed",), ("sustainment",)]


def test_no_ongoing_or_preparing_programme_has_ended(today: dt.date) -> None:
    for programme in Programme.objects.filter(status__in=["active", "preparing"]):
        assert programme.end_date >= today, programme.name


def test_the_ongoing_programmes_are_well_into_their_two_years(today: dt.date) -> None:
    for programme in Programme.objects.filter(status="active"):
        assert 14 <= months_between(programme.start_date, today) <= 16, programme.name


def test_the_completed_programmes_ended_years_ago(today: dt.date) -> None:
    for programme in Programme.objects.filter(status="completed"):
        assert programme.end_date < today - dt.timedelta(days=2 * 365), programme.name
        assert programme.status_changes.filter(changed_at__gt=noon(today)).count() == 0


def test_the_lkt_in_sustainment_ended_12_to_18_months_ago_and_measures_on(today: dt.date) -> None:
    programme = Programme.objects.get(status="sustainment")
    assert 12 <= months_between(programme.end_date, today) <= 18
    assert programme.sustainment_start is not None
    assert programme.sustainment_start <= today
    assert programme.status_changes.filter(changed_at__gt=noon(today)).count() == 0
    for team in programme.teams.all():
        months = set(
            Measurement.objects.filter(team=team).values_list("period_start", flat=True)
        )
        lkt = {m for m in months if m <= programme.end_date}
        after = {m for m in months if m > programme.end_date}
        assert len(lkt) >= 24, team.name
        assert 10 <= len(after) <= 18, team.name
        assert max(after) < today.replace(day=1), team.name  # only ended months


def test_most_teams_in_sustainment_hold_the_gains_and_one_slips(today: dt.date) -> None:
    from status.selectors.sustainment import sustainment_holding

    programme = Programme.objects.get(status="sustainment")
    (holding,) = sustainment_holding([programme], today).values()
    states = [team.state for team in holding.teams]
    assert states.count("slipping") == 1
    assert states.count("holding") >= len(states) - 1 >= 3
    plans = [team.plan_state for team in holding.teams]
    assert plans.count("draft") == 1 and plans.count("approved") >= 2 and "" in plans


def test_hoftebrudsforloeb_prepares_its_leadership_seminar_then_kick_offs(today: dt.date) -> None:
    programme = Programme.objects.get(slug=HOFTEBRUD)
    leadership = programme.seminars.get(kind="leadership")
    kickoffs = programme.seminars.filter(kind="kickoff")

    assert programme.status == "preparing"
    assert programme.start_date > today
    assert leadership.starts_at > noon(today)
    assert kickoffs.count() == 4
    for kickoff in kickoffs:
        assert 20 <= (kickoff.starts_at - leadership.starts_at).days <= 50
    assert not Measurement.objects.filter(team__programme=programme).exists()
    assert not PDSACycle.objects.filter(team__programme=programme).exists()


def test_no_preparing_programme_has_held_a_seminar(today: dt.date) -> None:
    preparing = Programme.objects.filter(status="preparing")

    assert not Seminar.objects.filter(programme__in=preparing, starts_at__lte=noon(today)).exists()


def test_the_ongoing_programmes_have_data_through_the_last_month_past_its_deadline(
    today: dt.date,
) -> None:
    for programme in Programme.objects.filter(slug__in=ONGOING):
        last = last_due_month(programme, today)
        expected = months_between(programme.start_date, last) + 1
        for team in programme.teams.all():
            for indicator in programme.indicators.all():
                series = Measurement.objects.for_series(team, indicator)
                periods = [m.period_start for m in series if m.period_start <= last]
                assert len(periods) == expected, (team.name, indicator.name)
                assert periods[0] == programme.start_date


def test_some_teams_but_not_all_have_reported_the_current_month(today: dt.date) -> None:
    for programme in Programme.objects.filter(slug__in=ONGOING):
        current = next_month(last_due_month(programme, today))
        n_indicators = programme.indicators.count()
        reported = Measurement.objects.filter(indicator__programme=programme)
        per_team = {
            team.pk: reported.filter(team=team, period_start=current).count()
            for team in programme.teams.all()
        }

        assert not reported.filter(period_start__gt=current).exists()
        assert set(per_team.values()) == {0, n_indicators}, programme.name
        assert not reported.filter(registered_at__gt=noon(today)).exists()


def test_every_demo_login_can_log_in(demo: str) -> None:
    for login in LOGINS:
        client = Client()
        assert client.login(email=login.person.address, password=PASSWORD), login.role


def test_other_fictional_people_cannot_log_in(demo: str) -> None:
    logins = {login.person.address for login in LOGINS}
    others = User.objects.exclude(email__in=logins)

    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


def test_each_demo_login_holds_its_role(demo: str) -> None:
    admin, steering, lead, coordinator, expert, member = (
        User.objects.get(email=login.person.address) for login in LOGINS
    )

    assert admin.is_superuser and admin.is_staff
    assert steering.is_steering_group_member and not steering.is_staff
    assert ProgrammeLead.objects.filter(user=lead, programme__slug="kol").exists()
    assert RegionalCoordinator.objects.filter(user=coordinator, region__code="RM").exists()
    assert ExpertMember.objects.filter(user=expert, group__programme__slug="kol").exists()
    assert TeamMember.objects.filter(
        user=member, role="local_lead", team__programme__slug="kol", team__region__code="RM"
    ).exists()


def test_no_real_person_from_the_seeds_is_in_the_demo(demo: str) -> None:
    names = {user.get_full_name() for user in User.objects.all()}

    assert not names & set(SEED_PEOPLE)
    assert all(
        email.endswith("@example.dk") for email in User.objects.values_list("email", flat=True)
    )


def test_it_makes_hoftebrudsforloeb_cross_sector_and_co_led_by_kl(demo: str) -> None:
    programme = Programme.objects.get(slug=HOFTEBRUD)

    assert programme.is_cross_sector
    assert programme.co_lead.kind == Organisation.Kind.KL
    assert programme.start_date.day == 1
    assert programme.leads.count() == 2
    roles = set(programme.expert_group.members.values_list("role", flat=True))
    assert {"chair", "co_chair"} <= roles
    for team in programme.teams.prefetch_related("organisations"):
        sectors = {org.sector for org in team.organisations.all()}
        assert sectors == {"regional", "municipal"}, team.name


def test_the_detailed_programmes_have_goals_experts_teams_seminars_and_indicators(
    today: dt.date,
) -> None:
    for detail in details():
        programme = Programme.objects.get(slug=detail.slug)
        assert programme.goals.exists()
        assert programme.expert_group.mandate
        assert 5 <= programme.expert_group.members.count() <= 8
        assert 4 <= programme.teams.count() <= 8
        assert programme.teams.values("region").distinct().count() >= 3
        assert 3 <= programme.indicators.count() <= 6
        for team in programme.teams.all():
            assert 2 <= team.members.count() <= 4
            assert team.members.filter(role="local_lead").exists()
        assert programme.seminars.filter(starts_at__gt=noon(today)).exists()
        held = programme.seminars.filter(starts_at__lt=noon(today)).exists()
        assert held == (programme.status in ("active", "sustainment"))
        if programme.status == "active":
            assert PDSACycle.objects.filter(team__programme=programme).exists()


def test_a_sample_of_measurements_passes_full_clean(today: dt.date, clock) -> None:
    clock.move_to(noon(today))  # the rules read "today": the day the demo was dated from
    ids = list(Measurement.objects.order_by("pk").values_list("pk", flat=True))
    sample = ids[:: max(1, len(ids) // 200)]

    for measurement in Measurement.objects.filter(pk__in=sample).select_related(
        "team", "indicator__programme"
    ):
        measurement.full_clean()


def test_some_series_improve_and_some_show_only_common_cause_variation(demo: str) -> None:
    stories = []
    for team in ImprovementTeam.objects.filter(measurements__isnull=False).distinct():
        for indicator in Indicator.objects.filter(programme=team.programme_id).exclude(
            better_direction="none"
        ):
            points = list(Measurement.objects.for_series(team, indicator))
            stories.append(_run_chart_story(points, indicator))

    assert "improvement" in stories
    assert "no signal" in stories


def _run_chart_story(points: list[Measurement], indicator: Indicator) -> str:
    """ "improvement", "no signal" or "other", read from the run chart (median centre line)."""
    values = [p.numerator if p.value is None else p.value for p in points]
    denominators = None if indicator.measure == "count" else [p.denominator for p in points]
    try:
        from indicators.spc import analyse
    except ImportError:
        return _longest_run_story(values, denominators, indicator.better_direction)
    analysis = analyse(values, denominators, chart="run", direction=indicator.better_direction)
    if not analysis.runs_signal:
        return "no signal"
    return "improvement" if analysis.verdict == "improvement" else "other"


def _longest_run_story(values: list, denominators: list | None, direction: str) -> str:
    """A plain Anhøj longest-run check, for when indicators.spc is not there yet."""
    y = [
        float(v) / float(n) if denominators else float(v)
        for v, n in zip(values, denominators or values, strict=True)
    ]
    median = statistics.median(y)
    sides = [1 if v > median else -1 for v in y if v != median]
    limit = round(math.log2(len(sides))) + 3
    run, longest, side_of_longest = 1, 1, sides[0]
    for previous, current in itertools.pairwise(sides):
        run = run + 1 if current == previous else 1
        if run >= longest:
            longest, side_of_longest = run, current
    if longest <= limit:
        return "no signal"
    return "improvement" if side_of_longest == (1 if direction == "up" else -1) else "other"


def test_kol_has_a_driver_diagram_with_a_change_package_from_copd_practice(today: dt.date) -> None:
    kol = Programme.objects.get(slug="kol")
    primaries = kol.drivers.filter(parent=None)
    secondaries = kol.drivers.filter(parent__isnull=False)
    package = kol.change_ideas.filter(status="package")
    assert kol.aim
    assert primaries.count() >= 3 and secondaries.count() >= 6 and package.count() >= 10
    assert all(s.parent.parent_id is None for s in secondaries)
    assert not package.filter(driver=None).exists()
    assert not package.filter(driver__parent=None).exists()
    titles = " ".join(package.values_list("title", flat=True)).lower()
    for practice in ("rehabilitering", "handleplan", "rygestop", "inhalation", "48 timer", "ilt"):
        assert practice in titles, practice
    assert all(idea.indicators.exists() for idea in package)
    assert {idea.source for idea in package} == {"evidence", "experience", "concept"}
    assert kol.change_ideas.filter(status="proposed", proposed_by_team__isnull=False).exists()
    assert kol.diagram_revisions.exists()


def test_kol_teams_have_tested_changes_in_many_cycles_dated_around_today(today: dt.date) -> None:
    cycles = PDSACycle.objects.filter(team__programme__slug="kol")
    assert cycles.count() >= 25
    assert cycles.values("team").distinct().count() >= 6
    for cycle in cycles:
        assert cycle.prediction.startswith("Vi forventer"), cycle
        assert cycle.who and cycle.where, cycle
        assert bool(cycle.change_idea_id) != bool(cycle.own_idea), cycle
        if cycle.state == "planned":
            assert cycle.started_on > today and not cycle.do and not cycle.study, cycle
        elif cycle.state == "running":
            assert cycle.started_on <= today and cycle.ended_on is None and not cycle.study
        else:  # studied or decided: over, with a result against the prediction
            assert cycle.ended_on is not None and cycle.ended_on <= today, cycle
            assert cycle.study, cycle
        if cycle.builds_on_id:
            assert cycle.builds_on.team_id == cycle.team_id
            assert cycle.builds_on.ended_on <= cycle.started_on, cycle
    states = {state for state in cycles.values_list("state", flat=True)}
    assert states == {"planned", "running", "studied", "decided"}
    decisions = set(cycles.values_list("decision", flat=True))
    assert {"adopt", "adapt", "abandon"} <= decisions
    assert cycles.filter(builds_on__isnull=False).count() >= 3
    assert cycles.filter(decision="abandon").count() >= 2


def test_the_other_ongoing_lkt_has_a_smaller_diagram(today: dt.date) -> None:
    for slug in ONGOING:
        programme = Programme.objects.get(slug=slug)
        assert programme.drivers.filter(parent=None).count() >= 1
        assert programme.drivers.filter(parent__isnull=False).count() >= 2
        assert programme.change_ideas.filter(status="package").count() >= 3
