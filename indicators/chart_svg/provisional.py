"""Provisional months (indicators.completeness): hollow points outside the analysed series,
each with its label ("foreløbig: 3 af 7 teams") beside it and in its tooltip."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import COLOURS, escape, px
from indicators.spc_text import DANISH, Wording

# (point index, plotted value, label such as "foreløbig: 3 af 7 teams")
ProvisionalMark = tuple[int, float, str]


def provisional_markers(
    frame: Frame,
    marks: Sequence[ProvisionalMark],
    x_labels: Sequence[str] | None,
    unit: str,
    decimals: int | None,
    words: Wording = DANISH,
) -> list[str]:
    """A hollow circle per provisional month, its label written above it (right-aligned, so a
    last month's label stays inside the plot)."""
    if not marks:
        return []
    out = ['<g class="spc-provisional">']
    for index, value, label in marks:
        x, y = frame.x(index), frame.y(value)
        name = str(x_labels[index]) if x_labels is not None else words.point % {"number": index + 1}
        number = words.with_unit(value, unit, decimals)
        tip = f"{name}: {number} ({label})"
        out.append(
            f'<circle class="spc-point provisional" cx="{px(x)}" cy="{px(y)}" r="4.5" '
            f'fill="{COLOURS["plot"]}" stroke="{COLOURS["point"]}" stroke-width="1.8">'
            f"<title>{escape(tip)}</title></circle>"
        )
        above = y - 9 if y - 9 > frame.top + 8 else y + 16
        out.append(
            f'<text class="spc-provisional-label" x="{px(x + 4)}" y="{px(above)}" '
            f'text-anchor="end" font-style="italic" fill="{COLOURS["text"]}" '
            f'stroke="{COLOURS["plot"]}" stroke-width="3" paint-order="stroke">'
            f"{escape(label)}</text>"
        )
    out.append("</g>")
    return out


def widen_range(low: float, high: float, marks: Sequence[ProvisionalMark]) -> tuple[float, float]:
    """The value range stretched so every provisional point lies inside the plot."""
    values = [value for _, value, _ in marks]
    return min([low, *values]), max([high, *values])


def provisional_range(
    marks: Sequence[ProvisionalMark], target: float | None
) -> tuple[float, float]:
    """The value range of a chart whose only points are provisional (and its target)."""
    values = [value for _, value, _ in marks] + ([] if target is None else [target])
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    return low, high
