"""Accessible SVG rendering of an analysed run or control chart, built as text without Django.

The markup uses presentation attributes (stroke, fill, ...) and CSS classes only: no ``style``
attributes, ``<style>`` elements or scripts, so it works under a strict Content Security Policy
and the portal's stylesheet can still restyle it through the classes.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indicators.spc import (
    CONTROL_CHART_KINDS,
    Analysis,
    format_number_da,
    summary_text_da,
)

COLOURS = {
    "line": "#1f4e79",
    "point": "#1f4e79",
    "signal": "#c04600",
    "cl": "#333333",
    "limit": "#7a7a7a",
    "target": "#1a7f37",
    "annotation": "#6b4c9a",
    "grid": "#e3e3e3",
    "axis": "#555555",
    "text": "#222222",
    "plot": "#ffffff",
}
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 62, 116, 30, 64
MIN_WIDTH, MIN_HEIGHT = 300, 180
LABEL_GAP = 13  # px between right-hand line labels, so 11px text never overlaps
CHAR_WIDTH = 6.2  # rough width of one 11px character, for laying out the legend
# XML 1.0 forbids these characters even when escaped; a title pasted from elsewhere may hold them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class _Frame:
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
) -> str:
    """Render the analysis as a standalone, accessible ``<svg>`` element (a string).

    For a split chart pass ``parts`` (``analyse_parts``' result); it is drawn instead of
    ``analysis``, which may then be None. ``x_labels`` name every point (e.g. "jan 2024"),
    ``annotations`` are (point index, short label) pairs such as PDSA cycles, ``target``
    defaults to the analysis' own target, and ``decimals=None`` picks 3 significant digits.
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

    desc = _description(segments, title=title, unit=unit, decimals=decimals)
    # A stable id (same chart, same id) keeps the markup cacheable; two charts differ in desc.
    digest = hashlib.sha1(f"{title}\x00{desc}\x00{width}x{height}".encode(), usedforsecurity=False)
    ident = f"spc-{digest.hexdigest()[:10]}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart spc-{kind}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{_attr(FONT_FAMILY)}" '
        f'font-size="11" fill="{COLOURS["text"]}">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(desc)}</desc>',
    ]
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    out.append(
        f'<rect class="spc-plot" x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{plot_w}" '
        f'height="{plot_h}" fill="{COLOURS["plot"]}" stroke="{COLOURS["grid"]}"/>'
    )
    if not any(a.n_points for _, a in segments):
        out.append(
            f'<text class="spc-empty" x="{_n(MARGIN_LEFT + plot_w / 2)}" '
            f'y="{_n(MARGIN_TOP + plot_h / 2)}" text-anchor="middle" font-size="14">'
            "Ingen data</text>"
        )
        out.append("</svg>")
        return "".join(out)

    low, high = _value_range(segments, target)
    ticks, tick_decimals = _nice_ticks(low, high)
    frame = _Frame(MARGIN_LEFT, MARGIN_TOP, plot_w, plot_h, n_total, ticks[0], ticks[-1])

    out += _y_axis(frame, ticks, tick_decimals)
    out += _x_axis(frame, x_labels)
    out += _part_separators(frame, segments)
    for start, part in segments:
        out += _limits(frame, start, part)
        out += _centre_line(frame, start, part)
    if target is not None:
        out.append(
            f'<line class="spc-target" x1="{_n(frame.left)}" x2="{_n(frame.right)}" '
            f'y1="{_n(frame.y(target))}" y2="{_n(frame.y(target))}" '
            f'stroke="{COLOURS["target"]}" stroke-width="2" stroke-dasharray="2 3"/>'
        )
    out += _annotations(frame, notes)
    for start, part in segments:
        out += _data_line(frame, start, part)
    for start, part in segments:
        out += _points(frame, start, part, x_labels, unit, decimals)
    out += _line_labels(frame, latest, target, unit, decimals)
    out += _legend(frame, height, segments, target, bool(notes))
    out.append("</svg>")
    return "".join(out)


# --- pieces ---------------------------------------------------------------------------------


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


