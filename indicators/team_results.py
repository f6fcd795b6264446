"""A team's analysed series: what the team's results page draws and the API reports."""

from __future__ import annotations

from indicators import selectors
from indicators.charting import Chart, build_chart
from teams.models import ImprovementTeam


def team_charts(team: ImprovementTeam, *, kind: str = "run", draw: bool = True) -> list[Chart]:
    """One chart per active indicator of the team's programme, with PDSA and definition notes."""
    months = selectors.programme_months(team.programme)
    points = selectors.team_points(team)
    changes = selectors.chart_changes(team.programme)
    cycles = selectors.team_pdsa_cycles(team)
    indicators = list(selectors.active_indicators(team.programme))
    definitions = selectors.definition_notes(i.pk for i in indicators)
    charts = []
    for indicator in indicators:
        own = {m: p for (ind, m), p in points.items() if ind == indicator.pk}
        notes = [
            (c.started_on.replace(day=1), f"PDSA: {c.title}")
            for c in cycles
            if c.indicator_id in (None, indicator.pk)
        ] + definitions.get(indicator.pk, [])
        relevant = [c for c in changes.get(indicator.pk, []) if c.team_id in (None, team.pk)]
        charts.append(
            build_chart(
                indicator,
                months,
                own,
                title=indicator.name,
                kind=kind,
                changes=relevant,
                annotations=notes,
                draw=draw,
            )
        )
    return charts
