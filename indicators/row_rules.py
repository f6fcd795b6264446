"""`Measurement.full_clean`'s verdict on many rows without a model for each.

An upload or an API batch of 100,000 rows asks the model's rules 100,000 times. `RowRules`
answers “surely valid” from the same rules (`indicators.models.rules`) with the programme's
periods asked once per programme and month, and only where every field is plainly within the
model's fields (a number of at most 10 whole digits and 4 decimals, no comment, a date within
the portal's bounds). Any other row is left to the model itself (`full_clean`), so a refused
row is named in exactly the model's words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from core.bounds import out_of_bounds
from indicators.models import Indicator, measurement_errors, period_error

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from programmes.models import Programme
    from teams.models import ImprovementTeam

# Within Measurement's DecimalField(max_digits=14, decimal_places=4) with room to spare.
_MOST_DIGITS, _MOST_DECIMALS = 10, 4


class RowRules:
    """Asked for the rows of one upload or batch: “does the model surely accept this row?”"""

    def __init__(self) -> None:
        self._periods: dict[tuple[int, dt.date], StrOrPromise | None] = {}
        self._in_bounds: dict[dt.date, bool] = {}

    def surely_valid(
        self,
        *,
        team: ImprovementTeam,
        indicator: Indicator,
        period_start: dt.date,
        numerator: Decimal | None,
        denominator: Decimal | None,
        value: Decimal | None,
        comment: str,
    ) -> bool:
        """True when `Measurement.full_clean` (its fields and `clean`) finds nothing; False
        when it may find something (then ask the model)."""
        if comment or not (plain(numerator) and plain(denominator) and plain(value)):
            return False
        if not self.in_bounds(period_start):
            return False
        return not measurement_errors(
            indicator,
            team,
            period_start=period_start,
            numerator=numerator,
            denominator=denominator,
            value=value,
            period_rule=self.period_error,
        )

    def period_error(self, programme: Programme, period: dt.date) -> StrOrPromise | None:
        """`period_error`, asked once per programme and period (not once per row)."""
        key = (programme.pk, period)
        if key not in self._periods:
            self._periods[key] = period_error(programme, period)
        return self._periods[key]

    def in_bounds(self, day: dt.date) -> bool:
        if day not in self._in_bounds:
            self._in_bounds[day] = type(day) is dt.date and not out_of_bounds(day=day)
        return self._in_bounds[day]


def plain(number: Decimal | None) -> bool:
    """True for nothing, or a finite Decimal the model's decimal fields surely take as it is."""
    if number is None:
        return True
    if type(number) is not Decimal:
        return False
    exponent = number.as_tuple().exponent
    # A NaN or an infinity has a letter for its exponent.
    return (
        type(exponent) is int
        and -_MOST_DECIMALS <= exponent <= 0
        and (number.adjusted() < _MOST_DIGITS + exponent)
    )
