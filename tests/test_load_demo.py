"""`manage.py load_demo`: the ten real LKTs, fictional people, valid data that tells a story."""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterator
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from indicators.models import Indicator, Measurement
from lkt_portal.demo import DEMO_LOGINS, DEMO_PASSWORD, DETAILS
from programmes.models import (
    ExpertMember,
    Organisation,
    Programme,
    ProgrammeLead,
    RegionalCoordinator,
)
from teams.models import ImprovementTeam, TeamMember

pytestmark = pytest.mark.django_db

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
    "Børnediabetes": ("RH", "completed"),
}

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


# The rest only read: the demo is loaded once for them and rolled back after the module.


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The command's output; the data stays in an outer transaction until the module ends."""
    out = StringIO()
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output: str, db: None) -> str:
    return demo_output


def test_it_prints_the_logins_and_their_password(demo: str) -> None:
    assert DEMO_PASSWORD in demo
    for login in DEMO_LOGINS:
        assert login.person.address in demo


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


def test_it_makes_hoftebrudsforloeb_cross_sector_and_co_led_by_kl(demo: str) -> None:
    programme = Programme.objects.get(name="Sammenhængende Hoftebrudsforløb")

    assert programme.is_cross_sector
    assert programme.co_lead.kind == Organisation.Kind.KL
    assert programme.start_date.isoformat() == "2024-08-01"
    assert programme.leads.count() == 2
    roles = set(programme.expert_group.members.values_list("role", flat=True))
    assert {"chair", "co_chair"} <= roles
    for team in programme.teams.prefetch_related("organisations"):
        sectors = {org.sector for org in team.organisations.all()}
        assert sectors == {"regional", "municipal"}, team.name


def test_every_demo_login_can_log_in(demo: str) -> None:
    for login in DEMO_LOGINS:
        client = Client()
        assert client.login(email=login.person.address, password=DEMO_PASSWORD), login.role


def test_other_fictional_people_cannot_log_in(demo: str) -> None:
    logins = {login.person.address for login in DEMO_LOGINS}
    others = User.objects.exclude(email__in=logins)

    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


def test_each_demo_login_holds_its_role(demo: str) -> None:
    admin, steering, lead, coordinator, expert, member = (
        User.objects.get(email=login.person.address) for login in DEMO_LOGINS
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


def test_the_detailed_programmes_have_goals_experts_teams_seminars_and_indicators(
    demo: str,
) -> None:
    for detail in DETAILS:
        programme = Programme.objects.get(slug=detail.slug)
        assert programme.goals.exists()
        assert 5 <= programme.expert_group.members.count() <= 8
        assert 4 <= programme.teams.count() <= 8
        assert programme.teams.values("region").distinct().count() >= 3
        assert 3 <= programme.indicators.count() <= 6
        for team in programme.teams.all():
            assert 2 <= team.members.count() <= 4
            assert team.members.filter(role="local_lead").exists()
        past = programme.seminars.filter(starts_at__lt=timezone.now())
        assert past.exists() and programme.seminars.upcoming().exists()


def test_every_team_has_24_months_of_every_indicator(demo: str) -> None:
    for team in ImprovementTeam.objects.filter(measurements__isnull=False).distinct():
        for indicator in Indicator.objects.filter(programme=team.programme_id):
            assert Measurement.objects.for_series(team, indicator).count() == 24


def test_a_sample_of_measurements_passes_full_clean(demo: str) -> None:
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
