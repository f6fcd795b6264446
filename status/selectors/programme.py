"""One LKT's status page (and its PDF) with its LKT-level charts, and one indicator's page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from indicators.chart_cache import changes_state, drawing_key, drawn_once_each, indicator_state
from indicators.charting import Chart, build_chart
from indicators.completeness import Provisional, provisional_months
from indicators.models import ChartChange, Indicator
from indicators.selectors import Point
from indicators.summaries import lkt_series, points_of, provisional_of, summaries_for
from programmes.models import Programme, Region
from status.selectors.overview import annotated_programmes, status_rows
from status.selectors.series import SeriesStatus, series_status
from status.selectors.teams import team_statuses
from teams.models import ImprovementTeam


def programme_status(programme: Programme, today: dt.date | None = None) -> dict:
    """Everything the programme's status page (and its PDF) shows, in a fixed number of queries.

    The indicators' LKT-level charts are drawn from the cached monthly figures, never from the
    measurements.
    """
    today = today or timezone.localdate()
    if not hasattr(programme, "latest_rating_id"):
        programme = annotated_programmes().get(pk=programme.pk)
    regions = list(Region.objects.order_by("name"))
    (row,) = status_rows([programme], regions, today)
    teams = list(
        programme.teams.select_related("region")
        .prefetch_related("organisations")
        .order_by("region__name", "name")
    )
    team_rows = team_statuses(teams, [s.indicator for s in row.indicators], row.periods)
    if row.sustainment:  # completeness of the sustainment periods, not of the LKT's months
        held = {t.team.pk: t for t in row.sustainment.teams}
        for status in team_rows:
            own = held.get(status.team.pk)
            status.registered, status.expected = (own.registered, own.expected) if own else (0, 0)
    return {
        "programme": programme,
        "row": row,
        "charts": lkt_figures(programme, row.indicators),
        "teams": team_rows,
        "seminars": list(programme.seminars.order_by("starts_at")),
        "ratings": list(programme.ratings.select_related("rated_by")[:3]),
        "today": today,
        "now": timezone.now(),
    }


def lkt_charts(programme: Programme, series: Sequence[SeriesStatus]) -> list[Chart]:
    """The LKT-level control chart of each indicator, drawn from its cached monthly figures."""
    return [draw() for _, draw in _lkt_drawings(programme, series)]


def lkt_figures(programme: Programme, series: Sequence[SeriesStatus]) -> list[SafeString]:
    """The same charts as figures (`status/_programme_chart.html`), each drawn once per version
    of its series (`indicators.chart_cache`)."""
    return drawn_once_each(
        (key, partial(_figure, draw)) for key, draw in _lkt_drawings(programme, series)
    )


def _figure(draw: Callable[[], Chart]) -> str:
    return render_to_string(FIGURE, {"chart": draw()})


FIGURE = "status/_programme_chart.html"


def _lkt_drawings(
    programme: Programme, series: Sequence[SeriesStatus]
) -> list[tuple[str | None, Callable[[], Chart]]]:
    """Per indicator: the drawing's key and how to draw it (from the stored summary)."""
    from indicators.selectors import definition_notes, programme_months

    months = programme_months(programme)
    indicators = [s.indicator for s in series]
    summaries = summaries_for(indicators)  # with the monthly figures this time
    changes = defaultdict(list)
    for change in ChartChange.objects.filter(indicator__in=indicators, team__isnull=True):
        changes[change.indicator_id].append(change)
    definitions = definition_notes(i.pk for i in indicators)
    after = sustainment_series(programme, indicators)
    periods = [*months, *after.periods]
    drawings: list[tuple[str | None, Callable[[], Chart]]] = []
    for indicator in indicators:
        summary = summaries[(indicator.pk, None)]
        own_changes = changes.get(indicator.pk, [])
        notes = definitions.get(indicator.pk, [])
        points, provisional = after.of(indicator)  # sustainment: not in the stored summary
        version = (
            f"{summary.pk}:{summary.computed_at.isoformat()}:{summary.signature}"
            if summary.pk
            else None
        )
        inputs = [FIGURE, indicator_state(indicator), periods, changes_state(own_changes), notes]
        inputs += [programme.name, sorted(points.items()), sorted(provisional.items())]
        draw = partial(
            build_chart,
            indicator,
            periods,
            {**points_of(summary, months), **points},
            title=f"{indicator.name} – {programme.name}",
            kind="spc",
            changes=own_changes,
            annotations=notes,
            width=720,
            height=300,
            lkt=True,
            provisional={**provisional_of(summary), **provisional},
            sustainment_from=len(months) if after.periods else None,
            quarters=after.quarters,
        )
        drawings.append((drawing_key([version], inputs), draw))
    return drawings


@dataclass
class SustainmentSeries:
    """The LKT-level points of the sustainment periods (not in the cached summaries)."""

    periods: list[dt.date] = field(default_factory=list)
    quarters: list[dt.date] = field(default_factory=list)
    points: dict[int, dict[dt.date, Point]] = field(default_factory=dict)
    provisional: dict[int, dict[dt.date, Provisional]] = field(default_factory=dict)

    def of(self, indicator: Indicator) -> tuple[dict[dt.date, Point], dict[dt.date, Provisional]]:
        return self.points.get(indicator.pk, {}), self.provisional.get(indicator.pk, {})


def sustainment_series(
    programme: Programme, indicators: Sequence[Indicator], today: dt.date | None = None
) -> SustainmentSeries:
    """In sustainment: the periods after the end date, their LKT-level points and the
    provisional ones (a quarter's deadline falls after the quarter); two queries. Empty
    (no query) for a programme that is not in sustainment."""
    today = today or timezone.localdate()
    periods = programme.sustainment_periods(today)
    if not periods:
        return SustainmentSeries()
    result = SustainmentSeries(periods, [p for p in periods if programme.is_quarter(p)])
    starts = list(
        programme.teams.exclude(status=ImprovementTeam.Status.WITHDRAWN).values_list(
            "started_on", flat=True
        )
    )
    lengths = {p: programme.period_months(p) for p in periods}
    for pk, (points, counts) in lkt_series(list(indicators)).items():
        result.points[pk] = {p: points[p] for p in periods if p in points}
        result.provisional[pk] = provisional_months(
            periods,
            counts,
            starts,
            deadline_day=programme.data_deadline_day,
            today=today,
            lengths=lengths,
        )
    return result


# --- One indicator ---------------------------------------------------------------------------


def indicator_status(indicator: Indicator, teams: Sequence[ImprovementTeam]) -> dict:
    """The indicator's LKT-level chart and its teams' series (the page's teams only)."""
    programme = indicator.programme
    lkt = summaries_for([indicator])[(indicator.pk, None)]
    (chart,) = lkt_charts(programme, [series_status(indicator, lkt)])
    summaries = summaries_for(
        [indicator], team_ids=[t.pk for t in teams], lkt=False, with_points=False
    )
    return {
        "lkt": series_status(indicator, lkt),
        "chart": chart,
        "team_series": [
            series_status(indicator, summaries[(indicator.pk, t.pk)], t) for t in teams
        ],
    }
