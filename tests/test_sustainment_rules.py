"""Sustainment, the pure rules: periods after the end date (months or quarters, their deadlines)
and holding the gains (the runs rules against the last improvement phase's centre line).

Every expected value is worked out by hand in the comments, independently of the code."""

from __future__ import annotations

import datetime as dt

import pytest

from core import months
from indicators import spc
from indicators.spc_sustainment import (
    HOLDING,
    MIN_POINTS,
    NO_DATA,
    SLIPPING,
    TOO_FEW,
    holding_the_gains,
    sustainment_part,
    worst,
)

D = dt.date
Q = months.QUARTERLY
M = months.MONTHLY

# --- Quarters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "number"),
    [
        (D(2027, 1, 1), D(2027, 1, 1), 1),
        (D(2027, 3, 31), D(2027, 1, 1), 1),
        (D(2027, 4, 1), D(2027, 4, 1), 2),
        (D(2028, 2, 29), D(2028, 1, 1), 1),  # leap day
        (D(2027, 9, 30), D(2027, 7, 1), 3),
        (D(2027, 12, 31), D(2027, 10, 1), 4),
    ],
)
def test_a_quarter_is_stored_by_its_first_day(day: dt.date, start: dt.date, number: int) -> None:
    assert months.quarter_start(day) == start
    assert months.quarter_number(day) == number


def test_quarterly_periods_begin_after_the_end_month_and_bridge_to_the_first_quarter() -> None:
    # The LKT ends 31 August 2026. September is bridged as a month (Q3 began in July, inside
    # the LKT); then quarters from 1 October. By 1 April 2027 Q4 2026 and Q1 2027 have ended.
    periods = months.sustainment_periods(D(2026, 8, 31), Q, D(2027, 4, 1))
    assert periods == [D(2026, 9, 1), D(2026, 10, 1), D(2027, 1, 1)]
    # The day before, Q1 2027 has not ended yet.
    assert months.sustainment_periods(D(2026, 8, 31), Q, D(2027, 3, 31)) == [
        D(2026, 9, 1),
        D(2026, 10, 1),
    ]


def test_an_end_on_a_quarter_boundary_starts_with_a_whole_quarter_across_new_year() -> None:
    # Ends 30 September 2026: Q4 2026 (Oct-Dec) ends 31 December, so on 1 January 2027 it exists.
    assert months.sustainment_periods(D(2026, 9, 30), Q, D(2026, 12, 31)) == []
    assert months.sustainment_periods(D(2026, 9, 30), Q, D(2027, 1, 1)) == [D(2026, 10, 1)]


def test_monthly_periods_run_through_last_month() -> None:
    # Ends 28 February 2028 (a leap year): March, April; on 29 May May has not ended.
    assert months.sustainment_periods(D(2028, 2, 28), M, D(2028, 5, 29)) == [
        D(2028, 3, 1),
        D(2028, 4, 1),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 9, 1), True),  # the bridge month
        (D(2026, 10, 1), True),  # Q4 2026
        (D(2026, 11, 1), False),  # inside Q4: not a period's first day
        (D(2026, 8, 1), False),  # the LKT's own last month
        (D(2027, 4, 1), False),  # Q2 2027 has not ended on 1 May 2027
        (D(2027, 1, 2), False),  # not a first day
    ],
)
def test_which_days_begin_a_sustainment_period(day: dt.date, expected: bool) -> None:
    assert months.is_sustainment_period(day, D(2026, 8, 31), Q, D(2027, 5, 1)) is expected


def test_period_start_of_a_day_in_sustainment() -> None:
    end = D(2026, 8, 31)
    assert months.sustainment_period_start(D(2026, 11, 17), Q, end) == D(2026, 10, 1)
    assert months.sustainment_period_start(D(2026, 9, 17), Q, end) == D(2026, 9, 1)
    assert months.sustainment_period_start(D(2026, 11, 17), M, end) == D(2026, 11, 1)


def test_a_quarter_deadline_is_in_the_month_after_the_quarter() -> None:
    # Q4 2026 (Oct-Dec), deadline day 15: 15 January 2027, across the new year.
    assert months.period_deadline(D(2026, 10, 1), 15, 3) == D(2027, 1, 15)
    # Q4 2027 ends just before 2028, a leap year: deadline 28 January 2028.
    assert months.period_deadline(D(2027, 10, 1), 28, 3) == D(2028, 1, 28)
    # A month: the deadline day of the following month, as data_deadline.
    assert months.period_deadline(D(2028, 1, 1), 28) == months.data_deadline(D(2028, 1, 1), 28)
    assert months.period_deadline(D(2028, 1, 1), 28) == D(2028, 2, 28)


# --- Holding the gains --------------------------------------------------------------------------


def test_a_series_that_holds() -> None:
    # Centre 50, higher is better. 50 lies on the line and is ignored: 9 useful points
    # alternating + - + - + - + - +, so 9 runs, 8 crossings, longest run 1.
    # longest_run_max = round(log2 9) + 3 = round(3.17) + 3 = 6;
    # crossings_min = qbinom(0.05, 8, 0.5): P(X<=1) = 9/256 = 0.035, P(X<=2) = 37/256 = 0.145 → 2.
    result = holding_the_gains([52, 48, 55, 47, 51, 49, 53, 50, 46, 54], 50, "up")
    assert (result.n_useful, result.longest_run, result.longest_run_max) == (9, 1, 6)
    assert (result.n_crossings, result.n_crossings_min) == (8, 2)
    assert not result.runs_signal
    assert result.state == HOLDING


