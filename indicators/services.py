"""Writes for indicator data: recording one team's figure for one period."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from indicators.models import Indicator, Measurement
from teams.models import ImprovementTeam


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
    measurement.full_clean()
    measurement.save()
    return measurement


def _decimal(number: Decimal | int | float | None) -> Decimal | None:
    if number is None:
        return None
    return number if isinstance(number, Decimal) else Decimal(str(number))
