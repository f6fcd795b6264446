"""Seeded synthetic series: monthly points that tell an intended story on the charts.

The same seed and length always give the same points, so loading the demo is repeatable.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from demo.specs import IndicatorSpec
from indicators.models import CHART_FOR_MEASURE, Measure
from indicators.spc import analyse
from indicators.spc_sustainment import SLIPPING, sustainment_part

PROPORTION, RATE, COUNT = "proportion", "rate", "count"
ATTEMPTS = 200


@dataclass(frozen=True)
class Point:
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    comment: str = ""


def series(seed: str, spec: IndicatorSpec, volume: int, improving: bool, n: int) -> list[Point]:
    """`n` monthly points that read "improvement" (or "common cause") on run and SPC chart.

    A draw that happens to tell another story is redrawn with the next attempt number; the
    result depends only on the seed, so it is the same on every run. Series too short for the
    Anhøj rules keep their first draw.
    """
    points: list[Point] = []
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"{seed}|{attempt}")  # noqa: S311 - seeded on purpose
        points = _draw(rng, spec, volume, improving, n)
        if n < 8 or _tells(points, spec, "improvement" if improving else "common_cause"):
            break
    return points


def _draw(
    rng: random.Random, spec: IndicatorSpec, volume: int, improving: bool, n: int
) -> list[Point]:
    # Teams differ a little in where they start and how far they get.
    base = spec.baseline * rng.uniform(0.9, 1.1)
    goal = (spec.improved or spec.baseline) * rng.uniform(0.95, 1.05)
    if spec.measure == PROPORTION:
        base, goal = _clamp(base), _clamp(goal)
    # The month the team's change starts to work: a little before the middle of the series.
    shift = rng.randint(max(2, round(n * 0.3)), max(2, round(n * 0.4)))
    ramp = max(2, n // 6)
    exposure = volume * spec.scale
    points = []
    for month in range(n):
        level = base
        if improving and month >= shift:
            level = base + (goal - base) * min(1.0, (month - shift + 1) / ramp)
        comment = spec.change if improving and month == shift else ""
        points.append(_point(rng, spec, level, exposure, volume, comment))
    return points


def _point(
    rng: random.Random,
    spec: IndicatorSpec,
    level: float,
    exposure: float,
    volume: int,
    comment: str,
) -> Point:
    n = max(3, round(rng.gauss(exposure, math.sqrt(exposure))))
    if spec.measure == PROPORTION:
        hits = sum(rng.random() < level for _ in range(n))
        return Point(Decimal(hits), Decimal(n), None, comment)
    if spec.measure == RATE:
        events = _poisson(rng, level * n / spec.multiplier)
        return Point(Decimal(events), Decimal(n), None, comment)
    return Point(None, None, Decimal(_poisson(rng, level * volume)), comment)


def _tells(points: list[Point], spec: IndicatorSpec, verdict: str) -> bool:
    direction = spec.direction if spec.direction in ("up", "down") else None
    if spec.measure == COUNT:
        values: list[Decimal | None] = [p.value for p in points]
        denominators = None
    else:
        values = [p.numerator for p in points]
        denominators = [p.denominator for p in points]
    control_chart = CHART_FOR_MEASURE[Measure(spec.measure)]
    return all(
        analyse(values, denominators, chart, direction=direction).verdict == verdict
        for chart in ("run", control_chart)
    )


def _clamp(p: float) -> float:
    return min(0.98, max(0.02, p))


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method; a normal approximation for large means)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def sustainment_series(
    seed: str, spec: IndicatorSpec, volume: int, lkt: list[Point], n: int, slips: bool
) -> list[Point]:
    """`n` points after the end date: the level of the LKT's last months goes on, or (`slips`)
    drifts back to the baseline within a quarter, redrawn until the holding-the-gains rule
    (the runs rules against the LKT's run-chart median) tells that story."""
    end_level = _level(spec, volume, lkt[-6:])
    direction = spec.direction if spec.direction in ("up", "down") else None
    exposure = volume * spec.scale
    points: list[Point] = []
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"{seed}|after|{attempt}")  # noqa: S311 - seeded on purpose
        points = []
        for month in range(n):
            level = end_level
            if slips:
                level += (spec.baseline - end_level) * min(1.0, (month + 1) / 3)
            points.append(_point(rng, spec, level, exposure, volume, ""))
        _, holding = sustainment_part(
            _figures(spec, lkt), _figures(spec, points), "run", direction=direction
        )
        if (holding.state == SLIPPING) == slips:
            break
    return points


def _figures(spec: IndicatorSpec, points: list[Point]) -> tuple[list, list | None]:
    if spec.measure == COUNT:
        return [p.value for p in points], None
    return [p.numerator for p in points], [p.denominator for p in points]


def _level(spec: IndicatorSpec, volume: int, points: list[Point]) -> float:
    """The process level (as `_point` draws it) behind the mean of `points`."""
    if spec.measure == COUNT:
        return sum(float(p.value or 0) for p in points) / len(points) / volume
    hits = sum(float(p.numerator or 0) for p in points)
    exposure = sum(float(p.denominator or 0) for p in points) or 1.0
    ratio = hits / exposure
    return _clamp(ratio) if spec.measure == PROPORTION else ratio * spec.multiplier