def test_a_series_that_slips() -> None:
    # Centre 80, higher is better: + - + then nine points below.
    # n_useful 12; longest run 9 > round(log2 12) + 3 = round(3.58) + 3 = 7 → signal, below.
    # Crossings 3; qbinom(0.05, 11, 0.5): P(X<=2) = 67/2048 = 0.033, P(X<=3) = 232/2048 = 0.113 → 3.
    result = holding_the_gains([82, 79, 81, 76, 75, 74, 77, 73, 72, 70, 71, 69], 80, "up")
    assert (result.longest_run, result.longest_run_max) == (9, 7)
    assert (result.n_crossings, result.n_crossings_min) == (3, 3)
    assert result.runs_signal and result.side == -1
    assert result.state == SLIPPING
    assert result.long_run == tuple(range(3, 12))


def test_six_quarterly_points_on_the_bad_side_slip_by_crossings() -> None:
    # Centre 10, lower is better; six quarters all above. Longest run 6 is not above
    # round(log2 6) + 3 = round(2.58) + 3 = 6, but crossings 0 < qbinom(0.05, 5, 0.5) = 1
    # (P(X<=0) = 1/32 = 0.031 < 0.05, P(X<=1) = 6/32 = 0.19).
    result = holding_the_gains([11, 12, 11.5, 13, 12, 11], 10, "down")
    assert (result.longest_run, result.longest_run_max) == (6, 6)
    assert (result.n_crossings, result.n_crossings_min) == (0, 1)
    assert result.state == SLIPPING


def test_five_points_are_too_few_even_all_on_the_bad_side() -> None:
    # 5 points: the run of 5 is not above round(log2 5) + 3 = 5, and qbinom(0.05, 4, 0.5) = 0
    # (P(X<=0) = 1/16 = 0.0625 >= 0.05): the rules cannot signal.
    result = holding_the_gains([1, 1, 1, 1, 1], 2, "up")
    assert result.state == TOO_FEW
    assert not result.runs_signal


def test_min_points_is_the_fewest_on_which_the_rules_can_signal() -> None:
    def can_signal(n: int) -> bool:
        return n > spc.longest_run_limit(n) or spc.crossings_limit(n) > 0

    assert not any(can_signal(n) for n in range(1, MIN_POINTS))
    assert can_signal(MIN_POINTS)


def test_a_signal_on_the_good_side_holds_and_without_direction_nothing_slips() -> None:
    assert holding_the_gains([60] * 10, 50, "up").state == HOLDING
    assert holding_the_gains([40] * 10, 50, "up").state == SLIPPING
    assert holding_the_gains([40] * 10, 50, None).state == HOLDING
    assert holding_the_gains([60] * 10, 50, "down").state == SLIPPING


def test_no_sustainment_data_or_no_centre_line() -> None:
    assert holding_the_gains([], 50, "up").state == NO_DATA
    assert holding_the_gains([None, None], 50, "up").state == NO_DATA
    assert holding_the_gains([40] * 10, None, "up").state == NO_DATA
    assert holding_the_gains([50, 50, 50], 50, "up").state == TOO_FEW  # all on the line


def test_a_team_shows_its_worst_state() -> None:
    assert worst([HOLDING, SLIPPING, NO_DATA]) == SLIPPING
    assert worst([HOLDING, TOO_FEW]) == HOLDING
    assert worst([TOO_FEW, NO_DATA]) == TOO_FEW
    assert worst([]) == NO_DATA


def test_the_sustainment_part_keeps_the_last_phase_centre_line() -> None:
    # Run chart. The phase 1..9 has median 5; the sustainment points (all 1 or 2) would have a
    # median of 1.5 of their own, but the line stays at 5 and all ten points lie below it.
    phase = ([1, 2, 3, 4, 5, 6, 7, 8, 9], None)
    after = ([1, 2, 1, 2, 1, 2, 1, 2, 1, 2], None)
    part, holding = sustainment_part(phase, after, "run", direction="up")
    assert part.cl == 5
    assert part.y == [1, 2, 1, 2, 1, 2, 1, 2, 1, 2]
    assert holding.state == SLIPPING
    assert part.verdict == "deterioration"
    assert part.n_obs == 10 and part.lcl == [None] * 10


def test_the_sustainment_part_of_a_p_chart_uses_the_phase_proportion() -> None:
    # p chart: the phase's CL is Σy/Σn = (40+45+50)/(100+100+100) = 0.45, times 100 → 45 %.
    # Sustainment: 6 quarters at 60 % (above; higher is better) → crossings 0 < 1: a signal on
    # the good side, which holds.
    phase = ([40, 45, 50], [100, 100, 100])
    after = ([60] * 6, [100] * 6)
    part, holding = sustainment_part(phase, after, "p", direction="up", multiplier=100)
    assert part.cl == pytest.approx(45)
    assert holding.state == HOLDING and holding.side == 1
    assert part.verdict == "improvement"


def test_a_quarter_stays_provisional_until_the_deadline_after_the_quarter() -> None:
    from indicators.completeness import provisional_months

    q4 = D(2026, 10, 1)
    kwargs = {"deadline_day": 15, "lengths": {q4: 3}}
    # One of two teams has reported Q4 2026; its deadline is 15 January 2027 (open that day).
    early = provisional_months([q4], {q4: 1}, [None, None], today=D(2027, 1, 15), **kwargs)
    late = provisional_months([q4], {q4: 1}, [None, None], today=D(2027, 1, 16), **kwargs)
    # As a month, October's deadline (15 November) would long have passed.
    as_month = provisional_months(
        [q4], {q4: 1}, [None, None], deadline_day=15, today=D(2027, 1, 10)
    )
    assert list(early) == [q4] and early[q4].expected == 2
    assert late == {} and as_month == {}
