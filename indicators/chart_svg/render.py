"""The whole chart: checks its input and puts the pieces together into one ``<svg>`` element.

The drawing has a viewBox and no fixed size: the page's stylesheet scales it to the width of
its box. Margins are measured from the texts they hold (tick labels, line labels, legend rows,
rows of notes), so no label is cut.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from indicators.chart_svg.annotations import (
    ROW_HEIGHT,
    annotation_markers,
    notes_text,
    place_notes,
    rows_needed,
)
from indicators.chart_svg.axes import part_separators, x_axis, y_axis, y_tick_labels
from indicators.chart_svg.description import description
from indicators.chart_svg.frame import Frame, nice_ticks, value_range
from indicators.chart_svg.labels import (
    legend,
    legend_items,
    legend_rows,
    line_label_texts,
    line_labels,
)
from indicators.chart_svg.markup import COLOURS, FONT_FAMILY, escape, px
from indicators.chart_svg.measure import text_width
from indicators.chart_svg.provisional import (
    ProvisionalMark,
    provisional_markers,
    provisional_range,
    widen_range,
)
from indicators.chart_svg.series import centre_line, data_line, limit_lines, point_markers
from indicators.spc import Analysis
from indicators.spc_text import DANISH, Wording

MIN_WIDTH, MIN_HEIGHT = 300, 180
FONT_SIZE = 12
LONG_SERIES = 36  # points; a longer chart gets the class "spc-long" (wider on a phone)


def render_svg(
    analysis: Analysis | None,
    *,
    title: str,
    unit: str = "",
    x_labels: Sequence[str] | None = None,
    target: float | None = None,
    annotations: Iterable[tuple[int, str] | tuple[int, str, str]] = (),
    parts: Sequence[tuple[int, Analysis]] | None = None,
    width: int = 720,
    height: int = 320,
    decimals: int | None = None,
    words: Wording = DANISH,
    y_range: tuple[float, float] | None = None,
    legend_rows_min: int = 1,
    provisional: Sequence[ProvisionalMark] = (),
) -> str:
    """Render the analysis as a standalone, accessible ``<svg>`` element (a string).

    For a split chart pass ``parts`` (``analyse_parts``' result); it is drawn instead of
    ``analysis``, which may then be None. ``x_labels`` name every point (e.g. "jan 2024"),
    ``annotations`` are (point index, short label[, detail]) such as PDSA cycles, ``target``
    defaults to the analysis' own target, and ``decimals=None`` picks 3 significant digits.
    ``width``/``height`` are the viewBox's; ``words`` the language of every text drawn;
    ``y_range`` a value range to include (the same for every chart of a set) and
    ``legend_rows_min`` the legend rows to make room for (equal plot heights in such a set).
    ``provisional`` are (index, value, label) of months left out of the analysis, drawn hollow.
    """
    segments = _segments(analysis, parts)
    n_total = sum(a.n_obs for _, a in segments)
    if x_labels is not None and len(x_labels) != n_total:
        raise ValueError(f"x_labels has {len(x_labels)} labels for {n_total} points.")
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(f"The chart must be at least {MIN_WIDTH} x {MIN_HEIGHT} pixels.")
    notes = [(int(i), str(label), str(rest[0]) if rest else "") for i, label, *rest in annotations]
    for i, *_ in notes:
        if not 0 <= i < n_total:
            raise ValueError(f"Annotation index {i} is outside the {n_total} points.")
    latest = segments[-1][1]
    if target is None:
        target = latest.target
    kind = latest.chart
    size = FONT_SIZE

    desc = description(segments, title=title, unit=unit, decimals=decimals, words=words)
    noted = notes_text(notes, x_labels, words.notes)
    desc = f"{desc} {noted}" if noted else desc
    # A stable id (same chart, same id) keeps the markup cacheable; two charts differ in desc.
    digest = hashlib.sha1(f"{title}\x00{desc}\x00{width}x{height}".encode(), usedforsecurity=False)
    ident = f"spc-{digest.hexdigest()[:10]}"
    classes = f"spc-chart spc-{kind}" + (" spc-long" if n_total > LONG_SERIES else "")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(FONT_FAMILY)}" '
        f'font-size="{size}" fill="{COLOURS["text"]}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    marks = [(int(i), float(v), str(label)) for i, v, label in provisional if 0 <= i < n_total]
    if not any(a.n_points for _, a in segments) and not marks:
        out.append(
            f'<rect class="spc-plot" x="8" y="8" width="{width - 16}" height="{height - 16}" '
            f'fill="{COLOURS["plot"]}" stroke="{COLOURS["grid"]}"/>'
            f'<text class="spc-empty" x="{px(width / 2)}" y="{px(height / 2)}" '
            f'text-anchor="middle" font-size="14">{escape(words.no_data)}</text></svg>'
        )
        return "".join(out)

    if any(a.n_points for _, a in segments):
        low, high = widen_range(*value_range(segments, target, y_range), marks)
    else:  # only provisional months so far
        low, high = provisional_range(marks, target)
    ticks, tick_decimals = nice_ticks(low, high)
    tick_labels = y_tick_labels(ticks, tick_decimals, words)
    left = 10 + max(text_width(label, size) for label in tick_labels)
    line_texts = line_label_texts(latest, target, unit, decimals, words)
    widest = max((text_width(label.text, size) for label in line_texts), default=0.0)
    # Line labels get what they need, up to a third of the drawing (then they wrap).
    right = min(widest + 12, width / 3)
    plot_w = width - left - right
    rows = legend_rows(legend_items(segments, target, bool(notes), words), size, width - left)
    bottom = 26 + max(len(rows), legend_rows_min) * size * 1.6
    step = plot_w / max(1, n_total)
    placed = place_notes(
        [(left + (i + 0.5) * step, label, detail) for i, label, detail in notes],
        size=size - 1,
        left=2,
        right=width - 2,
    )
    top = 12 + rows_needed(placed) * ROW_HEIGHT
    plot_h = height - top - bottom
    frame = Frame(left, top, plot_w, plot_h, n_total, ticks[0], ticks[-1])
    out.append(
        f'<rect class="spc-plot" x="{px(left)}" y="{px(top)}" width="{px(plot_w)}" '
        f'height="{px(plot_h)}" fill="{COLOURS["plot"]}" stroke="{COLOURS["grid"]}"/>'
    )
    out += y_axis(frame, ticks, tick_labels)
    out += x_axis(frame, x_labels, size)
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
    out += annotation_markers(frame, placed, size=size - 1)
    for start, part in segments:
        out += data_line(frame, start, part)
    for start, part in segments:
        out += point_markers(frame, start, part, x_labels, unit, decimals, words)
    out += provisional_markers(frame, marks, x_labels, unit, decimals, words)
    out += line_labels(frame, line_texts, size, right - 8)
    out += legend(rows, left=left, top=frame.bottom + 26 + size * 0.6, size=size)
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
