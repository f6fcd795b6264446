"""Journey 4: a team member opens the team's charts after a split (a new phase) in which the
level rose, reads that the latest phase improved on the previous one, in Danish and in English,
and on a phone finds the chart opened at the latest months with its labels whole."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from core.months import add_months
from indicators.models import ChartChange
from indicators.services import Entry, chart_change_add, measurements_record_many
from teams.models import PDSACycle, TeamMember
from tests import factories as f
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e

MONTHS = 20
SPLIT = 10  # the new discharge conversation begins in the eleventh month
MEMBER = "fysioterapeut@lillebaelt.example.dk"

# Texts inside a chart that are cut off or overlap: every text box must lie inside its svg,
# and no two note labels may share any area.
LAYOUT_PROBLEMS = """() => {
  const out = [];
  document.querySelectorAll('svg.spc-chart').forEach((svg, k) => {
    const s = svg.getBoundingClientRect();
    svg.querySelectorAll('text').forEach(t => {
      const b = t.getBoundingClientRect();
      if (b.width && (b.left < s.left - 0.5 || b.right > s.right + 0.5
                      || b.top < s.top - 0.5 || b.bottom > s.bottom + 0.5))
        out.push(`chart ${k}: "${t.textContent}" is cut`);
    });
    const notes = [...svg.querySelectorAll('.spc-annotation text')]
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    notes.forEach(([a, p], i) => notes.slice(i + 1).forEach(([b, q]) => {
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom)
        out.push(`chart ${k}: "${a}" overlaps "${b}"`);
    }));
  });
  return out;
}"""


@pytest.fixture
def split_team(hip_fracture):
    """Kolding-Vejle's rehabilitation plans: about 60 % for ten months, then about 85 % after a
    split at the new discharge conversation, with two PDSA cycles near the split."""
    world = hip_fracture
    programme = world.programme
    programme.start_date = add_months(world.start, 5 - MONTHS)
    programme.end_date = add_months(programme.start_date, 36) - dt.timedelta(days=1)
    programme.save(update_fields=["start_date", "end_date"])
    team = world.kolding_vejle
    rehab = world.indicators.rehab
    rehab.better_direction = "up"
    rehab.save(update_fields=["better_direction"])
    months = [add_months(programme.start_date, n) for n in range(MONTHS)]
    measurements_record_many(
        entries=[
            Entry(
                team,
                rehab,
                month,
                numerator=Decimal((12 if i < SPLIT else 17) + i % 2),
                denominator=Decimal(20),
            )
            for i, month in enumerate(months)
        ],
        by=None,
    )
    chart_change_add(
        indicator=rehab,
        kind=ChartChange.Kind.SPLIT,
        period_start=months[SPLIT],
        reason="Ny udskrivningssamtale med genoptræningsplan",
        team=team,
        by=world.coordinator,
    )
    for offset, title in ((-1, "Tjekliste til udskrivelse"), (0, "Fast tid til samtalen")):
        PDSACycle.objects.create(
            team=team, title=title, started_on=months[SPLIT + offset]
        ).indicators.add(rehab)
    f.TeamMemberFactory(
        team=team, role=TeamMember.Role.MEMBER, user__email=MEMBER, user__password=PASSWORD
    )
    return world


def test_a_member_reads_that_the_new_phase_improved_on_the_previous_one(
    page, axe, split_team
) -> None:
    world = split_team
    rehab = world.indicators.rehab
    log_in(page, MEMBER)
    page.goto("/")
    page.get_by_role("region", name="Mine teams").get_by_role("link", name="Resultater").click()
    axe.check(page)

    section = page.get_by_role("region", name=re.compile(rehab.name))
    verdict = section.locator(".badge", has_text="Forbedring i forhold til forrige fase")
    assert verdict.is_visible()
    assert re.search(r"\(fra 6\d(,\d)? % til 8\d(,\d)? %\)", verdict.inner_text())
    chart = section.locator("svg.spc-chart")
    assert "forbedret i forhold til forrige fase" in chart.locator("desc").text_content()
    assert chart.locator(".spc-annotation", has_text="Ny fase").count() == 1
    assert page.evaluate(LAYOUT_PROBLEMS) == []

    # The control-chart view says what its limits mean, and keeps the phase verdict.
    page.get_by_role("link", name="Kontroldiagram").click()
    page.get_by_text("Grænserne ligger tre standardafvigelser fra middelværdien").wait_for()
    axe.check(page)
    section = page.get_by_role("region", name=re.compile(rehab.name))
    assert section.locator(".badge", has_text="Forbedring i forhold til forrige fase").is_visible()
    assert page.evaluate(LAYOUT_PROBLEMS) == []

    # In English: the chart's words too.
    page.locator("select[name=language]").select_option("en")
    page.locator("form[action='/i18n/setlang/'] button[type=submit]").click()
    page.locator(".badge", has_text="Improved compared with the previous phase").wait_for()
    axe.check(page)
    chart = page.get_by_role("region", name=re.compile(rehab.name)).locator("svg.spc-chart")
    drawn = chart.text_content()
    assert "New phase" in drawn and "Measurement" in drawn and "Target 95 %" in drawn
    assert not {"Ny fase", "Måling", "Mål ", "Middelværdi"} & {w for w in drawn.split("  ")}
    assert "improved compared with the previous phase" in chart.locator("desc").text_content()

    # On a phone: the chart opens at the latest month, with its labels whole.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    box = page.get_by_role("region", name=re.compile(rehab.name)).locator(".spc-scroll")
    scroll = box.evaluate("b => [b.scrollLeft, b.scrollWidth - b.clientWidth]")
    assert scroll[1] <= 1 or scroll[0] >= scroll[1] - 1, scroll
    target = box.locator(".spc-label-target")
    assert (
        target.is_visible() and target.bounding_box()["x"] + target.bounding_box()["width"] <= 390
    )
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing widens the page
    axe.assert_clean()
