"""Journey: the national project lead adds an indicator; an expert proposes a change of another
indicator's target; the lead accepts it, and the change is drawn on the programme's chart."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorProposal, IndicatorVersion
from tests import factories as f
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def _field(page, label: str):
    """A form field by its label (a required one's label ends in an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_the_lead_adds_an_indicator_and_accepts_an_experts_proposal(
    page, axe, hip_fracture
) -> None:
    world = hip_fracture
    surgery = world.indicators.surgery
    for month in world.months:
        f.MeasurementFactory(
            team=world.kolding_vejle,
            indicator=surgery,
            period_start=month,
            numerator=8,
            denominator=10,
        )
    lead = f.ProgrammeLeadFactory(
        programme=world.programme,
        user__email="projektleder@example.dk",
        user__first_name="Lone",
        user__last_name="Dahl",
        user__password=PASSWORD,
    ).user
    f.ExpertMemberFactory(
        group__programme=world.programme,
        user__email="ekspert@example.dk",
        user__first_name="Erik",
        user__last_name="Brandt",
        user__password=PASSWORD,
    )

    # The lead adds an indicator from the programme's page.
    log_in(page, lead.email)
    page.goto(f"/programmer/{world.programme.pk}/")
    axe.check(page)
    page.get_by_role("link", name="Ny indikator").click()
    page.get_by_role("heading", name="Ny indikator for Sammenhængende Hoftebrudsforløb").wait_for()
    axe.check(page)
    _field(page, "Navn").fill("Andel mobiliseret inden for 24 timer")
    _field(page, "Definition").fill("Andel mobiliseret senest 24 timer efter")
    _field(page, "Type").select_option(label="Procesindikator")
    _field(page, "Måltype").select_option(label="Andel (tæller/nævner)")
    _field(page, "Tæller").fill("Mobiliseret inden for 24 timer")
    _field(page, "Nævner").fill("Opererede for hoftebrud")
    _field(page, "Enhed").fill("%")
    _field(page, "Multiplikator").fill("100")
    _field(page, "Mål").fill("85,5")
    page.get_by_role("button", name="Gem indikatoren").click()
    page.get_by_text("Indikatoren “Andel mobiliseret inden for 24 timer” er oprettet.").wait_for()
    axe.check(page)
    added = Indicator.objects.get(name="Andel mobiliseret inden for 24 timer")
    assert (added.programme, added.target, added.multiplier) == (
        world.programme,
        Decimal("85.5"),
        100,
    )

    # An expert proposes a higher target for an indicator the teams already measure.
    page.context.clear_cookies()
    log_in(page, "ekspert@example.dk")
    page.goto(f"/programmer/{world.programme.pk}/")
    page.get_by_role("link", name="Alle indikatorer og forslag").click()
    axe.check(page)
    page.get_by_role("link", name=surgery.name).click()
    page.get_by_role("link", name="Foreslå en ændring").click()
    axe.check(page)
    _field(page, "Mål").fill("95")
    _field(page, "Begrundelse").fill("Den nationale kliniske retningslinje")
    page.get_by_role("button", name="Send forslaget").click()
    page.get_by_text("Forslaget er sendt til den nationale projektleder.").wait_for()
    axe.check(page)
    surgery.refresh_from_db()
    assert surgery.target == Decimal("90")

    # The lead accepts it from the list of proposals.
    page.context.clear_cookies()
    log_in(page, lead.email)
    page.goto(f"/programmer/{world.programme.pk}/")
    page.get_by_role("link", name="Alle indikatorer og forslag").click()
    page.get_by_role("link", name="Ændringsforslag").click()
    axe.check(page)
    page.get_by_role("button", name="Acceptér og ændr indikatoren").click()
    page.get_by_text("Forslaget er accepteret, og indikatoren er ændret.").wait_for()
    axe.check(page)
    surgery.refresh_from_db()
    assert surgery.target == Decimal("95")
    proposal = IndicatorProposal.objects.get(indicator=surgery)
    assert proposal.status == "accepted"
    assert IndicatorVersion.objects.get(indicator=surgery).proposal == proposal

    # … and the change is drawn on the programme's chart of the indicator.
    page.goto(f"/programmer/{world.programme.pk}/")
    page.get_by_role("link", name="Resultater").first.click()
    # The later indicators load as they come into view: scroll until none is left to load.
    for _ in range(50):
        if not page.locator("section.results-later").count():
            break
        page.locator("section.results-later").first.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
    note = page.locator("g.spc-annotation", has=page.locator("title", has_text="Definition ændret"))
    note.first.wait_for(state="attached")
    assert note.count() >= 1
    axe.check(page)

    axe.assert_clean()
