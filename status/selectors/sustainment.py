"""Who holds the gains: each team of an LKT in sustainment, by indicator, and the LKT's share.

A team's series is its LKT months (the improvement phases, with the national project lead's
splits and baselines, as on the team's run chart) followed by its sustainment periods; the
sustainment points are tested against the last improvement phase's median with the runs rules
(`indicators.spc_sustainment`). A team holds when none of its indicators slips. Five queries
for any number of programmes: teams, indicators, measurements, chart changes, plans.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from core.months import RECENT_PERIODS
from indicators.charting import analyse_sustainment, chart_options, series
from indicators.models import ChartChange, Indicator, Measurement
from indicators.selectors import Point
from indicators.spc_sustainment import (
    HOLDING,
    NO_DATA,
    SLIPPING,
    TOO_FEW,
    Holding,
    worst,
)
from indicators.wording import active_wording
from programmes.models import Programme
from teams.models import ImprovementTeam, SustainmentPlan


@dataclass
class TeamHolding:
    """One team in sustainment: its state, each indicator's, and its plan's state."""

    team: ImprovementTeam
    indicators: list[tuple[Indicator, Holding]] = field(default_factory=list)
    plan_state: str = ""  # "draft", "approved" or "" without a plan
    registered: int = 0  # figures registered in the programme's `due` sustainment periods
    expected: int = 0

    @property
    def state(self) -> str:
        return worst(holding.state for _, holding in self.indicators)

    @property
    def label(self) -> str:
        return state_label(self.state)

    @property
    def badge(self) -> str:
        return BADGES[self.state]

    @property
    def slipping(self) -> list[Indicator]:
        return [i for i, holding in self.indicators if holding.state == SLIPPING]

    @property
    def plan_approved(self) -> bool:
        return self.plan_state == SustainmentPlan.State.APPROVED


@dataclass
class ProgrammeHolding:
    """An LKT in sustainment: its teams' states, the share holding and the plan coverage."""

    programme: Programme
    teams: list[TeamHolding] = field(default_factory=list)
    periods: list[dt.date] = field(default_factory=list)
    due: list[dt.date] = field(default_factory=list)  # the latest sustainment periods past deadline
    registered: int = 0  # team × indicator figures registered in `due`
    expected: int = 0

    def count(self, state: str) -> int:
        return sum(team.state == state for team in self.teams)

    @property
    def holding(self) -> int:
        return self.count(HOLDING)

    @property
    def slipping(self) -> int:
        return self.count(SLIPPING)

    @property
    def without_data(self) -> int:
        return self.count(TOO_FEW) + self.count(NO_DATA)

    @property
    def holding_share(self) -> int | None:
        """Per cent of the teams that hold the gains (of all teams not withdrawn)."""
        return _percent(self.holding, len(self.teams))

    @property
    def approved_plans(self) -> int:
        return sum(team.plan_approved for team in self.teams)

    @property
    def plan_coverage(self) -> int | None:
        """Per cent of the teams with an approved sustainment plan."""
        return _percent(self.approved_plans, len(self.teams))


BADGES = {
    HOLDING: "text-bg-success",
    SLIPPING: "text-bg-danger",
    TOO_FEW: "text-bg-light border",
    NO_DATA: "text-bg-light border",
}


def state_label(state: str) -> str:
    """'Forbedringerne holder', 'Tilbagefald siden LKT'et sluttede' … in the active language."""
    return active_wording().holding[state]


@dataclass(frozen=True)
class IndicatorHolding:
    """One indicator across an LKT's teams in sustainment."""

    indicator: Indicator
    holding: int
    slipping: int
    without_data: int


def by_indicator(summary: ProgrammeHolding) -> list[IndicatorHolding]:
    """How many teams hold, slip or lack data on each indicator (for the yearly report)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    indicators: dict[int, Indicator] = {}
    for team in summary.teams:
        for indicator, holding in team.indicators:
            indicators[indicator.pk] = indicator
            counts[indicator.pk][holding.state] += 1
    return [
        IndicatorHolding(
            indicator,
            counts[pk][HOLDING],
            counts[pk][SLIPPING],
            counts[pk][TOO_FEW] + counts[pk][NO_DATA],
        )
        for pk, indicator in indicators.items()
    ]


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def sustainment_holding(
    programmes: Sequence[Programme], today: dt.date | None = None
) -> dict[int, ProgrammeHolding]:
    """Every programme in sustainment among `programmes`, by id (none: no query at all)."""
    today = today or timezone.localdate()
    wanted = {p.pk: p for p in programmes if p.in_sustainment}
    if not wanted:
        return {}
    result = {
        pk: ProgrammeHolding(p, periods=p.reporting_periods(today)) for pk, p in wanted.items()
    }
    teams = list(
        ImprovementTeam.objects.filter(programme_id__in=list(wanted))
        .exclude(status=ImprovementTeam.Status.WITHDRAWN)
        .select_related("region")
        .order_by("region__name", "name")
    )
    indicators = list(
        Indicator.objects.filter(programme_id__in=list(wanted), is_active=True).order_by(
            "order", "name"
        )
    )
    points: dict[tuple[int, int], dict[dt.date, Point]] = defaultdict(dict)
    for row in Measurement.objects.filter(indicator__in=indicators, team__in=teams).values_list(
        "team_id", "indicator_id", "period_start", "numerator", "denominator", "value"
    ):
        team_id, indicator_id, period, *figures = row
        points[(team_id, indicator_id)][period] = Point(*(_float(x) for x in figures))
    changes: dict[int, list[ChartChange]] = defaultdict(list)
    for change in ChartChange.objects.filter(indicator__in=indicators):
        changes[change.indicator_id].append(change)
    plans = dict(SustainmentPlan.objects.filter(team__in=teams).values_list("team_id", "state"))
    by_programme: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        indicator.programme = wanted[indicator.programme_id]
        by_programme[indicator.programme_id].append(indicator)
    for summary in result.values():
        programme = summary.programme
        summary.due = [
            p
            for p in summary.periods
            if p > programme.end_date and programme.period_deadline(p) < today
        ][-RECENT_PERIODS:]
    for team in teams:
        summary = result[team.programme_id]
        holding = TeamHolding(team, plan_state=plans.get(team.pk, ""))
        for indicator in by_programme[team.programme_id]:
            own = points[(team.pk, indicator.pk)]
            relevant = [c for c in changes[indicator.pk] if c.team_id in (None, team.pk)]
            state = team_indicator_holding(indicator, summary.periods, own, relevant)
            holding.indicators.append((indicator, state))
            holding.registered += sum(period in own for period in summary.due)
            holding.expected += len(summary.due)
        summary.registered += holding.registered
        summary.expected += holding.expected
        summary.teams.append(holding)
    return result


def team_indicator_holding(
    indicator: Indicator,
    periods: Sequence[dt.date],
    points: dict[dt.date, Point],
    changes: Sequence[ChartChange],
) -> Holding:
    """One team's indicator: its sustainment points against its last improvement phase's
    median (the run chart's, with the same splits and baselines as the drawn chart)."""
    programme = indicator.programme
    lkt = [p for p in periods if programme.covers(p)]
    end = len(lkt)
    if end == len(periods) or end == 0:
        return Holding(NO_DATA, None)
    options = chart_options(indicator, lkt, changes, kind="run")
    nums, dens = series(indicator, periods, points)
    return analyse_sustainment(options, nums, dens, end)[1]


def _float(number: object) -> float | None:
    return None if number is None else float(number)  # type: ignore[arg-type]
