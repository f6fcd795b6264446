"""Writes for indicator data: recording one team's figure for one period."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from indicators.models import ChartChange, Indicator, Measurement
from teams.models import ImprovementTeam, ProgressScore


@transaction.atomic
def measurement_record(
    *,
    team: ImprovementTeam,
    indicator: Indicator,
    period_start,
    numerator: Decimal | int | None = None,
    denominator: Decimal | int | None = None,
    value: Decimal | int | float | None = None,
    comment: str = "",
    by: User | None,
) -> Measurement:
    """Create or correct the team's measurement for the period; refused with a clear message."""
    measurement = (
        Measurement.objects.select_for_update()
        .filter(team=team, indicator=indicator, period_start=period_start)
        .first()
    ) or Measurement(team=team, indicator=indicator, period_start=period_start)
    measurement.numerator = _decimal(numerator)
    measurement.denominator = _decimal(denominator)
    measurement.value = _decimal(value)
    measurement.comment = comment
    measurement.registered_by = by
    measurement._history_user = by  # django-simple-history: who made this version
    measurement.full_clean()
    measurement.save()
    return measurement


def _decimal(number: Decimal | int | float | None) -> Decimal | None:
    if number is None:
        return None
    return number if isinstance(number, Decimal) else Decimal(str(number))


@transaction.atomic
def progress_score_set(
    *, team: ImprovementTeam, month, score, comment: str = "", by: User | None
) -> ProgressScore:
    """Set (or correct) the team's IHI progress score for a month."""
    entry = ProgressScore.objects.filter(team=team, month=month).first() or ProgressScore(
        team=team, month=month
    )
    entry.score = Decimal(str(score))
    entry.comment = comment
    entry.set_by = by
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def chart_change_add(
    *, indicator: Indicator, kind: str, period_start, reason: str, team=None, by: User | None
) -> ChartChange:
    """Record a baseline or a split of an indicator's charts, with the reason."""
    change = ChartChange(
        indicator=indicator,
        team=team,
        kind=kind,
        period_start=period_start,
        reason=reason,
        created_by=by,
    )
    change.full_clean()
    change.save()
    return change