def _description(
    segments: list[tuple[int, Analysis]], *, title: str, unit: str, decimals: int | None
) -> str:
    """The screen-reader description: one summary, or one per part."""
    if len(segments) == 1:
        return summary_text_da(segments[0][1], title=title, unit=unit, decimals=decimals)
    texts = [
        f"Del {k} fra punkt {start + 1}: "
        + summary_text_da(part, title="", unit=unit, decimals=decimals)
        for k, (start, part) in enumerate(segments, start=1)
    ]
    return f"{title.strip()}. " + " ".join(texts) if title.strip() else " ".join(texts)


def _value_range(segments: list[tuple[int, Analysis]], target: float | None) -> tuple[float, float]:
    """Smallest and largest value to show, anchored at zero for counts and rates."""
    values = [target] if target is not None else []
    for _, part in segments:
        values += [v for v in part.y if v is not None]
        values += [v for v in part.lcl + part.ucl if v is not None]
        if part.cl is not None:
            values.append(part.cl)
    low, high = min(values), max(values)
    # Proportions, rates and counts read honestly only from zero.
    if segments[-1][1].chart in ("p", "u", "c") and low >= 0:
        low = 0.0
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    return low, high


def _nice_ticks(low: float, high: float) -> tuple[list[float], int]:
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


def _y_axis(frame: _Frame, ticks: list[float], decimals: int) -> list[str]:
    """Grid lines and tick labels with decimal commas."""
    out = ['<g class="spc-axis spc-y-axis">']
    for tick in ticks:
        y = _n(frame.y(tick))
        out.append(
            f'<line class="spc-grid" x1="{_n(frame.left)}" x2="{_n(frame.right)}" '
            f'y1="{y}" y2="{y}" stroke="{COLOURS["grid"]}"/>'
            f'<text x="{_n(frame.left - 6)}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{_text(format_number_da(tick, decimals))}</text>'
        )
    out.append("</g>")
    return out


def _x_axis(frame: _Frame, x_labels: Sequence[str] | None) -> list[str]:
    """Axis line and as many point labels as fit without overlapping."""
    labels = [str(k + 1) for k in range(frame.n_points)] if x_labels is None else x_labels
    longest = max((len(str(label)) for label in labels), default=1)
    room = max(1, int(frame.width // max(24.0, (longest + 1) * CHAR_WIDTH)))
    every = max(1, math.ceil(frame.n_points / room))
    out = [
        '<g class="spc-axis spc-x-axis">',
        f'<line x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{_n(frame.bottom)}" '
        f'y2="{_n(frame.bottom)}" stroke="{COLOURS["axis"]}"/>',
    ]
    for k in range(0, frame.n_points, every):
        x = _n(frame.x(k))
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{_n(frame.bottom)}" y2="{_n(frame.bottom + 4)}" '
            f'stroke="{COLOURS["axis"]}"/>'
            f'<text x="{x}" y="{_n(frame.bottom + 16)}" text-anchor="middle">'
            f"{_text(str(labels[k]))}</text>"
        )
    out.append("</g>")
    return out


def _part_separators(frame: _Frame, segments: list[tuple[int, Analysis]]) -> list[str]:
    """A thin vertical line where each new part begins."""
    out = []
    for start, _ in segments[1:]:
        x = _n(frame.left + start * frame.step)
        out.append(
            f'<line class="spc-part-break" x1="{x}" x2="{x}" y1="{_n(frame.top)}" '
            f'y2="{_n(frame.bottom)}" stroke="{COLOURS["axis"]}" stroke-dasharray="1 2"/>'
        )
    return out


def _limits(frame: _Frame, start: int, part: Analysis) -> list[str]:
    """Dashed control limits, stepped where they vary from point to point."""
    out = []
    for name, values in (("lower", part.lcl), ("upper", part.ucl)):
        path = _stepped_path(frame, start, values)
        if path:
            out.append(
                f'<path class="spc-limit spc-limit-{name}" d="{path}" fill="none" '
                f'stroke="{COLOURS["limit"]}" stroke-width="1.2" stroke-dasharray="5 4"/>'
            )
    return out


def _stepped_path(frame: _Frame, start: int, values: Sequence[float | None]) -> str:
    """Path through each point's band at its value; a missing value leaves a gap."""
    commands: list[str] = []
    previous: float | None = None
    for k, value in enumerate(values):
        if value is None:
            previous = None
            continue
        x0, x1 = frame.x(start + k) - frame.step / 2, frame.x(start + k) + frame.step / 2
        y = _n(frame.y(value))
        if previous is None:
            commands += [f"M{_n(x0)} {y}", f"H{_n(x1)}"]
        elif value == previous:
            commands[-1] = f"H{_n(x1)}"  # one long segment for a constant limit
        else:
            commands += [f"V{y}", f"H{_n(x1)}"]
        previous = value
    return "".join(commands)


def _centre_line(frame: _Frame, start: int, part: Analysis) -> list[str]:
    """Solid CL over the baseline, dashed where a frozen CL is carried forward."""
    if part.cl is None or part.n_obs == 0:
        return []
    y = _n(frame.y(part.cl))
    x0 = frame.x(start) - frame.step / 2
    x_base = frame.x(start + part.baseline - 1) + frame.step / 2
    x_end = frame.x(start + part.n_obs - 1) + frame.step / 2
    out = [
        f'<line class="spc-cl" x1="{_n(x0)}" x2="{_n(x_base)}" y1="{y}" y2="{y}" '
        f'stroke="{COLOURS["cl"]}" stroke-width="1.5"/>'
    ]
    if part.baseline < part.n_obs:
        out.append(
            f'<line class="spc-cl spc-cl-extended" x1="{_n(x_base)}" x2="{_n(x_end)}" '
            f'y1="{y}" y2="{y}" stroke="{COLOURS["cl"]}" stroke-width="1.5" '
            'stroke-dasharray="8 3"/>'
        )
    return out


def _annotations(frame: _Frame, notes: list[tuple[int, str]]) -> list[str]:
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
            f'<g class="spc-annotation"><title>{_text(label)}</title>'
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(text_y + 3)}" y2="{_n(frame.bottom)}" '
            f'stroke="{COLOURS["annotation"]}" stroke-dasharray="3 2"/>'
            f'<text x="{_n(x)}" y="{_n(text_y)}" text-anchor="middle" font-size="10" '
            f'fill="{COLOURS["annotation"]}">{_text(short)}</text></g>'
        )
    return out


