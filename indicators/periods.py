"""Months: the periods in which teams register data."""

from __future__ import annotations

import datetime as dt

MONTHS_DA = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from `start`'s month through `end`'s month."""
    first, last = first_of_month(start), first_of_month(end)
    result = []
    while first <= last:
        result.append(first)
        first = add_months(first, 1)
    return result


def label_da(month: dt.date) -> str:
    """'jan 2025'."""
    return f"{MONTHS_DA[month.month - 1]} {month.year}"


def parse_month(text: str) -> dt.date | None:
    """'2025-01' → 1 January 2025; None when it is not a month."""
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return None


def reporting_months(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """Months of a programme for which data can exist by `today`: up to the previous month."""
    last = min(first_of_month(end), add_months(first_of_month(today), -1))
    return months(start, last) if last >= first_of_month(start) else []
