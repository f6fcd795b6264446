"""Journey 3: a steering group member opens the national status overview, drills down through a
programme and an indicator to a team's chart, and downloads the PDFs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from core.months import add_months
from indicators.services import Entry, measurements_record_many
from tests import factories as f
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

MONTHS = 14


@pytest.fixture
def national(hip_fracture):
    """Two LKTs with fourteen months of data: hip fractures (two teams) and KOL in Midtjylland."""
    world = hip_fracture
    programme = world.programme
    programme.start_date = add_months(world.start, 5 - MONTHS)
    programme.end_date = add_months(programme.start_date, 24) - dt.timedelta(days=1)
    programme.save(update_fields=["start_date", "end_date"])
    odense = f.TeamFactory(
        programme=programme,
        region=world.rsd,
        name="Hoftebrud Odense-Svendborg",
        organisations=[world.orgs.ouh, world.orgs.odense, world.orgs.svendborg],
    )
    kol = f.ProgrammeFactory(
        name="KOL", slug="kol", lead_region=world.rm, start_date=programme.start_date
    )
    kol_team = f.TeamFactory(
        programme=kol,
        region=world.rm,
        name="Lungemedicin AUH",
        organisations=[world.orgs.auh],
    )
    readmissions = f.IndicatorFactory(programme=kol, name="Andel genindlagt inden for 30 dage")
    months = [add_months(programme.start_date, n) for n in range(MONTHS)]
    series = {  # the hip fracture teams improve halfway; KOL stays level
        world.kolding_vejle: lambda i: 12 + (i >= MONTHS // 2) * 5 + i % 2,
        odense: lambda i: 13 + (i >= MONTHS // 2) * 4 + i % 3,
        kol_team: lambda i: 5 + i % 3,
    }
    indicators = {
        world.kolding_vejle: [world.indicators.surgery, world.indicators.rehab],
        odense: [world.indicators.surgery, world.indicators.rehab],
        kol_team: [readmissions],
    }
    measurements_record_many(
        entries=[
            Entry(team, indicator, month, numerator=Decimal(fn(i)), denominator=Decimal(20))
            for team, fn in series.items()
            for indicator in indicators[team]
            for i, month in enumerate(months)
        ],
        by=None,
    )
    return world


def test_a_steering_member_drills_down_from_the_overview_to_a_team_chart_and_gets_the_pdfs(
    page, axe, national
) -> None:
    world = national
    surgery = world.indicators.surgery
    log_in(page, world.steering.email)
    axe.check(page)

    # The national overview, from the main menu: every LKT in the table.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Status").click()
    page.get_by_role("heading", name="Status for alle LKT'er").wait_for()
    axe.check(page)
    table = page.get_by_role("table").first
    assert table.get_by_role("link", name="KOL", exact=True).is_visible()

    # Its PDF.
    pdf = download(page, page.get_by_role("link", name="PDF", exact=True))
    assert pdf.startswith(b"%PDF"), pdf[:20]

    # Programme → indicator → team chart, by the links.
    table.get_by_role("link", name=world.programme.name).click()
    page.get_by_role("heading", name=f"Status for {world.programme.name}").wait_for()
    axe.check(page)
    programme_page = page.url
    pdf = download(page, page.get_by_role("link", name="PDF", exact=True))
    assert pdf.startswith(b"%PDF"), pdf[:20]

    page.get_by_role("link", name=surgery.name).first.click()
    page.get_by_role("heading", name=re.compile(re.escape(surgery.name))).first.wait_for()
    axe.check(page)
    page.get_by_role("link", name="Hoftebrud Kolding-Vejle").click()
    page.get_by_role("heading", name="Resultater for Hoftebrud Kolding-Vejle").wait_for()
    axe.check(page)
    assert "kort=spc" in page.url
    chart = page.get_by_role("region", name=re.compile(re.escape(surgery.name)))
    assert chart.locator("svg .spc-point").count() == MONTHS
    assert f"{MONTHS} målinger" in (chart.locator("figcaption").text_content() or "")

    # Back to the programme's status page, as the browser's back button does.
    page.go_back()
    page.go_back()
    assert page.url == programme_page

    axe.assert_clean()


def download(page, link) -> bytes:
    """The file a link downloads, as bytes."""
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as file:
        return file.read()
