"""Journey 5: a steering group member reads an LKT-level chart whose latest month only one of
three teams has registered: the month is marked provisional and left out of the verdict."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.months import add_months
from indicators.models import Measure
from indicators.services import Entry, measurements_record_many
from tests import factories as f
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e

MONTHS = 14
PER_TEAM = [40, 42, 38, 41, 39, 40, 43, 37, 40, 41, 39, 42, 38, 41]


@pytest.fixture
def early_team(transactional_db, clock) -> SimpleNamespace:
    """LKT KOL with three teams and fourteen complete months; last month so far only from
    Aarhus, whose five admissions would have read as a fall from about 40 per team."""
    clock.move_to(f"{clock.month(0):%Y-%m}-02T12:00")  # last month's deadline (27th) to come
    start = clock.month(-MONTHS - 1)
    rm = f.RegionFactory(name="Region Midtjylland", code="RM")
    kol = f.ProgrammeFactory(
        name="KOL",
        slug="kol",
        lead_region=rm,
        start_date=start,
        end_date=add_months(start, 24) - dt.timedelta(days=1),
        data_deadline_day=27,
    )
    teams = [
        f.TeamFactory(programme=kol, region=rm, name=name)
        for name in ("Lungemedicin AUH", "Medicinsk Afdeling Randers", "Lungemedicin Aalborg")
    ]
    admissions = f.IndicatorFactory(
        programme=kol,
        name="Akutte indlæggelser med KOL-forværring",
        kind="balancing",
        measure=Measure.COUNT,
        unit="indlæggelser",
        better_direction="down",
        target=None,
    )
    months = [add_months(start, n) for n in range(MONTHS + 1)]
    entries = [
        Entry(team, admissions, month, value=Decimal(PER_TEAM[i]))
        for i, month in enumerate(months[:-1])
        for team in teams
    ]
    entries.append(Entry(teams[0], admissions, months[-1], value=Decimal(5)))
    measurements_record_many(entries=entries, by=None)
    steering = f.UserFactory(
        email="styregruppe@example.dk", is_steering_group_member=True, password=PASSWORD
    )
    return SimpleNamespace(programme=kol, indicator=admissions, steering=steering)


def test_a_steering_member_sees_a_provisional_month_marked_and_not_counted(
    page, axe, early_team
) -> None:
    world = early_team
    log_in(page, world.steering.email)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Status").click()
    page.get_by_role("heading", name="Status for alle LKT'er").wait_for()
    axe.check(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="KOL", exact=True))
    assert "Tilfældig variation" in (row.text_content() or "")
    assert "Forbedring" not in (row.text_content() or "")

    # The programme's status page: the latest complete value, the provisional month beside it.
    page.get_by_role("link", name="KOL", exact=True).click()
    page.get_by_role("heading", name="Status for KOL").wait_for()
    axe.check(page)
    indicator_row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=world.indicator.name)
    )
    text = indicator_row.text_content() or ""
    assert f"{PER_TEAM[-1]} indlæggelser" in text
    assert "foreløbig: 1 af 3 teams" in text

    # The indicator's LKT-level chart: the month drawn hollow, named, outside the verdict.
    indicator_row.get_by_role("link", name=world.indicator.name).click()
    page.get_by_role("heading", name=world.indicator.name, exact=True).wait_for()
    axe.check(page)
    chart = page.locator("section", has=page.get_by_role("heading", name="Hele LKT'et"))
    hollow = chart.locator("svg .spc-point.provisional")
    assert hollow.count() == 1
    assert re.search(r": 5 indlæggelser \(foreløbig: 1 af 3 teams\)$", hollow.text_content() or "")
    assert chart.locator("svg .spc-point:not(.provisional)").count() == MONTHS
    assert chart.locator("svg .spc-point.signal").count() == 0
    caption = chart.locator("figcaption").text_content() or ""
    assert "foreløbig: 1 af 3 teams" in caption
    assert "Gennemsnit pr. rapporterende team" in caption
    assert chart.get_by_text("Tilfældig variation").first.is_visible()

    axe.assert_clean()
