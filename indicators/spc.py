"""Run and control chart statistics (Anhøj rules) that reproduce the R package qicharts2.

Pure Python, standard library only: the portal's views, Celery tasks and benchmarks all import
it, and it must stay importable without Django. The centre line and limits are computed in
`indicators.spc_limits`; the Danish labels, numbers and screen-reader summary are in
`indicators.spc_text`.

How this follows qicharts2 (``R/helper.functions.R``, ``R/qic.R``):

* The centre line (CL) and the limits come from the baseline: the first ``freeze`` points, or
  all points. The runs analysis then applies that CL to *every* point of the series (or part),
  exactly as qicharts2's ``runs.analysis`` does after ``qic.<chart>`` has filled in the frozen CL.
* Points on the CL and missing points are ignored by the runs analysis; ``n_obs`` still counts
  missing points (qicharts2's ``n.obs``).
* I charts screen moving ranges once (qicharts2 sets ``qic.screenedmr = TRUE`` on attach): drop
  every MR >= 3.267 * mean(MR), then sd = mean(remaining MR) / 1.128. MRs are only taken
  between neighbouring baseline points that are both present (R's ``diff`` gives NA otherwise).
* A chart split into parts (``analyse_parts``) gets its own CL, limits and runs analysis per
  part; as in qicharts2, ``freeze`` cannot be combined with parts.

Deliberate differences, all at edges qicharts2 does not define usefully:

* A zero (or missing) denominator makes the point missing; qicharts2 would plot Inf or NaN.
* NaN counts as missing; infinities are rejected.
* ``n_crossings_min`` is computed exactly with integers; R's ``qbinom`` adds a relative fuzz of
  64 * DBL_EPSILON, which can only matter when a binomial CDF lies within ~1e-14 of 0.05.
* An I chart whose baseline moving ranges are all zero gets limits equal to the CL (zero
  width); qicharts2 screens away every MR and ends with NA limits.
* With no useful point, the runs figures are None (qicharts2: NA) and there is no signal.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from indicators.spc_limits import centre_and_limits, mean_or_none, median, plotted, scaled

CHART_KINDS: tuple[str, ...] = ("run", "p", "u", "c", "i")
CONTROL_CHART_KINDS: frozenset[str] = frozenset({"p", "u", "c", "i"})
DIRECTIONS: tuple[str, ...] = ("up", "down")
MIN_USEFUL_FOR_VERDICT = 10


@dataclass(frozen=True)
class Analysis:
    """The analysed series: plotted values, centre line, limits, runs analysis and verdicts."""

    chart: str
    y: list[float | None]
    cl: float | None
    lcl: list[float | None]
    ucl: list[float | None]
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool
    sigma_signal: int
    in_long_run: list[bool]
    outside_limits: list[bool]
    verdict: str
    assurance: str | None
    direction: str | None = None
    target: float | None = None
    multiplier: float = 1
    baseline: int = 0

    @property
    def n_points(self) -> int:
        """Number of points with a value (missing points excluded, points on the CL included)."""
        return sum(v is not None for v in self.y)

    @property
    def signal(self) -> bool:
        """True when the runs analysis or a point outside the limits signals special cause."""
        return self.runs_signal or self.sigma_signal > 0

    @property
    def mean_lcl(self) -> float | None:
        """Mean of the lower limits over the points that have one (qicharts2's ``aLCL``)."""
        return mean_or_none(self.lcl)

    @property
    def mean_ucl(self) -> float | None:
        """Mean of the upper limits over the points that have one (qicharts2's ``aUCL``)."""
        return mean_or_none(self.ucl)

    @property
    def latest_limits(self) -> tuple[float, float] | None:
        """(LCL, UCL) of the latest point that has both limits, or None."""
        for low, high in zip(reversed(self.lcl), reversed(self.ucl), strict=True):
            if low is not None and high is not None:
                return low, high
        return None


class Part(NamedTuple):
    """One part of a split series: the index where it begins and its own analysis."""

    start: int
    analysis: Analysis


def qbinom_05(size: int) -> int:
    """R's ``qbinom(0.05, size, 0.5)``: smallest k with P(X <= k) >= 0.05, computed exactly."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"size must be a non-negative integer, not {size!r}")
    return _qbinom_05(size)


@lru_cache(maxsize=4096)
def _qbinom_05(size: int) -> int:
    """Cached worker for qbinom_05."""
    # P(X <= k) >= 1/20  <=>  20 * sum(C(size, i), i <= k) >= 2**size, all in exact integers.
    total = 1 << size
    cumulative = 0
    for k in range(size + 1):
        cumulative += math.comb(size, k)
        if 20 * cumulative >= total:
            return k
    return size


def longest_run_limit(n_useful: int) -> int:
    """Longest run expected by chance: round(log2(n)) + 3 (Schilling 2012), for n >= 1."""
    # log2 of an integer is never exactly x.5, so R's and Python's half-to-even rounding agree.
    return round(math.log2(n_useful)) + 3


def crossings_limit(n_useful: int) -> int:
    """Fewest crossings expected by chance: qbinom(0.05, n - 1, 0.5) (Chen 2010), for n >= 1."""
    return qbinom_05(n_useful - 1)


def analyse(
    values: Iterable[object],
    denominators: Iterable[object] | None = None,
    chart: str = "run",
    freeze: int | None = None,
    *,
    direction: str | None = None,
    target: float | None = None,
    multiplier: float = 1,
) -> Analysis:
    """Analyse one series as qicharts2 would and add the portal's verdict and target assurance.

    ``values`` are numerators (p, u), counts (c) or values (run, i); ``denominators`` are required
    for p and u, optional for run and i charts (the plotted value is then a ratio) and refused for
    c charts. ``None`` or NaN marks a missing point, as does a zero denominator.

    ``verdict`` is decided in this order:

    1. ``"too_few_data"`` when fewer than 10 points are useful (off the CL);
    2. ``"common_cause"`` when there is neither a runs signal nor a point outside the limits;
    3. ``"no_direction_signal"`` when there is a signal but ``direction`` is None;
    4. otherwise the *latest* signal decides where the process is now: a point outside the
       limits by its side of the CL; a too-long run by its side, unless three or more useful
       points follow it, whose median's side then tells where the level moved; if the signal
       is only too few crossings, the latest run. Above the CL means ``"improvement"`` when
       ``direction == "up"`` (higher is better) and ``"deterioration"`` when
       ``direction == "down"``; below the CL the other way round.

    ``assurance`` (NHS Making Data Count) needs a control chart, a ``target`` and a
    ``direction``; it compares the target with the limits of the latest point that has them:
    a target beyond the limit on the bad side (below the LCL when higher is better) is
    ``"met_reliably"``, beyond the limit on the good side is ``"never_met"``, and a target between
    or on the limits is ``"sometimes"``. Otherwise it is None. ``target`` is in plotted units,
    i.e. after ``multiplier``.
    """
    kind = _check_chart(chart)
    nums = _floats(values, "values")
    dens = None if denominators is None else _floats(denominators, "denominators")
    _check_arguments(kind, nums, dens, freeze, direction, target, multiplier)

    y_raw = plotted(nums, dens)
    n_obs = len(y_raw)
    baseline = n_obs if freeze is None else min(freeze, n_obs)
    cl, lcl, ucl = centre_and_limits(kind, y_raw, nums, dens, baseline)

    runs = _runs(y_raw, cl)
    n_useful = sum(len(indices) for _, indices in runs)
    in_long_run = [False] * n_obs
    longest_run: int | None = None
    longest_run_max: int | None = None
    n_crossings: int | None = None
    n_crossings_min: int | None = None
    runs_signal = False
    if n_useful:
        longest_run = max(len(indices) for _, indices in runs)
        longest_run_max = longest_run_limit(n_useful)
        n_crossings = len(runs) - 1
        n_crossings_min = crossings_limit(n_useful)
        runs_signal = longest_run > longest_run_max or n_crossings < n_crossings_min
        for _, indices in runs:
            if len(indices) > longest_run_max:
                for i in indices:
                    in_long_run[i] = True

    outside_limits = [
        v is not None and ((high is not None and v > high) or (low is not None and v < low))
        for v, low, high in zip(y_raw, lcl, ucl, strict=True)
    ]
    sigma_signal = sum(outside_limits)

    side = _latest_signal_side(y_raw, cl, runs, in_long_run, outside_limits)
    verdict = _verdict(n_useful, runs_signal or sigma_signal > 0, direction, side)

    scale = float(multiplier)
    y = [scaled(v, scale) for v in y_raw]
    cl_scaled = scaled(cl, scale)
    lcl_scaled = [scaled(v, scale) for v in lcl]
    ucl_scaled = [scaled(v, scale) for v in ucl]
    target_value = None if target is None else float(target)
    assurance = _assurance(kind, lcl_scaled, ucl_scaled, direction, target_value)

    return Analysis(
        chart=kind,
        y=y,
        cl=cl_scaled,
        lcl=lcl_scaled,
        ucl=ucl_scaled,
        n_obs=n_obs,
        n_useful=n_useful,
        longest_run=longest_run,
        longest_run_max=longest_run_max,
        n_crossings=n_crossings,
        n_crossings_min=n_crossings_min,
        runs_signal=runs_signal,
        sigma_signal=sigma_signal,
        in_long_run=in_long_run,
        outside_limits=outside_limits,
        verdict=verdict,
        assurance=assurance,
        direction=direction,
        target=target_value,
        multiplier=scale,
        baseline=baseline,
    )


def analyse_parts(
    values: Iterable[object],
    denominators: Iterable[object] | None = None,
    chart: str = "run",
    breaks: Iterable[int] = (),
    *,
    direction: str | None = None,
    target: float | None = None,
    multiplier: float = 1,
    freeze: None = None,
) -> list[Part]:
    """Split the series where a new part begins (e.g. "intervention begins") and analyse each part.

    ``breaks`` are 0-based indices of the first point of each new part (0 < index < length;
    order and duplicates do not matter). Returns one ``Part(start, analysis)`` per part, in order;
    a ``Part`` unpacks as ``(start, analysis)``. direction, target and multiplier apply to every
    part; ``freeze`` is refused, as qicharts2 ignores it when parts are given.
    """
    if freeze is not None:
        raise ValueError("freeze cannot be combined with breaks: each part is its own baseline.")
    nums = list(values)
    dens = None if denominators is None else list(denominators)
    if dens is not None and len(dens) != len(nums):
        raise ValueError(f"values and denominators differ in length ({len(nums)} and {len(dens)}).")
    starts = [0]
    for b in sorted(set(breaks)):
        if isinstance(b, bool) or not isinstance(b, int) or not 0 < b < len(nums):
            raise ValueError(
                f"Each break must be an index between 1 and {len(nums) - 1}, not {b!r}."
            )
        starts.append(b)
    ends = [*starts[1:], len(nums)]
    return [
        Part(
            start,
            analyse(
                nums[start:end],
                None if dens is None else dens[start:end],
                chart,
                direction=direction,
                target=target,
                multiplier=multiplier,
            ),
        )
        for start, end in zip(starts, ends, strict=True)
    ]


# --- internals -----------------------------------------------------------------------------


def _check_chart(chart: object) -> str:
    """Return the chart kind or raise for an unknown one."""
    if not isinstance(chart, str) or chart not in CHART_KINDS:
        raise ValueError(f"Unknown chart kind {chart!r}; expected one of {', '.join(CHART_KINDS)}.")
    return chart


def _to_float(value: object, what: str, index: int) -> float | None:
    """Convert one input number; None and NaN mean missing."""
    if value is None:
        return None
    # bool is an int, but True in a data series is a bug upstream, not a count of one.
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"{what}[{index}] must be a number or None, not {value!r}.")
    number = float(value)
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError(f"{what}[{index}] must be finite, not {value!r}.")
    return number


def _floats(values: Iterable[object], what: str) -> list[float | None]:
    """Convert a whole input series."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{what} must be a sequence of numbers, not a string.")
    return [_to_float(v, what, i) for i, v in enumerate(values)]


