"""The range of dates a person may give: the portal's programmes run in this century.

Without a bound a programme from year 1 makes the data page list two thousand years of months,
and a date near year 9999 overflows the first date computed from it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def out_of_bounds(**dates: dt.date | None) -> dict[str, str]:
    """The message for each named date outside EARLIEST–LATEST (datetimes by their date)."""
    errors = {}
    for name, day in dates.items():
        if isinstance(day, dt.datetime):
            day = day.date()
        if day is not None and not EARLIEST <= day <= LATEST:
            errors[name] = _bounds_message()
    return errors


def _bounds_message() -> str:
    """Formatted only for a date out of range: every model's clean asks about its dates, and an
    upload of 100,000 rows asks 100,000 times."""
    return _("Datoen skal ligge mellem %(earliest)s og %(latest)s.") % {
        "earliest": date_format(EARLIEST, "j. F Y"),
        "latest": date_format(LATEST, "j. F Y"),
    }


def check_bounds(**dates: dt.date | None) -> None:
    """Raise a ValidationError by field for each date outside the range."""
    errors = out_of_bounds(**dates)
    if errors:
        raise ValidationError(errors)
