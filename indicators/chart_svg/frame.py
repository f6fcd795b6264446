"""The plot area's geometry: from point indices and values to pixels, and round tick values."""

from __future__ import annotations

import math
from dataclasses import dataclass

from indicators.spc import Analysis


@dataclass(frozen=True)
class Frame:
    """Maps point indices and values to pixel coordinates of the plot area."""

    left: float
    top: float
    width: float
    height: float
    n_points: int
    low: float
    high: float

    @property
    def step(self) -> float:
        """Width of one point's band."""
        return self.width / self.n_points

    @property
    def right(self) -> float:
        """x of the right edge of the plot area."""
        return self.left + self.width

    @property
    def bottom(self) -> float:
        """y of the bottom edge of the plot area."""
        return self.top + self.height

    def x(self, index: float) -> float:
        """Centre of a point's band."""
        return self.left + (index + 0.5) * self.step

    def y(self, value: float) -> float:
        """Pixel row of a value; halves first so that spans near the float limit cannot overflow."""
        span = self.high / 2 - self.low / 2
        share = (self.high / 2 - value / 2) / span if span > 0 else 0.5
        return self.top + self.height * min(1.0, max(0.0, share))


def value_range(
    segments: list[tuple[int, Analysis]],
    target: float | None,
    shared: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Smallest and largest value to show, anchored at zero for counts and rates; `shared`
    (a range common to several charts, e.g. small multiples) is always included."""
    values = [target] if target is not None else []
    if shared is not None:
        values += [v for v in shared if math.isfinite(v)]
    for _, part in segments:
        values += [v for v in part.y if v is not None]
        values += [v for v in part.lcl + part.ucl if v is not None]
        if part.cl is not None:
            values.append(part.cl)
    low, high = min(values), max(values)
    # Proportions, rates and counts read honestly only from zero.
    if segments[-1][1].chart in ("p", "u", "c", "pp", "up") and low >= 0:
        low = 0.0
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    return low, high


def nice_ticks(low: float, high: float) -> tuple[list[float], int]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten)."""
    raw = high / 5 - low / 5
    if not (math.isfinite(raw) and raw > 0):
        return [low, high], 0
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10.0**exponent
    nice = next((f for f in (1.0, 2.0, 2.5, 5.0) if fraction <= f), 10.0)
    step = nice * 10.0**exponent
    first, last = math.floor(low / step), math.ceil(high / step)
    if not (step > 0 and math.isfinite(step)) or not 1 <= last - first <= 20:
        return [low, high], 0
    ticks = [k * step for k in range(first, last + 1)]
    # 2.5 carries one digit more than its power of ten: 0.25, 2.5 (but 25 is whole).
    decimals = max(0, -exponent) + (1 if nice == 2.5 and exponent <= 0 else 0)
    return ticks, min(decimals, 10)
