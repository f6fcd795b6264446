"""Where the demo's relative dates land, seen from the day it is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.months import add_months, data_deadline, first_of_month, months

TZ = ZoneInfo("Europe/Copenhagen")


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """A Danish wall-clock time on `day`, time zone aware."""
    return dt.datetime.combine(day, time, tzinfo=TZ)


def weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def last_due_month(today: dt.date, deadline_day: int) -> dt.date:
    """The latest month whose data deadline has passed by `today`."""
    previous = add_months(first_of_month(today), -1)
    return previous if data_deadline(previous, deadline_day) < today else add_months(previous, -1)


@dataclass(frozen=True)
class DataWindow:
    """The months an active programme's teams have data for, on the day the demo is loaded.

    Every team has every month from the start through `complete` (the last month whose
    deadline has passed); the teams marked `reported` also have `reporting`, the month whose
    deadline is the next to come.
    """

    complete: list[dt.date]
    reporting: dt.date | None

    @classmethod
    def of(cls, start: dt.date, end: dt.date, deadline_day: int, today: dt.date) -> DataWindow:
        last = min(last_due_month(today, deadline_day), first_of_month(end))
        complete = months(start, last) if last >= first_of_month(start) else []
        reporting = add_months(last_due_month(today, deadline_day), 1)
        inside = first_of_month(start) <= reporting <= end
        return cls(complete, reporting if inside else None)

    def for_team(self, reported: bool) -> list[dt.date]:
        if reported and self.reporting is not None:
            return [*self.complete, self.reporting]
        return list(self.complete)


def registered_on(period: dt.date, deadline_day: int, today: dt.date) -> dt.date:
    """When a month's figures came in: early in the next month, by the deadline, not after today."""
    day = min(3 + period.month % 9, deadline_day)
    return min(add_months(period, 1).replace(day=day), today)
