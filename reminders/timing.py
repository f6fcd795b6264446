"""Days and windows: when a reminder falls due, in Copenhagen time. No Django here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Copenhagen")
# A reminder day begins at 07:00, so nobody is mailed in the night.
DAY_STARTS = dt.timedelta(hours=7)


def reminder_day(at: dt.datetime) -> dt.date:
    """The Copenhagen day whose reminders are due at `at` (before 07:00 it is still yesterday)."""
    return (at.astimezone(TZ) - DAY_STARTS).date()


def local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(TZ).date()


def window(days_left: int, offsets: Iterable[int]) -> int | None:
    """The reminder whose window we are in: the smallest offset ≥ days_left, or None.

    With offsets (14, 2): 20 days left → None, 14..3 → 14, 2..0 → 2. A seminar planned only
    five days ahead therefore gets its 14-day reminder at once, and its 2-day one later.
    """
    if days_left < 0:
        return None
    fitting = [offset for offset in offsets if offset >= days_left]
    return min(fitting) if fitting else None


def parse_at(text: str) -> dt.datetime:
    """'2026-12-01 08:00', '2026-12-01' or an ISO time with offset; naive means Copenhagen."""
    moment = dt.datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return moment
