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


# --- Sustainment (fastholdelse): measuring on after the LKT's end -----------------------------
#
# After the end date a programme in sustainment is measured monthly or quarterly. A quarter is
# stored like a month, by its first day (period_start 1 July 2027 is the third quarter of 2027),
# and shown as "3. kvt. 2027". Periods begin the month after the end month; with quarterly
# measuring, the months before the first whole quarter (at most two) are bridged as months, so
# no stretch after the end date goes unmeasured and no quarter overlaps an LKT month.

MONTHLY = "monthly"
QUARTERLY = "quarterly"


def quarter_start(day: dt.date) -> dt.date:
    """First day of `day`'s calendar quarter: 1 January, 1 April, 1 July or 1 October."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_number(day: dt.date) -> int:
    """1-4: the calendar quarter `day` lies in."""
    return (day.month - 1) // 3 + 1


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the measuring period `day` falls in: its month ("monthly") or its
    calendar quarter ("quarterly", as in a programme's sustainment frequency)."""
    return quarter_start(day) if frequency == "quarterly" else first_of_month(day)


def _step(period: dt.date, frequency: str) -> int:
    """Months in the sustainment period that begins on `period`."""
    return 3 if frequency == QUARTERLY and period == quarter_start(period) else 1


def sustainment_first(end: dt.date) -> dt.date:
    """The first sustainment period: the month after the LKT's end month."""
    return add_months(first_of_month(end), 1)


def sustainment_period_start(day: dt.date, frequency: str, end: dt.date) -> dt.date:
    """Start of the sustainment period `day` falls in (after `end`, the LKT's last day)."""
    month = first_of_month(day)
    if frequency != QUARTERLY:
        return month
    quarter = quarter_start(month)
    return quarter if quarter >= sustainment_first(end) else month


def period_months(period: dt.date, frequency: str) -> int:
    """How many months the sustainment period beginning on `period` spans (1 or 3)."""
    return _step(period, frequency)


def next_period(period: dt.date, frequency: str) -> dt.date:
    """The first day after the sustainment period beginning on `period`."""
    return add_months(period, _step(period, frequency))


def sustainment_periods(end: dt.date, frequency: str, today: dt.date) -> list[dt.date]:
    """The sustainment periods after `end` that have ended by `today` (so data can exist),
    each by its first day."""
    result = []
    period = sustainment_first(end)
    while next_period(period, frequency) <= today:
        result.append(period)
        period = next_period(period, frequency)
    return result


def is_sustainment_period(day: dt.date, end: dt.date, frequency: str, today: dt.date) -> bool:
    """True when `day` is the first day of a sustainment period after `end` that has ended."""
    return (
        day.day == 1
        and day >= sustainment_first(end)
        and sustainment_period_start(day, frequency, end) == day
        and next_period(day, frequency) <= today
    )


def period_deadline(period: dt.date, deadline_day: int, length: int = 1) -> dt.date:
    """The last day to register a period's data: `deadline_day` of the month after the period
    (`length` months long: 3 for a quarter, so the month after the quarter's last month)."""
    return add_months(first_of_month(period), length).replace(day=deadline_day)
