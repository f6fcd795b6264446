"""The whole chart: checks its input and puts the pieces together into one ``<svg>`` element."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from indicators.chart_svg.annotations import annotation_markers
from indicators.chart_svg.axes import part_separators, x_axis, y_axis
from indicators.chart_svg.description import description
from indicators.chart_svg.frame import Frame, nice_ticks, value_range
from indicators.chart_svg.labels import legend, line_labels
from indicators.chart_svg.markup import COLOURS, FONT_FAMILY, escape, px
from indicators.chart_svg.provisional import (
    ProvisionalMark,
    provisional_markers,
    provisional_range,
    widen_range,
)
from indicators.chart_svg.series import centre_line, data_line, limit_lines, point_markers
from indicators.spc import Analysis

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 62, 116, 30, 64
MIN_WIDTH, MIN_HEIGHT = 300, 180


def render_svg(
    analysis: Analysis | None,
    *,
    title: str,
    unit: str = "",
    x_labels: Sequence[str] | None = None,
    target: float | None = None,
    annotations: Iterable[tuple[int, str]] = (),
    parts: Sequence[tuple[int, Analysis]] | None = None,
    width: int = 720,
    height: int = 320,
    decimals: int | None = None,
    provisional: Sequence[ProvisionalMark] = (),
) -> str:
    """Render the analysis as a standalone, accessible ``<svg>`` element (a string).

    For a split chart pass ``parts`` (``analyse_parts``' result); it is drawn instead of
    ``analysis``, which may then be None. ``x_labels`` name every point (e.g. "jan 2024"),
    ``annotations`` are (point index, short label) pairs such as PDSA cycles, ``target``
    defaults to the analysis' own target, and ``decimals=None`` picks 3 significant digits.
    ``provisional`` are (index, value, label) of months left out of the analysis, drawn hollow.
    """
    segments = _segments(analysis, parts)
    n_total = sum(a.n_obs for _, a in segments)
    if x_labels is not None and len(x_labels) != n_total:
        raise ValueError(f"x_labels has {len(x_labels)} labels for {n_total} points.")
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(f"The chart must be at least {MIN_WIDTH} x {MIN_HEIGHT} pixels.")
    notes = [(int(i), str(label)) for i, label in annotations]
    for i, _ in notes:
        if not 0 <= i < n_total:
            raise ValueError(f"Annotation index {i} is outside the {n_total} points.")
    latest = segments[-1][1]
    if target is None:
        target = latest.target
    kind = latest.chart

    desc = description(segments, title=title, unit=unit, decimals=decimals)
    # A stable id (same chart, same id) keeps the markup cacheable; two charts differ in desc.
    digest = hashlib.sha1(f"{title}\x00{desc}\x00{width}x{height}".encode(), usedforsecurity=False)
    ident = f"spc-{digest.hexdigest()[:10]}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart spc-{kind}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(FONT_FAMILY)}" '
        f'font-size="11" fill="{COLOURS["text"]}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    out.append(
        f'<rect class="spc-plot" x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{plot_w}" '
        f'height="{plot_h}" fill="{COLOURS["plot"]}" stroke="{COLOURS["grid"]}"/>'
    )
    marks = [(int(i), float(v), str(label)) for i, v, label in provisional if 0 <= i < n_total]
    if not any(a.n_points for _, a in segments) and not marks:
        out.append(
            f'<text class="spc-empty" x="{px(MARGIN_LEFT + plot_w / 2)}" '
            f'y="{px(MARGIN_TOP + plot_h / 2)}" text-anchor="middle" font-size="14">'
            "Ingen data</text>"
        )
        out.append("</svg>")
        return "".join(out)

    if any(a.n_points for _, a in segments):
        low, high = widen_range(*value_range(segments, target), marks)
    else:  # only provisional months so far
        low, high = provisional_range(marks, target)
    ticks, tick_decimals = nice_ticks(low, high)
    frame = Frame(MARGIN_LEFT, MARGIN_TOP, plot_w, plot_h, n_total, ticks[0], ticks[-1])

    out += y_axis(frame, ticks, tick_decimals)
    out += x_axis(frame, x_labels)
    out += part_separators(frame, segments)
    for start, part in segments:
        out += limit_lines(frame, start, part)
        out += centre_line(frame, start, part)
    if target is not None:
        out.append(
            f'<line class="spc-target" x1="{px(frame.left)}" x2="{px(frame.right)}" '
            f'y1="{px(frame.y(target))}" y2="{px(frame.y(target))}" '
            f'stroke="{COLOURS["target"]}" stroke-width="2" stroke-dasharray="2 3"/>'
        )
    out += annotation_markers(frame, notes)
    for start, part in segments:
        out += data_line(frame, start, part)
    for start, part in segments:
        out += point_markers(frame, start, part, x_labels, unit, decimals)
    out += provisional_markers(frame, marks, x_labels, unit, decimals)
    out += line_labels(frame, latest, target, unit, decimals)
    out += legend(frame, height, segments, target, bool(notes))
    out.append("</svg>")
    return "".join(out)


def _segments(
    analysis: Analysis | None, parts: Sequence[tuple[int, Analysis]] | None
) -> list[tuple[int, Analysis]]:
    """The parts to draw, checked to follow each other without gaps."""
    if parts:
        segments = [(int(start), part) for start, part in parts]
        expected = 0
        for start, part in segments:
            if start != expected:
                raise ValueError(f"A part starts at {start}; the previous one ends at {expected}.")
            expected += part.n_obs
        return segments
    if analysis is None:
        raise ValueError("Give an analysis or its parts.")
    return [(0, analysis)]
