"""Checking and converting the SPC engine's input (`indicators.spc`): plain messages for arguments
that cannot be meant. Pure Python, like the engine."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from decimal import Decimal

DIRECTIONS: tuple[str, ...] = ("up", "down")


def to_float(value: object, what: str, index: int) -> float | None:
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


def floats(values: Iterable[object], what: str) -> list[float | None]:
    """Convert a whole input series."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{what} must be a sequence of numbers, not a string.")
    return [to_float(v, what, i) for i, v in enumerate(values)]


def check_arguments(
    kind: str,
    nums: Sequence[float | None],
    dens: Sequence[float | None] | None,
    freeze: object,
    direction: object,
    target: object,
    multiplier: object,
) -> None:
    """Raise ValueError with a plain message for arguments that cannot be meant."""
    if kind in ("p", "u", "pp", "up") and dens is None:
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
    if kind in ("p", "u", "c", "pp", "up"):
        for i, v in enumerate(nums):
            if v is not None and v < 0:
                raise ValueError(f"values[{i}] is negative ({v}); a {kind} chart counts events.")
    if kind in ("p", "pp") and dens is not None:
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
