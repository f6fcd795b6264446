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
  part; as in qicharts2, ``freeze`` cannot be combined with parts. The latest part also gets a
  ``phase_change``: its points tested with the runs rules against the previous part's CL, as
  qicharts2 tests the points after a frozen baseline (SPC.md, "Phases").
* Laney's p′ and u′ charts (``"pp"``, ``"up"``, qicharts2's ``qic.pp``/``qic.up``) widen the p and
  u limits by sigma_z, the mean moving range of the baseline points' z-scores / 1.128, unscreened.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from indicators.spc_input import check_arguments, floats
from indicators.spc_limits import centre_and_limits, mean_or_none, median, plotted, scaled

CHART_KINDS: tuple[str, ...] = ("run", "p", "u", "c", "i", "pp", "up")
CONTROL_CHART_KINDS: frozenset[str] = frozenset({"p", "u", "c", "i", "pp", "up"})
LANEY_KINDS: dict[str, str] = {"p": "pp", "u": "up"}  # the Laney chart of a p or u chart
MIN_USEFUL_FOR_VERDICT = 10


@dataclass(frozen=True)
class PhaseChange:
    """The latest phase against the previous one: its points' runs analysis against the previous
    phase's centre line (as qicharts2 tests the points after a frozen baseline).

    ``direction`` is ``"improvement"`` or ``"deterioration"`` when the runs rules signal and the
    latest phase lies on the good or bad side of the previous CL, ``"no_direction_signal"`` when
    they signal but the indicator has no better direction, and ``"none"`` without a signal.
    ``previous_cl`` and ``latest_cl`` are the two phases' centre lines (plotted units).
    """

    direction: str
    previous_cl: float
    latest_cl: float | None
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool


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
    phase_change: PhaseChange | None = None
    signal_side: int = 0  # where the latest signal puts the process: +1 above the CL, -1 below

    @property
    def overall_verdict(self) -> str:
        """The verdict with the change from the previous phase: a signalled change against the
        previous phase's CL (``"improvement"``/``"deterioration"``) counts unless the latest
        phase's own runs analysis already signals a direction, which says where it is now."""
        change = self.phase_change
        if change is None or change.direction not in ("improvement", "deterioration"):
            return self.verdict
        if self.verdict in ("improvement", "deterioration"):
            return self.verdict
        return change.direction

    @property
    def versus_previous_phase(self) -> bool:
        """True when `overall_verdict` comes from the change against the previous phase."""
        change = self.phase_change
        return (
            change is not None
            and self.verdict not in ("improvement", "deterioration")
            and change.direction in ("improvement", "deterioration")
        )

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

    ``values`` are numerators (p, u and Laney's pp, up), counts (c) or values (run, i);
    ``denominators`` are required for p, u, pp and up, optional for run and i charts (the
    plotted value is then a ratio) and refused for c charts. ``None`` or NaN marks a missing
    point, as does a zero denominator.

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
    nums = floats(values, "values")
    dens = None if denominators is None else floats(denominators, "denominators")
    check_arguments(kind, nums, dens, freeze, direction, target, multiplier)

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
        signal_side=side if runs_signal or sigma_signal > 0 else 0,
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
    part; ``freeze`` is refused, as qicharts2 ignores it when parts are given. With two parts or
    more, the latest part's analysis has its ``phase_change`` against the part before it, and
    its ``overall_verdict`` says whether the change from that phase is an improvement.
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
    parts = [
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
    if len(parts) > 1:
        latest = parts[-1].analysis
        change = phase_change(parts[-2].analysis, latest)
        if change is not None:
            parts[-1] = Part(parts[-1].start, replace(latest, phase_change=change))
    return parts


def phase_change(previous: Analysis, latest: Analysis) -> PhaseChange | None:
    """Test the latest phase's points with the runs rules against the previous phase's CL (see
    `PhaseChange`); None when the previous phase has no centre line.

    The direction is the side of the previous CL where the latest phase's useful points have
    their median (the last run's side if that median is on the CL).
    """
    if previous.cl is None:
        return None
    cl = previous.cl
    runs = _runs(latest.y, cl)
    n_useful = sum(len(indices) for _, indices in runs)
    if not n_useful:
        return PhaseChange("none", cl, latest.cl, 0, None, None, None, None, False)
    longest = max(len(indices) for _, indices in runs)
    longest_max = longest_run_limit(n_useful)
    crossings = len(runs) - 1
    crossings_min = crossings_limit(n_useful)
    signal = longest > longest_max or crossings < crossings_min
    level = median([v for v in latest.y if v is not None and v != cl])
    side = runs[-1][0] if level is None or level == cl else (1 if level > cl else -1)
    if not signal:
        direction = "none"
    elif latest.direction is None:
        direction = "no_direction_signal"
    else:
        good = 1 if latest.direction == "up" else -1
        direction = "improvement" if side == good else "deterioration"
    return PhaseChange(
        direction, cl, latest.cl, n_useful, longest, longest_max, crossings, crossings_min, signal
    )


# --- internals -----------------------------------------------------------------------------


def _check_chart(chart: object) -> str:
    """Return the chart kind or raise for an unknown one."""
    if not isinstance(chart, str) or chart not in CHART_KINDS:
        raise ValueError(f"Unknown chart kind {chart!r}; expected one of {', '.join(CHART_KINDS)}.")
    return chart


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
