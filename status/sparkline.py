"""Sparklines: a tiny SVG line of a series' monthly values, for tables."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

COLOUR = "#1f5f99"
STROKE = 'stroke-width="1.3" stroke-linejoin="round"'


def sparkline_svg(values: Sequence[float | None], width: int = 96, height: int = 24) -> SafeString:
    """The values as a line (gaps where a month is missing) with the latest point marked."""
    return _sparkline(tuple(values), width, height)


@lru_cache(maxsize=50_000)
def _sparkline(values: tuple[float | None, ...], width: int, height: int) -> SafeString:
    present = [v for v in values if v is not None]
    # Inline in HTML (no xmlns needed) and short: the overview carries some 300 of these.
    head = (
        f'<svg class="sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true">'
    )
    if not present:
        return mark_safe(head + "</svg>")  # noqa: S308 -- numbers only
    low, high = min(present), max(present)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[str, str]:
        return _short(2 + i * step), _short(height - 3 - (v - low) / span * (height - 6))

    lines: list[list[tuple[str, str]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            lines.append([])
        else:
            lines[-1].append(xy(i, v))
    body = []
    for line in lines:
        if len(line) > 1:
            points = " ".join(f"{x},{y}" for x, y in line)
            body.append(f'<polyline points="{points}" fill="none" stroke="{COLOUR}" {STROKE}/>')
        elif line:
            body.append(f'<circle cx="{line[0][0]}" cy="{line[0][1]}" r="1.2" fill="{COLOUR}"/>')
    last, last_value = max((i, v) for i, v in enumerate(values) if v is not None)
    x, y = xy(last, last_value)
    body.append(f'<circle cx="{x}" cy="{y}" r="2.2" fill="{COLOUR}"/>')
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 -- numbers only


def _short(number: float) -> str:
    """One decimal, without a trailing '.0'."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text