def _data_line(frame: _Frame, start: int, part: Analysis) -> list[str]:
    """The line joining neighbouring points; a missing point breaks it."""
    commands = []
    joined = False
    for k, value in enumerate(part.y):
        if value is None:
            joined = False
            continue
        commands.append(f"{'L' if joined else 'M'}{_n(frame.x(start + k))} {_n(frame.y(value))}")
        joined = True
    if not commands:
        return []
    return [
        f'<path class="spc-line" d="{"".join(commands)}" fill="none" '
        f'stroke="{COLOURS["line"]}" stroke-width="1.5" stroke-linejoin="round"/>'
    ]


def _points(
    frame: _Frame,
    start: int,
    part: Analysis,
    x_labels: Sequence[str] | None,
    unit: str,
    decimals: int | None,
) -> list[str]:
    """One marker per point: circle, or a larger orange diamond/square for a signal."""
    out = ['<g class="spc-points">']
    for k, value in enumerate(part.y):
        if value is None:
            continue
        x, y = frame.x(start + k), frame.y(value)
        name = str(x_labels[start + k]) if x_labels is not None else f"Punkt {start + k + 1}"
        tip = f"{name}: {format_number_da(value, decimals)}" + (f" {unit}" if unit else "")
        if part.outside_limits[k]:
            tip += " (uden for kontrolgrænserne)"
            out.append(
                f'<rect class="spc-point signal outside-limits'
                f'{" long-run" if part.in_long_run[k] else ""}" x="{_n(x - 4.5)}" '
                f'y="{_n(y - 4.5)}" width="9" height="9" fill="{COLOURS["signal"]}" '
                f'stroke="#ffffff" stroke-width="1"><title>{_text(tip)}</title></rect>'
            )
        elif part.in_long_run[k]:
            tip += " (del af for lang serie)"
            out.append(
                f'<path class="spc-point signal long-run" '
                f'd="M{_n(x)} {_n(y - 5.5)}L{_n(x + 5.5)} {_n(y)}L{_n(x)} {_n(y + 5.5)}'
                f'L{_n(x - 5.5)} {_n(y)}Z" fill="{COLOURS["signal"]}" stroke="#ffffff" '
                f'stroke-width="1"><title>{_text(tip)}</title></path>'
            )
        else:
            out.append(
                f'<circle class="spc-point" cx="{_n(x)}" cy="{_n(y)}" r="3.5" '
                f'fill="{COLOURS["point"]}" stroke="#ffffff" stroke-width="1">'
                f"<title>{_text(tip)}</title></circle>"
            )
    out.append("</g>")
    return out