def _check_arguments(
    kind: str,
    nums: Sequence[float | None],
    dens: Sequence[float | None] | None,
    freeze: object,
    direction: object,
    target: object,
    multiplier: object,
) -> None:
    """Raise ValueError with a plain message for arguments that cannot be meant."""
    if kind in ("p", "u") and dens is None:
        raise ValueError(f"A {kind} chart needs denominators.")
    if kind == "c" and dens is not None:
        raise ValueError("A c chart plots counts; it takes no denominators.")
    if dens is not None:
        if len(dens) != len(nums):
            raise ValueError(
                f"values and denominators differ in length ({len(nums)} and {len(dens)})."
            )
        for i, d in enumerate(dens):
            if d is not None and d < 0:
                raise ValueError(f"denominators[{i}] is negative ({d}).")
    if kind in ("p", "u", "c"):
        for i, v in enumerate(nums):
            if v is not None and v < 0:
                raise ValueError(f"values[{i}] is negative ({v}); a {kind} chart counts events.")
    if kind == "p" and dens is not None:
        for i, (v, d) in enumerate(zip(nums, dens, strict=True)):
            if v is not None and d is not None and v > d:
                raise ValueError(
                    f"values[{i}] ({v}) exceeds denominators[{i}] ({d}); "
                    "a proportion cannot exceed 1."
                )
    if freeze is not None and (isinstance(freeze, bool) or not isinstance(freeze, int)):
        raise ValueError(f"freeze must be a whole number of points or None, not {freeze!r}.")
    if isinstance(freeze, int) and freeze < 1:
        raise ValueError(f"freeze must be at least 1, not {freeze}.")
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}.")
    if target is not None and (
        isinstance(target, bool)
        or not isinstance(target, numbers.Real | Decimal)
        or not math.isfinite(float(target))
    ):
        raise ValueError(f"target must be a finite number or None, not {target!r}.")
    if (
        isinstance(multiplier, bool)
        or not isinstance(multiplier, numbers.Real | Decimal)
        or not math.isfinite(float(multiplier))
        or float(multiplier) <= 0
    ):
        raise ValueError(f"multiplier must be a positive finite number, not {multiplier!r}.")


