"""The y axis with its grid, the x axis with its point labels, and the breaks between parts."""

from __future__ import annotations

import math
from collections.abc import Sequence

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import COLOURS, escape, px
from indicators.chart_svg.measure import text_width
from indicators.spc import Analysis
from indicators.spc_text import Wording


def y_tick_labels(ticks: list[float], decimals: int, words: Wording) -> list[str]:
    """The tick values as written in the wording's language."""
    return [words.number(tick, decimals) for tick in ticks]


def y_axis(frame: Frame, ticks: list[float], labels: list[str]) -> list[str]:
    """Grid lines and tick labels."""
    out = ['<g class="spc-axis spc-y-axis">']
    for tick, label in zip(ticks, labels, strict=True):
        y = px(frame.y(tick))
        out.append(
            f'<line class="spc-grid" x1="{px(frame.left)}" x2="{px(frame.right)}" '
            f'y1="{y}" y2="{y}" stroke="{COLOURS["grid"]}"/>'
            f'<text x="{px(frame.left - 6)}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
    out.append("</g>")
    return out


def x_axis(frame: Frame, x_labels: Sequence[str] | None, size: float) -> list[str]:
    """Axis line and as many point labels as fit without overlapping; the latest is labelled."""
    labels = [str(k + 1) for k in range(frame.n_points)] if x_labels is None else x_labels
    longest = max((text_width(str(label), size) for label in labels), default=size)
    every = max(1, math.ceil((longest + size) / frame.step))
    out = [
        '<g class="spc-axis spc-x-axis">',
        f'<line x1="{px(frame.left)}" x2="{px(frame.right)}" y1="{px(frame.bottom)}" '
        f'y2="{px(frame.bottom)}" stroke="{COLOURS["axis"]}"/>',
    ]
    # Counted back from the latest month, which is the one a reader looks for.
    for k in range((frame.n_points - 1) % every, frame.n_points, every):
        x = px(frame.x(k))
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{px(frame.bottom)}" y2="{px(frame.bottom + 4)}" '
            f'stroke="{COLOURS["axis"]}"/>'
            f'<text x="{x}" y="{px(frame.bottom + 16)}" text-anchor="middle">'
            f"{escape(str(labels[k]))}</text>"
        )
    out.append("</g>")
    return out


def part_separators(frame: Frame, segments: list[tuple[int, Analysis]]) -> list[str]:
    """A thin vertical line where each new part begins."""
    out = []
    for start, _ in segments[1:]:
        x = px(frame.left + start * frame.step)
        out.append(
            f'<line class="spc-part-break" x1="{x}" x2="{x}" y1="{px(frame.top)}" '
            f'y2="{px(frame.bottom)}" stroke="{COLOURS["axis"]}" stroke-dasharray="1 2"/>'
        )
    return out
