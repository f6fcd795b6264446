"""The suite's clock: moves in Copenhagen time, keeps ticking, and is what Django reads."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.clock


def test_a_moment_without_a_zone_is_copenhagen_time(clock) -> None:
    clock.move_to("2027-01-01T00:30")

    assert clock.today() == timezone.localdate() == dt.date(2027, 1, 1)
    assert clock.now().astimezone(dt.UTC).date() == dt.date(2026, 12, 31)  # UTC: still last year
    assert (clock.month(), clock.month(-1)) == (dt.date(2027, 1, 1), dt.date(2026, 12, 1))


def test_the_clock_ticks_after_a_move(clock) -> None:
    moved = clock.move_to(dt.date(2028, 2, 29))
    time.sleep(0.01)

    midnight = dt.datetime(2028, 2, 28, 23, 0, tzinfo=dt.UTC)  # 29 February, 00:00 in Copenhagen
    assert dt.timedelta(0) <= moved - midnight < dt.timedelta(seconds=5)
    assert moved < clock.now() < moved + dt.timedelta(seconds=5)


def test_a_shift_moves_from_the_current_moment(clock) -> None:
    clock.move_to("2026-03-28T23:30")
    clock.shift(dt.timedelta(days=1))

    assert timezone.localtime(clock.now()).date() == dt.date(2026, 3, 30)  # summer time began


def test_real_time_is_the_machines_clock(clock) -> None:
    clock.move_to("2030-06-01")
    now = clock.move_to_real_time()

    hatch = time_machine.escape_hatch  # the machine's clock, as other processes read it
    real = hatch.time.time() if hatch.is_travelling() else time.time()
    assert abs(now.timestamp() - real) < 5