def _runs(y: Sequence[float | None], cl: float | None) -> list[tuple[int, list[int]]]:
    """Runs of useful points as (side, indices): side +1 above the CL, -1 below."""
    runs: list[tuple[int, list[int]]] = []
    if cl is None:
        return runs
    for i, v in enumerate(y):
        if v is None or v == cl:
            continue
        side = 1 if v > cl else -1
        if runs and runs[-1][0] == side:
            runs[-1][1].append(i)
        else:
            runs.append((side, [i]))
    return runs


def _latest_signal_side(
    y: Sequence[float | None],
    cl: float | None,
    runs: list[tuple[int, list[int]]],
    in_long_run: Sequence[bool],
    outside_limits: Sequence[bool],
) -> int:
    """Side of the CL (+1, -1) where the signalled process is now; 0 when there is none.

    The latest signal decides. A point outside the limits counts by its own side. A too-long
    run that ended earlier is a shift the process has since left: when at least three useful
    points follow it, their median's side is where the process is now (a long high run at the
    start of a series that then falls means the level fell, not that it is high).
    """
    if cl is None:
        return 0
    for i in range(len(y) - 1, -1, -1):
        v = y[i]
        if not (in_long_run[i] or outside_limits[i]) or v is None or v == cl:
            continue
        side = 1 if v > cl else -1
        if outside_limits[i]:
            return side
        after = [w for w in y[i + 1 :] if w is not None and w != cl]
        if len(after) >= 3:
            level = median(after)
            if level is not None and level != cl:
                return 1 if level > cl else -1
        return side
    # Only too few crossings: the series sits on one side for long stretches, and the latest
    # stretch is where the process is now.
    return runs[-1][0] if runs else 0


def _verdict(n_useful: int, signal: bool, direction: str | None, side: int) -> str:
    """Apply the documented verdict rule (see analyse)."""
    if n_useful < MIN_USEFUL_FOR_VERDICT:
        return "too_few_data"
    if not signal:
        return "common_cause"
    if direction is None or side == 0:
        return "no_direction_signal"
    good_side = 1 if direction == "up" else -1
    return "improvement" if side == good_side else "deterioration"


def _assurance(
    kind: str,
    lcl: Sequence[float | None],
    ucl: Sequence[float | None],
    direction: str | None,
    target: float | None,
) -> str | None:
    """NHS Making Data Count assurance against the latest point's limits (see analyse)."""
    if kind not in CONTROL_CHART_KINDS or target is None or direction is None:
        return None
    for low, high in zip(reversed(lcl), reversed(ucl), strict=True):
        if low is not None and high is not None:
            break
    else:
        return None
    # Higher is better: a target below the whole band is met by almost every point.
    if direction == "up":
        if target < low:
            return "met_reliably"
        if target > high:
            return "never_met"
    else:
        if target > high:
            return "met_reliably"
        if target < low:
            return "never_met"
    return "sometimes"
