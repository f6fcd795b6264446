"""The programme status page is rendered once per version of its data and of the person's roles:
a cached page costs a few queries whatever the size of the LKT, and every change shows on the
next request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.services import measurement_record
from programmes.services import programme_rate_status
from teams.models import SustainmentPlan
from tests.factories import TeamFactory
from tests.test_status_pages import MONTHS, make_lkt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def start(clock) -> dt.date:
    return clock.month(-MONTHS)


def page(client, programme) -> str:
    response = client.get(reverse("status:programme", args=[programme.pk]))
    assert response.status_code == 200
    return response.content.decode()


def cached_queries(client, programme) -> int:
    page(client, programme)  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        page(client, programme)
    return len(queries)


@pytest.mark.clock
def test_a_cached_status_page_costs_the_same_few_queries_whatever_the_lkts_size(
    client, cast, start
) -> None:
    rm = cast.regions["rm"]
    small = make_lkt("Lille", rm, start=start, teams=1, kinds=("outcome",))
    big = make_lkt("Stor", rm, start=start, teams=6, kinds=("outcome", "process", "balancing"))
    client.force_login(cast.steering)
    page(client, small)  # the first request's own caches (session, roles)
    few, many = cached_queries(client, small), cached_queries(client, big)
    assert few == many
    cache.clear()
    with CaptureQueriesContext(connection) as uncached:
        page(client, big)
    assert few < len(uncached) / 2


@pytest.mark.clock
def test_a_new_measurement_shows_on_the_next_request(client, cast, start, clock) -> None:
    programme = make_lkt("Alfa", cast.regions["rm"], start=start, teams=2, kinds=("outcome",))
    team = TeamFactory(programme=programme, region=cast.regions["rm"], name="Alfa sent")
    indicator = programme.indicators.get()
    client.force_login(cast.steering)
    before = page(client, programme)
    assert "Alfa sent" in before and "(0/" in before  # the late team has nothing yet
    measurement_record(
        team=team,
        indicator=indicator,
        period_start=clock.month(-2),
        numerator=Decimal(5),
        denominator=Decimal(10),
        by=None,
    )
    after = page(client, programme)
    row = after[after.index("Alfa sent") :][:1500]
    assert "(1/" in row


@pytest.mark.clock
def test_a_new_rating_and_a_team_joining_show_on_the_next_request(client, cast, start) -> None:
    programme = make_lkt("Beta", cast.regions["rm"], start=start, teams=1, kinds=("outcome",))
    client.force_login(cast.steering)
    before = page(client, programme)
    assert "Ny plan for data" not in before and "Beta nyt team" not in before
    programme_rate_status(programme=programme, colour="red", reason="Ny plan for data", by=None)
    assert "Ny plan for data" in page(client, programme)
    TeamFactory(programme=programme, region=cast.regions["rsd"], name="Beta nyt team")
    assert "Beta nyt team" in page(client, programme)


@pytest.mark.clock
def test_a_new_plan_state_shows_on_the_next_request(client, cast, clock) -> None:
    from tests.test_sustainment_views import LKT_MONTHS, _in_sustainment

    _in_sustainment(cast.kol, clock.month(-(LKT_MONTHS + 8)))
    plan = SustainmentPlan.objects.create(programme=cast.kol, team=cast.kol_rm)
    client.force_login(cast.steering)
    before = page(client, cast.kol)
    section = before[before.index('id="sustainment"') :]
    assert "Udkast" in section[section.index(cast.kol_rm.name) :][:900]
    plan.state = "approved"
    plan.approved_at = timezone.now()
    plan.save()
    after = page(client, cast.kol)
    section = after[after.index('id="sustainment"') :]
    assert "Udkast" not in section[section.index(cast.kol_rm.name) :][:900]


@pytest.mark.clock
def test_the_cached_page_follows_the_persons_roles_and_language(client, cast, start) -> None:
    programme = make_lkt("Gamma", cast.regions["rm"], start=start, teams=1, kinds=("outcome",))
    client.force_login(cast.steering)
    danish = page(client, programme)
    client.cookies["django_language"] = "en"
    english = page(client, programme)
    assert "Beregnet trafiklys" in danish and "Beregnet trafiklys" not in english
    client.force_login(cast.administrator)
    as_admin = page(client, programme)
    assert reverse("status:rate", args=[programme.pk]) in as_admin  # the live form, not cached
