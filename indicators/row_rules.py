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
from typing import TYPE_CHECKING, Protocol

from core.bounds import out_of_bounds
from indicators.models import Indicator, period_error
from indicators.models.rules import figure_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from programmes.models import Programme
    from teams.models import ImprovementTeam

# Within Measurement's DecimalField(max_digits=14, decimal_places=4) with room to spare.
_MOST_DIGITS, _MOST_DECIMALS = 10, 4


class Figures(Protocol):
    """A row as the services write it (`indicators.services.Entry`), read only."""

    @property
    def team(self) -> ImprovementTeam: ...
    @property
    def indicator(self) -> Indicator: ...
    @property
    def period_start(self) -> dt.date: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def comment(self) -> str: ...


class RowRules:
    """Asked for the rows of one upload or batch: “does the model surely accept this row?”"""

    def __init__(self) -> None:
        self._periods: dict[tuple[int, dt.date], StrOrPromise | None] = {}
        self._in_bounds: dict[dt.date, bool] = {}
        self._figures: dict[tuple, bool] = {}

    def surely_valid(self, row: Figures) -> bool:
        """True when `Measurement.full_clean` (its fields and `clean`) finds nothing; False
        when it may find something (then ask the model). The same rules as
        `measurement_errors`, each asked once per measure and figures, per programme and
        period, per team's and indicator's programme."""
        indicator, period = row.indicator, row.period_start
        if row.comment or not self.figures_valid(
            indicator.measure, row.numerator, row.denominator, row.value
        ):
            return False
        if type(period) is not dt.date or period.day != 1:
            return False
        return (
            row.team.programme_id == indicator.programme_id
            and self.in_bounds(period)
            and self.period_error(indicator.programme, period) is None
        )

    def figures_valid(
        self,
        measure: str,
        numerator: Decimal | None,
        denominator: Decimal | None,
        value: Decimal | None,
    ) -> bool:
        # By each number's digits and exponent: 1 and 1.00000 are equal, but only one is plain.
        key = (measure, _exactly(numerator), _exactly(denominator), _exactly(value))
        if key not in self._figures:
            self._figures[key] = (
                plain(numerator)
                and plain(denominator)
                and plain(value)
                and not figure_errors(measure, numerator, denominator, value)
            )
        return self._figures[key]

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


def _exactly(number: Decimal | None) -> tuple | None:
    if isinstance(number, Decimal):
        return (Decimal, number.as_tuple())
    return None if number is None else (type(number), number)


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
