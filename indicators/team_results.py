"""A team's analysed series: what the team's results page draws and the API reports."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from indicators import selectors
from indicators.charting import Chart, build_chart
from teams.models import ImprovementTeam, PDSACycle

PREDICTION_IN_NOTE = 240  # characters of a cycle's prediction in its chart note


def team_charts(team: ImprovementTeam, *, kind: str = "run", draw: bool = True) -> list[Chart]:
    """One chart per active indicator of the team's programme, with PDSA and definition notes;
    in sustainment the periods after the end date are the chart's sustainment phase."""
    programme = team.programme
    months = selectors.reporting_periods(programme)
    lkt_months = sum(1 for m in months if programme.covers(m))
    quarters = [m for m in months if programme.is_quarter(m)]
    points = selectors.team_points(team)
    changes = selectors.chart_changes(team.programme)
    cycles = selectors.team_pdsa_cycles(team)
    indicators = list(selectors.active_indicators(team.programme))
    definitions = selectors.definition_notes(i.pk for i in indicators)
    charts = []
    for indicator in indicators:
        own = {m: p for (ind, m), p in points.items() if ind == indicator.pk}
        notes: list[tuple[dt.date, str] | tuple[dt.date, str, str]] = [
            (c.started_on.replace(day=1), f"PDSA: {c.title}", cycle_note(c))
            for c in cycles
            if not c.indicators.all() or indicator in c.indicators.all()
        ]
        notes += definitions.get(indicator.pk, [])
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
                sustainment_from=lkt_months if lkt_months < len(months) else None,
                quarters=quarters,
            )
        )
    return charts


def cycle_note(cycle: PDSACycle) -> str:
    """A cycle's chart note in words: its prediction and its decision (or how far it is)."""
    parts = []
    if cycle.prediction:
        prediction = " ".join(cycle.prediction.split())
        if len(prediction) > PREDICTION_IN_NOTE:
            prediction = prediction[: PREDICTION_IN_NOTE - 1] + "…"
        parts.append(_("Forudsigelse: %(prediction)s") % {"prediction": prediction})
    if cycle.decision:
        parts.append(_("Beslutning: %(decision)s") % {"decision": cycle.get_decision_display()})
    else:
        parts.append(_("Tilstand: %(state)s") % {"state": cycle.get_state_display()})
    text = parts[0]
    for part in parts[1:]:  # a prediction may end its own sentence
        text += (" " if text.endswith((".", "!", "?", "…")) else ". ") + part
    return text
