"""Reads of indicator data: one query per page section, never one per team or indicator."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.months import reporting_months
from indicators.models import (
    DEFINITION_FIELDS,
    ChartChange,
    Indicator,
    IndicatorVersion,
    Measurement,
)
from programmes.models import Programme
from teams.models import ImprovementTeam, PDSACycle, ProgressScore


def active_indicators(programme: Programme) -> QuerySet[Indicator]:
    return programme.indicators.filter(is_active=True).order_by("order", "name")


def programme_months(programme: Programme, today: dt.date | None = None) -> list[dt.date]:
    """The months for which data can be registered so far (through last month)."""
    today = today or timezone.localdate()
    return reporting_months(programme.start_date, programme.end_date, today)


def reporting_periods(programme: Programme, today: dt.date | None = None) -> list[dt.date]:
    """The periods data can be registered for so far: the LKT's months through last month and,
    in sustainment, the ended sustainment periods after the end date (months or quarters)."""
    return programme.reporting_periods(today or timezone.localdate())


@dataclass(frozen=True)
class Point:
    numerator: float | None
    denominator: float | None
    value: float | None


def _point(row: Mapping[str, Any]) -> Point:
    def f(x: Decimal | None) -> float | None:
        return None if x is None else float(x)

    return Point(f(row["numerator"]), f(row["denominator"]), f(row["value"]))


def team_points(team: ImprovementTeam) -> dict[tuple[int, dt.date], Point]:
    """Every measurement of the team, by (indicator id, month)."""
    rows = Measurement.objects.filter(team=team).values(
        "indicator_id", "period_start", "numerator", "denominator", "value"
    )
    return {(r["indicator_id"], r["period_start"]): _point(r) for r in rows}


def programme_points(
    programme: Programme, indicator: Indicator | None = None
) -> dict[tuple[int, int, dt.date], Point]:
    """Every measurement of every team in the programme (of one `indicator`, if given), by
    (team id, indicator id, month)."""
    found = Measurement.objects.filter(indicator__programme=programme)
    if indicator is not None:
        found = found.filter(indicator=indicator)
    rows = found.values(
        "team_id", "indicator_id", "period_start", "numerator", "denominator", "value"
    )
    return {(r["team_id"], r["indicator_id"], r["period_start"]): _point(r) for r in rows}


def chart_changes(
    programme: Programme, indicator: Indicator | None = None
) -> dict[int, list[ChartChange]]:
    """The programme's (or one indicator's) baselines and splits by indicator id."""
    changes: dict[int, list[ChartChange]] = defaultdict(list)
    found = ChartChange.objects.filter(indicator__programme=programme)
    if indicator is not None:
        found = found.filter(indicator=indicator)
    for change in found.select_related("created_by", "team"):
        changes[change.indicator_id].append(change)
    return changes


def registrations_per_team_month(
    programme: Programme, indicator_ids: list[int]
) -> dict[tuple[int, dt.date], int]:
    """How many of the indicators each team registered per month, in one grouped query."""
    rows = (
        Measurement.objects.filter(team__programme=programme, indicator_id__in=indicator_ids)
        .values("team_id", "period_start")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["team_id"], r["period_start"]): r["n"] for r in rows}


def definition_notes(indicator_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, str]]]:
    """Chart annotations "Definition ændret" by indicator id: one per month in which the
    indicator's definition or target was changed (one query)."""
    notes: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    versions = IndicatorVersion.objects.filter(indicator_id__in=list(indicator_ids)).order_by(
        "changed_at"
    )
    for indicator_id, month, changes in versions.values_list("indicator_id", "month", "changes"):
        if set(changes) & set(DEFINITION_FIELDS):
            note = (month, _("Definition ændret"))
            if note not in notes[indicator_id]:
                notes[indicator_id].append(note)
    return notes


def team_pdsa_cycles(team: ImprovementTeam) -> list[PDSACycle]:
    """The team's cycles in date order, with their indicators (for the chart notes)."""
    return list(team.pdsa_cycles.prefetch_related("indicators").order_by("started_on"))


def latest_progress_scores(programme: Programme) -> dict[int, ProgressScore]:
    """Each team's most recent score of its own."""
    latest: dict[int, ProgressScore] = {}
    for score in ProgressScore.objects.filter(
        team__programme=programme, rater=ProgressScore.Rater.TEAM
    ).order_by("month"):
        latest[score.team_id] = score
    return latest
