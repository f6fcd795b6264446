"""The programme's results page: LKT-level charts, small multiples, funnel and completeness."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from indicators import selectors
from indicators.charting import Chart, build_chart, draw_chart, shared_range
from indicators.completeness import Provisional, provisional_months
from indicators.funnel import FunnelPoint
from indicators.funnel_view import FunnelView, funnel_view
from indicators.models import ChartChange, Indicator
from indicators.selectors import Point
from programmes.models import Programme
from teams.models import ImprovementTeam

FUNNEL_WINDOW = 3  # months
SMALL_WIDTH, SMALL_HEIGHT = 440, 250  # the viewBox of a team's small multiple


@dataclass
class IndicatorResults:
    indicator: Indicator
    aggregate: Chart
    teams: list[tuple[ImprovementTeam, Chart]]
    funnel: FunnelView | None = None


def aggregate_points(
    indicator: Indicator, team_ids: list[int], points: dict, months: list[dt.date]
) -> dict[dt.date, Point]:
    """Sum of numerators over sum of denominators per month; for counts and values the mean per
    reporting team, so the LKT's figure does not move because a team is missing."""
    result = {}
    for month in months:
        rows = [
            points[(t, indicator.pk, month)] for t in team_ids if (t, indicator.pk, month) in points
        ]
        if not rows:
            continue
        if indicator.has_denominator:
            result[month] = Point(
                sum(r.numerator for r in rows), sum(r.denominator for r in rows), None
            )
        else:
            values = [r.value for r in rows if r.value is not None]
            if values:
                result[month] = Point(None, None, sum(values) / len(values))
    return result


def lkt_provisional(
    indicator: Indicator,
    teams: list[ImprovementTeam],
    points: dict[tuple[int, int, dt.date], Point],
    months: list[dt.date],
    today: dt.date,
) -> dict[dt.date, Provisional]:
    """The indicator's LKT-level months that do not count yet (`indicators.completeness`)."""
    reported = {
        month: sum((t.pk, indicator.pk, month) in points for t in teams) for month in months
    }
    return provisional_months(
        months,
        reported,
        [t.started_on for t in teams],
        deadline_day=indicator.programme.data_deadline_day,
        today=today,
    )


def lkt_chart(
    indicator: Indicator,
    programme: Programme,
    teams: list[ImprovementTeam],
    points: dict[tuple[int, int, dt.date], Point],
    months: list[dt.date],
    changes: dict[int, list[ChartChange]],
    definitions: dict[int, list[tuple[dt.date, str]]],
    today: dt.date,
    *,
    kind: str = "run",
    draw: bool = True,
) -> Chart:
    """The indicator's LKT-level chart: summed over the teams, provisional months apart."""
    return build_chart(
        indicator,
        months,
        aggregate_points(indicator, [t.pk for t in teams], points, months),
        title=f"{indicator.name} – {programme.name}",
        kind=kind,
        changes=[c for c in changes.get(indicator.pk, []) if c.team_id is None],
        annotations=definitions.get(indicator.pk, []),
        lkt=True,
        provisional=lkt_provisional(indicator, teams, points, months, today),
        draw=draw,
    )


def lkt_charts(programme: Programme, *, kind: str = "run", draw: bool = True) -> list[Chart]:
    """The LKT-level chart of every active indicator, as the programme's results page has them."""
    months = selectors.programme_months(programme)
    teams = list(programme.teams.order_by("region__name", "name"))
    points = selectors.programme_points(programme)
    changes = selectors.chart_changes(programme)
    indicators = list(selectors.active_indicators(programme))
    definitions = selectors.definition_notes(i.pk for i in indicators)
    today = timezone.localdate()
    return [
        lkt_chart(
            indicator,
            programme,
            teams,
            points,
            months,
            changes,
            definitions,
            today,
            kind=kind,
            draw=draw,
        )
        for indicator in indicators
    ]


def programme_results(programme: Programme, *, kind: str = "run") -> dict:
    """Everything the programme's results page shows, in a fixed number of queries."""
    months = selectors.programme_months(programme)
    teams = list(programme.teams.select_related("region").order_by("region__name", "name"))
    points = selectors.programme_points(programme)
    changes = selectors.chart_changes(programme)
    indicators = list(selectors.active_indicators(programme))
    today = timezone.localdate()
    definitions = selectors.definition_notes(i.pk for i in indicators)
    results = []
    for indicator in indicators:
        aggregate = lkt_chart(
            indicator, programme, teams, points, months, changes, definitions, today, kind=kind
        )
        small = []
        for team in teams:
            own = {
                m: points[(team.pk, indicator.pk, m)]
                for m in months
                if (team.pk, indicator.pk, m) in points
            }
            relevant = [c for c in changes.get(indicator.pk, []) if c.team_id in (None, team.pk)]
            small.append(
                (
                    team,
                    build_chart(
                        indicator,
                        months,
                        own,
                        title=team.name,
                        kind=kind,
                        changes=relevant,
                        annotations=definitions.get(indicator.pk, []),
                        draw=False,
                    ),
                )
            )
        # Every team's panel of one indicator on the same y scale, so the panels compare.
        common = shared_range(chart for _, chart in small)
        for _, chart in small:
            draw_chart(
                chart, width=SMALL_WIDTH, height=SMALL_HEIGHT, y_range=common, legend_rows_min=2
            )
        provisional = lkt_provisional(indicator, teams, points, months, today)
        complete = [m for m in months if m not in provisional]
        funnel = _funnel(indicator, teams, points, complete)
        results.append(IndicatorResults(indicator, aggregate, small, funnel))
    return {
        "months": months,
        "results": results,
        "completeness": _completeness(teams, indicators, points, months),
        "scores": selectors.latest_progress_scores(programme),
        "teams": teams,
    }


def _funnel(
    indicator: Indicator, teams: list, points: dict, months: list[dt.date]
) -> FunnelView | None:
    """Each team's sums over the latest months, compared in a funnel plot."""
    if not indicator.has_denominator or not months:
        return None
    window = months[-FUNNEL_WINDOW:]
    rows = []
    for team in teams:
        own = [
            points[(team.pk, indicator.pk, m)]
            for m in window
            if (team.pk, indicator.pk, m) in points
        ]
        if own:
            rows.append(
                FunnelPoint(
                    team.name, sum(p.numerator for p in own), sum(p.denominator for p in own)
                )
            )
    return funnel_view(indicator, rows, window)


@dataclass
class Completeness:
    team: ImprovementTeam
    registered: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.registered / self.expected) if self.expected else 0


def _completeness(
    teams: list[ImprovementTeam],
    indicators: list[Indicator],
    points: dict[tuple[int, int, dt.date], Point],
    months: list[dt.date],
) -> list[Completeness]:
    """Registered / expected team-months per team, from the team's start (or the programme's)."""
    counted: defaultdict[tuple[int, dt.date], int] = defaultdict(int)
    wanted = {ind.pk for ind in indicators}
    for team_id, indicator_id, month in points:
        if indicator_id in wanted:
            counted[(team_id, month)] += 1
    rows = []
    for team in teams:
        own_months = [
            m for m in months if not team.started_on or m >= team.started_on.replace(day=1)
        ]
        registered = sum(min(counted[(team.pk, m)], len(wanted)) for m in own_months)
        rows.append(Completeness(team, registered, len(own_months) * len(wanted)))
    return rows