def _line_labels(
    frame: _Frame, latest: Analysis, target: float | None, unit: str, decimals: int | None
) -> list[str]:
    """Labels right of the plot for the latest part's CL and limits and for the target."""

    def number(value: float) -> str:
        return format_number_da(value, decimals) + (f" {unit}" if unit else "")

    labels: list[tuple[float, str, str, str]] = []
    if latest.cl is not None:
        name = "Median" if latest.chart == "run" else "Middelværdi"
        labels.append((frame.y(latest.cl), f"{name} {number(latest.cl)}", "cl", COLOURS["cl"]))
    limits = latest.latest_limits
    if limits is not None and latest.chart in CONTROL_CHART_KINDS:
        labels.append((frame.y(limits[1]), f"ØKG {number(limits[1])}", "ucl", COLOURS["limit"]))
        labels.append((frame.y(limits[0]), f"NKG {number(limits[0])}", "lcl", COLOURS["limit"]))
    if target is not None:
        labels.append((frame.y(target), f"Mål {number(target)}", "target", COLOURS["target"]))
    labels.sort()
    # Push labels apart top-down so lines that lie close together keep readable labels.
    placed: list[float] = []
    for y, *_ in labels:
        placed.append(max(y, placed[-1] + LABEL_GAP) if placed else y)
    out = ['<g class="spc-line-labels">']
    for (_, text, cls, colour), y in zip(labels, placed, strict=True):
        out.append(
            f'<text class="spc-label-{cls}" x="{_n(frame.right + 6)}" y="{_n(y)}" '
            f'dominant-baseline="middle" fill="{colour}">{_text(text)}</text>'
        )
    out.append("</g>")
    return out


def _legend(
    frame: _Frame,
    height: int,
    segments: list[tuple[int, Analysis]],
    target: float | None,
    has_notes: bool,
) -> list[str]:
    """A one-line legend under the x axis, naming only what the chart shows."""
    latest = segments[-1][1]
    y = height - 12
    items: list[tuple[str, str]] = [
        (
            f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["line"]}" stroke-width="1.5"/>'
            f'<circle cx="9" cy="0" r="3.5" fill="{COLOURS["point"]}"/>',
            "Måling",
        ),
        (
            f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["cl"]}" stroke-width="1.5"/>',
            "Median" if latest.chart == "run" else "Middelværdi",
        ),
    ]
    if latest.chart in CONTROL_CHART_KINDS:
        items.append(
            (
                f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["limit"]}" '
                'stroke-dasharray="5 4"/>',
                "Kontrolgrænser",
            )
        )
    if target is not None:
        items.append(
            (
                f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["target"]}" '
                'stroke-width="2" stroke-dasharray="2 3"/>',
                "Mål",
            )
        )
    if any(any(part.in_long_run) for _, part in segments):
        items.append(
            (
                f'<path d="M9 -5.5L14.5 0L9 5.5L3.5 0Z" fill="{COLOURS["signal"]}"/>',
                "For lang serie",
            )
        )
    if any(any(part.outside_limits) for _, part in segments):
        items.append(
            (
                f'<rect x="4.5" y="-4.5" width="9" height="9" fill="{COLOURS["signal"]}"/>',
                "Uden for kontrolgrænser",
            )
        )
    if has_notes:
        items.append(
            (
                f'<line x1="9" x2="9" y1="-6" y2="6" stroke="{COLOURS["annotation"]}" '
                'stroke-dasharray="3 2"/>',
                "Note",
            )
        )
    out = [f'<g class="spc-legend" transform="translate({_n(frame.left)} {y})">']
    x = 0.0
    for symbol, label in items:
        out.append(
            f'<g transform="translate({_n(x)} 0)">{symbol}'
            f'<text x="23" y="0" dominant-baseline="middle">{_text(label)}</text></g>'
        )
        x += 23 + len(label) * CHAR_WIDTH + 14
    out.append("</g>")
    return out


# --- text helpers ---------------------------------------------------------------------------


def _text(value: str) -> str:
    """Escape text for element content or attributes, dropping characters XML forbids."""
    return html.escape(_XML_INVALID.sub("", value), quote=True)


def _attr(value: str) -> str:
    """Escape an attribute value (same rules as text)."""
    return _text(value)


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
