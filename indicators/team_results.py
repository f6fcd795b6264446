"""A team's analysed series: what the team's results page draws and the API reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators import selectors
from indicators.charting import Chart, build_chart
from indicators.models import ChartChange, Indicator
from indicators.selectors import Point
from programmes.models import Programme
from teams.models import ImprovementTeam, PDSACycle

PREDICTION_IN_NOTE = 240  # characters of a cycle's prediction in its chart note


@dataclass(frozen=True)
class Frame:
    """The periods of a team's charts: the LKT's months and, in sustainment, the periods after
    the end date (from `sustainment_from` on; some of them quarters)."""

    periods: list[dt.date]
    sustainment_from: int | None
    quarters: list[dt.date]


def chart_frame(programme: Programme) -> Frame:
    periods = selectors.reporting_periods(programme)
    lkt_months = sum(1 for m in periods if programme.covers(m))
    return Frame(
        periods,
        lkt_months if lkt_months < len(periods) else None,
        [m for m in periods if programme.is_quarter(m)],
    )


def team_chart(
    indicator: Indicator,
    frame: Frame,
    own: dict[dt.date, Point],
    *,
    kind: str,
    changes: list[ChartChange],
    notes: list,
    draw: bool = True,
) -> Chart:
    """One indicator's chart of a team's own figures (`own`, by period)."""
    return build_chart(
        indicator,
        frame.periods,
        own,
        title=indicator.name,
        kind=kind,
        changes=changes,
        annotations=notes,
        draw=draw,
        sustainment_from=frame.sustainment_from,
        quarters=frame.quarters,
    )


def team_charts(team: ImprovementTeam, *, kind: str = "run", draw: bool = True) -> list[Chart]:
    """One chart per active indicator of the team's programme, with PDSA and definition notes;
    in sustainment the periods after the end date are the chart's sustainment phase."""
    frame = chart_frame(team.programme)
    points = selectors.team_points(team)
    changes = selectors.chart_changes(team.programme)
    cycles = selectors.team_pdsa_cycles(team)
    indicators = list(selectors.active_indicators(team.programme))
    definitions = selectors.definition_notes(i.pk for i in indicators)
    return [
        team_chart(
            indicator,
            frame,
            {m: p for (ind, m), p in points.items() if ind == indicator.pk},
            kind=kind,
            changes=[c for c in changes.get(indicator.pk, []) if c.team_id in (None, team.pk)],
            notes=chart_notes(indicator, cycles, definitions),
            draw=draw,
        )
        for indicator in indicators
    ]


def chart_notes(
    indicator: Indicator,
    cycles: list[PDSACycle],
    definitions: dict[int, list[tuple[dt.date, str]]],
) -> list[tuple[dt.date, str] | tuple[dt.date, str, str]]:
    """The notes on a team's chart of `indicator`: the cycles aimed at it (or at no indicator in
    particular) with their prediction and decision, then the definition changes."""
    notes: list[tuple[dt.date, str] | tuple[dt.date, str, str]] = [
        (c.started_on.replace(day=1), f"PDSA: {c.title}", cycle_note(c))
        for c in cycles
        if not c.indicators.all() or indicator in c.indicators.all()
    ]
    notes += definitions.get(indicator.pk, [])
    return notes


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
