"""The change from the previous phase in the cached summaries and the drawn charts, and Laney
charts at the LKT level (issue 2/9, points 2 and 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.months import add_months
from indicators.charting import build_chart
from indicators.models import ChartChange, SeriesSummary
from indicators.services import Entry, chart_change_add, measurements_record_many
from indicators.summaries import points_of
from status.selectors.series import SeriesStatus
from tests.factories import IndicatorFactory, ProgrammeFactory, RegionFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

MONTHS = 22
SPLIT = 12
# KOL: patients with a plan, of 25 per team per month: about 60 % for a year, then about 82 %.
BEFORE = [15, 16, 14, 15, 16, 14, 15, 16, 14, 15, 16, 14]
AFTER = [20, 21, 21, 20, 21, 21, 20, 21, 21, 20]


@pytest.fixture
def kol(clock):
    start = clock.month(-MONTHS)
    programme = ProgrammeFactory(
        start_date=start, end_date=add_months(start, 36), lead_region=RegionFactory()
    )
    teams = [TeamFactory(programme=programme) for _ in range(2)]
    indicator = IndicatorFactory(
        programme=programme, kind="outcome", better_direction="up", name="KOL-plan"
    )
    months = [add_months(start, i) for i in range(MONTHS)]
    numerators = BEFORE + AFTER
    measurements_record_many(
        entries=[
            Entry(team, indicator, month, numerator=Decimal(numerators[i]), denominator=25)
            for team in teams
            for i, month in enumerate(months)
        ],
        by=None,
    )
    return programme, teams, indicator, months


def split(indicator, month) -> None:
    chart_change_add(
        indicator=indicator,
        kind=ChartChange.Kind.SPLIT,
        period_start=month,
        reason="Ny KOL-pakke",
        by=None,
    )


def test_a_rise_after_the_split_is_an_improvement_on_the_previous_phase(kol) -> None:
    programme, teams, indicator, months = kol
    split(indicator, months[SPLIT])
    summary = SeriesSummary.objects.get(indicator=indicator, team__isnull=True)
    assert summary.verdict == "improvement"
    assert summary.versus_previous_phase
    assert summary.previous_phase_cl == pytest.approx(100 * sum(BEFORE) / (25 * 12))  # 60 %
    assert summary.latest_phase_cl == pytest.approx(100 * sum(AFTER) / (25 * 10))  # 82.4 %
    status = SeriesStatus(indicator, summary)
    assert status.verdict_text == "Forbedring i forhold til forrige fase (fra 60 % til 82,4 %)"

    team_summary = SeriesSummary.objects.get(indicator=indicator, team=teams[0])
    assert team_summary.verdict == "improvement" and team_summary.versus_previous_phase

    chart = build_chart(
        indicator,
        months,
        points_of(summary, months),
        title="KOL",
        kind="spc",
        changes=list(ChartChange.objects.filter(indicator=indicator)),
        lkt=True,
    )
    assert chart.verdict == "improvement"
    assert chart.verdict_label == "Forbedring i forhold til forrige fase (fra 60 % til 82,4 %)"
    assert "Tilfældig variation" not in chart.verdict_label
    assert "forbedret i forhold til forrige fase (fra 60 % til 82,4 %)" in chart.summary


def test_without_a_split_there_is_no_comparison_with_a_previous_phase(kol) -> None:
    programme, teams, indicator, months = kol
    summary = SeriesSummary.objects.get(indicator=indicator, team__isnull=True)
    assert not summary.versus_previous_phase
    assert summary.previous_phase_cl is None and summary.latest_phase_cl is None


def test_the_lkt_level_draws_proportions_as_a_laney_chart_and_teams_as_p(kol) -> None:
    programme, teams, indicator, months = kol
    summary = SeriesSummary.objects.get(indicator=indicator, team__isnull=True)
    points = points_of(summary, months)
    lkt = build_chart(indicator, months, points, title="", kind="spc", lkt=True)
    team = build_chart(indicator, months, points, title="", kind="spc")
    assert (lkt.latest.chart, team.latest.chart) == ("pp", "p")
    assert lkt.chart_name == "p′-kort (Laney)" and lkt.is_laney and not team.is_laney
    assert "p′-kort (Laney)" in lkt.summary
    # Laney: every limit's distance from the CL is the p chart's times one σz (here below 1:
    # apart from the step, the months vary less than binomially).
    ratios = {
        round((high - lkt.latest.cl) / (p_high - team.latest.cl), 12)
        for high, p_high in zip(lkt.latest.ucl, team.latest.ucl, strict=True)
    }
    assert len(ratios) == 1 and ratios != {1.0}
    # The cached summary is analysed as the LKT chart is drawn.
    assert summary.verdict == lkt.verdict
