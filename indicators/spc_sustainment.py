"""Holding the gains: the sustainment phase after the LKT, tested against the last improvement
phase's centre line (SPC.md, "Phases"). Pure Python, no Django, like the SPC engine.

After the end date a team measures on (monthly or quarterly). Its sustainment points are not a
new baseline: the centre line stays the one of the last improvement phase, and the Anhøj runs
rules (longest run, number of crossings; `indicators.spc`) are applied to the sustainment
points against it, as qicharts2 tests the points after a frozen baseline. A signal on the bad
side of that line is a relapse since the LKT ended ("tilbagefald"); a signal on the good side,
or none, means the gains hold.

States of one series:

* ``no_data``: no sustainment point, or no improvement centre line to hold.
* ``too_few``: fewer than `MIN_POINTS` useful points; the runs rules cannot signal on fewer
  (5 points: a run must exceed round(log2 5) + 3 = 5 and at least 0 crossings are expected).
* ``slipping``: the runs rules signal and the latest signal lies on the bad side.
* ``holding``: otherwise. An indicator without a better direction cannot slip: a signal there
  says the level moved, not that it got worse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from indicators import spc
from indicators.spc import _runs as spc_runs
from indicators.spc_limits import median

HOLDING, SLIPPING, TOO_FEW, NO_DATA = "holding", "slipping", "too_few", "no_data"
STATES = (SLIPPING, HOLDING, TOO_FEW, NO_DATA)  # worst first: a team shows its worst state
MIN_POINTS = 6  # the fewest useful points on which the runs rules can signal at all


@dataclass(frozen=True)
class Holding:
    """The sustainment points against the last improvement phase's centre line."""

    state: str
    centre: float | None
    n_useful: int = 0
    longest_run: int | None = None
    longest_run_max: int | None = None
    n_crossings: int | None = None
    n_crossings_min: int | None = None
    runs_signal: bool = False
    side: int = 0  # +1 above the centre line, -1 below, 0 without a signal
    long_run: tuple[int, ...] = ()  # indices of the points in a too-long run


def holding_the_gains(
    values: Sequence[float | None], centre: float | None, direction: str | None
) -> Holding:
    """Apply the runs rules to the sustainment `values` (plotted units) against `centre`, the
    last improvement phase's centre line; `direction` is "up", "down" or None."""
    if centre is None:
        return Holding(NO_DATA, None)
    runs = spc_runs(values, centre)
    n_useful = sum(len(indices) for _, indices in runs)
    if n_useful == 0:  # nothing measured, or every point exactly on the line
        present = any(v is not None for v in values)
        return Holding(TOO_FEW if present else NO_DATA, centre)
    longest = max(len(indices) for _, indices in runs)
    longest_max = spc.longest_run_limit(n_useful)
    crossings = len(runs) - 1
    crossings_min = spc.crossings_limit(n_useful)
    signal = longest > longest_max or crossings < crossings_min
    too_long = [indices for _, indices in runs if len(indices) > longest_max]
    side = _signal_side(values, centre, runs, too_long) if signal else 0
    if n_useful < MIN_POINTS:
        state = TOO_FEW
    elif signal and direction in ("up", "down") and side == (-1 if direction == "up" else 1):
        state = SLIPPING
    else:
        state = HOLDING
    return Holding(
        state,
        centre,
        n_useful,
        longest,
        longest_max,
        crossings,
        crossings_min,
        signal,
        side,
        tuple(i for indices in too_long for i in indices),
    )


def sustainment_part(
    phase: tuple[Sequence[float | None], Sequence[float | None] | None],
    after: tuple[Sequence[float | None], Sequence[float | None] | None],
    chart: str,
    *,
    freeze: int | None = None,
    direction: str | None = None,
    target: float | None = None,
    multiplier: float = 1,
) -> tuple[spc.Analysis, Holding]:
    """The sustainment points as a chart part, and whether they hold the gains.

    `phase` and `after` are (values, denominators) of the last improvement phase and of the
    sustainment periods, as `spc.analyse` takes them; `freeze` is the phase's own baseline
    (None: all its points). The phase's centre line and limits are frozen over the sustainment
    points (qicharts2's ``freeze``), never recomputed from them; the runs analysis and the
    verdict are the holding rule's.
    """
    (nums, dens), (more_nums, more_dens) = phase, after
    n = len(nums)
    both = None if dens is None or more_dens is None else [*dens, *more_dens]
    full = spc.analyse(
        [*nums, *more_nums],
        both,
        chart,
        freeze if freeze is not None else n,
        direction=direction,
        target=target,
        multiplier=multiplier,
    )
    y = full.y[n:]
    holding = holding_the_gains(y, full.cl, direction)
    outside = full.outside_limits[n:]
    verdict = {SLIPPING: "deterioration", TOO_FEW: "too_few_data", NO_DATA: "too_few_data"}.get(
        holding.state, "improvement" if holding.runs_signal and holding.side else "common_cause"
    )
    if holding.state == HOLDING and holding.runs_signal and direction is None:
        verdict = "no_direction_signal"
    part = replace(
        full,
        y=y,
        lcl=full.lcl[n:],
        ucl=full.ucl[n:],
        n_obs=len(y),
        n_useful=holding.n_useful,
        longest_run=holding.longest_run,
        longest_run_max=holding.longest_run_max,
        n_crossings=holding.n_crossings,
        n_crossings_min=holding.n_crossings_min,
        runs_signal=holding.runs_signal,
        sigma_signal=sum(outside),
        in_long_run=[i in holding.long_run for i in range(len(y))],
        outside_limits=outside,
        verdict=verdict,
        baseline=0,
        phase_change=None,
        signal_side=holding.side,
    )
    return part, holding


def worst(states: Iterable[str]) -> str:
    """A team's state from its indicators' states: slipping when any slips, else holding when
    any holds, else too few, else no data."""
    present = set(states)
    return next((state for state in STATES if state in present), NO_DATA)


def _signal_side(
    values: Sequence[float | None],
    centre: float,
    runs: list[tuple[int, list[int]]],
    too_long: list[list[int]],
) -> int:
    """Where the signal puts the process: the side of the latest too-long run, else (too few
    crossings only) the side of the useful points' median, else the last run's side."""
    if too_long:
        return 1 if values[too_long[-1][0]] > centre else -1  # type: ignore[operator]
    level = median([v for v in values if v is not None and v != centre])
    if level is None or level == centre:
        return runs[-1][0]
    return 1 if level > centre else -1
