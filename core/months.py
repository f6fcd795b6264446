"""Months and data deadlines: the periods in which teams register data. No Django here.

Every app counts months with these functions, so "the last three periods whose deadline has
passed" means the same on the status pages, in the summaries and in the reminders.
"""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS_DA = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

# How many of the latest periods the completeness figures and the "recent" counts look at.
RECENT_PERIODS = 3


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day n months later (or earlier); the 31st becomes the month's last day.

    The first of a month stays the first: `add_months(dt.date(2025, 1, 1), 1)` is 1 February.
    """
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from `start`'s month through `end`'s month."""
    first, last = first_of_month(start), first_of_month(end)
    result = []
    while first <= last:
        result.append(first)
        first = add_months(first, 1)
    return result


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start`'s month to `end`'s month (negative when before)."""
    return (end.year - start.year) * 12 + end.month - start.month


def label_da(month: dt.date) -> str:
    """'jan 2025'."""
    return f"{MONTHS_DA[month.month - 1]} {month.year}"


def parse_month(text: str) -> dt.date | None:
    """'2025-01' → 1 January 2025; None when it is not a month."""
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError, OverflowError):
        return None


def reporting_months(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """Months of a programme for which data can exist by `today`: up to the previous month."""
    last = min(first_of_month(end), add_months(first_of_month(today), -1))
    return months(start, last) if last >= first_of_month(start) else []


def data_deadline(period: dt.date, deadline_day: int) -> dt.date:
    """The last day to register a period's data: `deadline_day` of the following month."""
    return add_months(first_of_month(period), 1).replace(day=deadline_day)


def due_months(
    start: dt.date, end: dt.date, deadline_day: int, today: dt.date, count: int = RECENT_PERIODS
) -> list[dt.date]:
    """The last `count` months of a programme whose data deadline has passed by `today`."""
    due = [
        month
        for month in reporting_months(start, end, today)
        if data_deadline(month, deadline_day) < today
    ]
    return due[-count:]


def quarter_start(day: dt.date) -> dt.date:
    """The first day of `day`'s calendar quarter: 17 May 2026 → 1 April 2026."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the measuring period `day` falls in: its month ("monthly") or its
    calendar quarter ("quarterly", as in a programme's sustainment frequency)."""
    return quarter_start(day) if frequency == "quarterly" else first_of_month(day)
