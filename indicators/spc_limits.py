"""The centre line and the 3-sigma limits from a series' baseline, as qicharts2 computes them,
and the careful arithmetic they need (sums and means that neither overflow nor lose precision).
Pure Python: part of the SPC engine (`indicators.spc`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

# Shewhart constants for individuals charts (Montgomery; Nelson 1982), as used by qicharts2.
MR_SCREEN_FACTOR = 3.267
D2_FOR_MR = 1.128


def plotted(
    nums: Sequence[float | None], dens: Sequence[float | None] | None
) -> list[float | None]:
    """The unscaled plotted values; a point without a usable value becomes None."""
    if dens is None:
        return list(nums)
    y: list[float | None] = []
    for v, d in zip(nums, dens, strict=True):
        if v is None or d is None or d == 0:
            y.append(None)
            continue
        ratio = v / d
        # A ratio that overflows (huge count over a tiny exposure) has no place on a chart.
        y.append(ratio if math.isfinite(ratio) else None)
    return y


def _sum(values: list[float]) -> float:
    """Correctly rounded sum (order-independent); ±inf or nan only on overflow."""
    try:
        return math.fsum(values)
    except OverflowError:
        return sum(values)


def _finite(value: float | None) -> float | None:
    """The value, or None when it is missing or not finite."""
    return value if value is not None and math.isfinite(value) else None


def scaled(value: float | None, scale: float) -> float | None:
    """Multiply by the display multiplier; an overflow becomes None."""
    return None if value is None else _finite(value * scale)


def _mean(values: list[float]) -> float | None:
    """Mean of a non-empty list, None when empty or not finite."""
    if not values:
        return None
    total = _sum(values)
    if not math.isfinite(total):
        # Divide first so that a sum of huge values does not overflow.
        total = _sum([v / len(values) for v in values])
        return _finite(total)
    return _finite(total / len(values))


def mean_or_none(values: Sequence[float | None]) -> float | None:
    """Mean of the values that are not None."""
    return _mean([v for v in values if v is not None])


def median(values: list[float]) -> float | None:
    """Median as R computes it: the middle value, or the mean of the two middle values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    low, high = ordered[mid - 1], ordered[mid]
    middle = (low + high) / 2
    return middle if math.isfinite(middle) else low / 2 + high / 2


def centre_and_limits(
    kind: str,
    y: Sequence[float | None],
    nums: Sequence[float | None],
    dens: Sequence[float | None] | None,
    baseline: int,
) -> tuple[float | None, list[float | None], list[float | None]]:
    """CL from the baseline points and 3-sigma limits per point (unscaled)."""
    n = len(y)
    no_limits: list[float | None] = [None] * n
    base_y = [v for v in y[:baseline] if v is not None]
    if kind == "run":
        return median(base_y), no_limits, list(no_limits)

    if kind in ("p", "u", "pp", "up"):
        if dens is None:
            raise ValueError(f"A {kind} chart needs denominators.")
        # qicharts2: sum(numerators) / sum(denominators) over the baseline, not a mean of ratios.
        base_nums: list[float] = []
        base_dens: list[float] = []
        for v, num, den in zip(y[:baseline], nums, dens, strict=False):
            if v is not None and num is not None and den is not None:
                base_nums.append(num)
                base_dens.append(den)
        denominator = _sum(base_dens)
        cl = _finite(_sum(base_nums) / denominator) if denominator > 0 else None
        if cl is None:
            return None, no_limits, list(no_limits)
        proportion = kind in ("p", "pp")
        sds = [
            None if v is None or den is None else _binomial_or_poisson_sd(cl, den, proportion)
            for v, den in zip(y, dens, strict=True)
        ]
        if kind in ("pp", "up"):
            sigma_z = laney_sigma_z(y, sds, cl, baseline)
            if sigma_z is None:
                return cl, no_limits, list(no_limits)
            sds = [None if sd is None else sd * sigma_z for sd in sds]
        lcl: list[float | None] = []
        ucl: list[float | None] = []
        for sd in sds:
            if sd is None:
                lcl.append(None)
                ucl.append(None)
                continue
            lcl.append(max(0.0, cl - 3 * sd))
            ucl.append(min(1.0, cl + 3 * sd) if proportion else _finite(cl + 3 * sd))
        return cl, lcl, ucl

    cl = _mean(base_y)
    if cl is None:
        return None, no_limits, list(no_limits)
    spread = math.sqrt(max(0.0, cl)) if kind == "c" else _individuals_sd(y, baseline, cl)
    if spread is None:
        return cl, no_limits, list(no_limits)
    low = _finite(cl - 3 * spread)
    if kind == "c" and low is not None:
        low = max(0.0, low)
    high = _finite(cl + 3 * spread)
    return cl, [low] * n, [high] * n


def _individuals_sd(y: Sequence[float | None], baseline: int, cl: float) -> float | None:
    """Screened average moving range / 1.128 over the baseline, as qicharts2's qic.i."""
    ranges = []
    for i in range(1, baseline):
        a, b = y[i - 1], y[i]
        if a is not None and b is not None:
            # qicharts2 differences y - cl, which rounds differently from b - a; follow it unless
            # that overflows for values near the float limit.
            r = abs((b - cl) - (a - cl))
            ranges.append(r if math.isfinite(r) else abs(b - a))
    average = _mean(ranges)
    if average is None:
        return None
    kept = [r for r in ranges if r < MR_SCREEN_FACTOR * average]
    # Only an all-zero MR list loses every range; its honest spread is zero.
    screened = _mean(kept) if kept else 0.0
    return None if screened is None else screened / D2_FOR_MR


def _binomial_or_poisson_sd(cl: float, den: float, proportion: bool) -> float:
    """The p chart's (binomial) or u chart's (Poisson) standard deviation at denominator `den`."""
    return math.sqrt((max(0.0, cl * (1 - cl)) if proportion else cl) / den)


def laney_sigma_z(
    y: Sequence[float | None], sds: Sequence[float | None], cl: float, baseline: int
) -> float | None:
    """Laney's (2002) sigma_z, as qicharts2's qic.pp and qic.up compute it: the baseline points'
    z-scores z_i = (y_i - CL) / sd_i, their moving ranges |z_i - z_(i-1)| between neighbouring
    baseline points that both have one (no screening), and mean(MR) / 1.128.

    None when no moving range exists (qicharts2: NA limits). A point whose sd is zero (CL 0 or
    1) has no z-score, as R's Inf/NaN would drop out of the mean.
    """
    z: list[float | None] = []
    for v, sd in zip(y[:baseline], sds[:baseline], strict=True):
        z.append(None if v is None or sd is None or sd == 0 else _finite((v - cl) / sd))
    ranges = [abs(b - a) for a, b in zip(z, z[1:], strict=False) if a is not None and b is not None]
    average = _mean(ranges)
    return None if average is None else average / D2_FOR_MR
