"""Notes on the chart (e.g. PDSA cycles): a vertical marker and a short label per note."""

from __future__ import annotations

import math

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import COLOURS, escape, px


def annotation_markers(frame: Frame, notes: list[tuple[int, str]]) -> list[str]:
    """Vertical markers with short labels (e.g. PDSA cycles); the full text as a tooltip."""
    out = []
    previous_x = -math.inf
    raised = False
    for index, label in sorted(notes):
        x = frame.x(index)
        # Alternate the height of labels that would collide with their neighbour.
        raised = not raised if x - previous_x < 70 else False
        previous_x = x
        short = label if len(label) <= 18 else label[:17] + "…"
        text_y = frame.top - (16 if raised else 5)
        out.append(
            f'<g class="spc-annotation"><title>{escape(label)}</title>'
            f'<line x1="{px(x)}" x2="{px(x)}" y1="{px(text_y + 3)}" y2="{px(frame.bottom)}" '
            f'stroke="{COLOURS["annotation"]}" stroke-dasharray="3 2"/>'
            f'<text x="{px(x)}" y="{px(text_y)}" text-anchor="middle" font-size="10" '
            f'fill="{COLOURS["annotation"]}">{escape(short)}</text></g>'
        )
    return out
