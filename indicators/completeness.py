"""When an LKT-level month counts: the one rule for complete and provisional periods (SPC.md,
"Incomplete periods"). Pure Python, no Django, like the SPC engine.

A month is *complete* when every expected team has registered it, or when its data deadline
has passed; until then it is *provisional*: drawn apart and left out of the centre line, the
limits, the runs analysis, the verdicts and every "latest value".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from core.months import add_months, data_deadline, first_of_month, period_deadline


def is_complete(reported: int, expected: int, deadline_passed: bool) -> bool:
    """The rule itself: every expected team has reported, or the deadline has passed."""
    return deadline_passed or reported >= expected


@dataclass(frozen=True)
class Provisional:
    """A provisional month: how many of the expected teams have registered it so far."""

    month: dt.date
    reported: int
    expected: int


def expected_teams(starts: Iterable[dt.date | None], month: dt.date) -> int:
    """Teams expected to report `month`: those that had started by then (no date: from the
    programme's start), as the completeness table on the results page counts them."""
    return sum(1 for start in starts if start is None or first_of_month(start) <= month)


def provisional_months(
    months: Sequence[dt.date],
    reported: Mapping[dt.date, int],
    team_starts: Sequence[dt.date | None],
    *,
    deadline_day: int,
    today: dt.date,
    lengths: Mapping[dt.date, int] | None = None,
) -> dict[dt.date, Provisional]:
    """The months with data that do not count yet, by month.

    `reported` is the number of teams that registered each month; a month no team has
    registered has nothing to draw and is left out. The deadline has passed the day after
    `core.months.data_deadline` (the deadline day itself is still open, as in `due_months`).
    `lengths` gives the periods that are longer than a month (3: a sustainment quarter, whose
    deadline is in the month after the quarter).
    """
    result = {}
    lengths = lengths or {}
    for month in months:
        count = reported.get(month, 0)
        if not count:
            continue
        expected = expected_teams(team_starts, month)
        passed = period_deadline(month, deadline_day, lengths.get(month, 1)) < today
        if not is_complete(count, expected, passed):
            result[month] = Provisional(month, count, expected)
    return result


def open_since(deadline_day: int, today: dt.date) -> dt.date:
    """The first month whose data deadline has not passed by `today`: every month from it on
    may be provisional. A cached LKT-level verdict computed before this moved is stale."""
    month = add_months(first_of_month(today), -2)
    while data_deadline(month, deadline_day) < today:
        month = add_months(month, 1)
    return month
