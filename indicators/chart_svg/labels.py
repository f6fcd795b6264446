"""Text beside and below the plot: the labels of the centre line, limits and target, and the
legend. Every text is measured (`measure.text_width`) so that it is placed where it fits."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import COLOURS, escape, px
from indicators.chart_svg.measure import fit, text_width, wrap
from indicators.spc import CONTROL_CHART_KINDS, Analysis
from indicators.spc_text import Wording

LINE_HEIGHT = 1.2  # of the font size, between lines of one label and between labels


@dataclass(frozen=True)
class LineLabel:
    """The label of one horizontal line (CL, a limit or the target) at the line's value."""

    value: float
    name: str
    number: str
    cls: str
    colour: str

    @property
    def text(self) -> str:
        return f"{self.name} {self.number}"


def line_label_texts(
    latest: Analysis, target: float | None, unit: str, decimals: int | None, words: Wording
) -> list[LineLabel]:
    """The labels of the latest part's CL and limits and of the target."""

    def number(value: float) -> str:
        return words.with_unit(value, unit, decimals)

    labels = []
    if latest.cl is not None:
        name = words.median if latest.chart == "run" else words.mean
        labels.append(LineLabel(latest.cl, name, number(latest.cl), "cl", COLOURS["cl"]))
    limits = latest.latest_limits
    if limits is not None and latest.chart in CONTROL_CHART_KINDS:
        labels.append(LineLabel(limits[1], words.ucl, number(limits[1]), "ucl", COLOURS["limit"]))
        labels.append(LineLabel(limits[0], words.lcl, number(limits[0]), "lcl", COLOURS["limit"]))
    if target is not None:
        labels.append(LineLabel(target, words.target, number(target), "target", COLOURS["target"]))
    return labels


def label_lines(label: LineLabel, size: float, room: float) -> list[str]:
    """The label on one line when it fits in `room`, else wrapped at its spaces."""
    return wrap(label.text, size, room)


def line_labels(frame: Frame, labels: list[LineLabel], size: float, room: float) -> list[str]:
    """Labels right of the plot, pushed apart so that lines lying close keep readable labels."""
    step = size * LINE_HEIGHT
    laid = sorted(
        ((frame.y(label.value), label, label_lines(label, size, room)) for label in labels),
        key=lambda item: item[0],
    )
    out = ['<g class="spc-line-labels">']
    floor = -float("inf")  # the lowest y taken so far
    for y, label, lines in laid:
        first = max(y - (len(lines) - 1) * step / 2, floor + step)
        floor = first + (len(lines) - 1) * step
        x = px(frame.right + 6)
        if len(lines) == 1:
            body = f'x="{x}" y="{px(first)}">{escape(lines[0])}'
        else:
            body = ">" + "".join(
                f'<tspan x="{x}" y="{px(first + k * step)}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
        out.append(
            f'<text class="spc-label-{label.cls}" dominant-baseline="middle" '
            f'fill="{label.colour}" {body}</text>'
        )
    out.append("</g>")
    return out


def legend_items(
    segments: list[tuple[int, Analysis]], target: float | None, has_notes: bool, words: Wording
) -> list[tuple[str, str]]:
    """(symbol markup, name) of everything the chart shows, and only that."""
    latest = segments[-1][1]
    items: list[tuple[str, str]] = [
        (
            f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["line"]}" stroke-width="1.5"/>'
            f'<circle cx="9" cy="0" r="3.5" fill="{COLOURS["point"]}"/>',
            words.measurement,
        ),
    ]
    if latest.cl is not None:  # a series too short for the run-chart rules is drawn without it
        items.append(
            (
                f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["cl"]}" stroke-width="1.5"/>',
                words.median if latest.chart == "run" else words.mean,
            )
        )
    if latest.chart in CONTROL_CHART_KINDS:
        items.append(
            (
                f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["limit"]}" '
                'stroke-dasharray="5 4"/>',
                words.limits,
            )
        )
    if target is not None:
        items.append(
            (
                f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["target"]}" '
                'stroke-width="2" stroke-dasharray="2 3"/>',
                words.target,
            )
        )
    if any(any(part.in_long_run) for _, part in segments):
        items.append(
            (f'<path d="M9 -5.5L14.5 0L9 5.5L3.5 0Z" fill="{COLOURS["signal"]}"/>', words.long_run)
        )
    if any(any(part.outside_limits) for _, part in segments):
        items.append(
            (
                f'<rect x="4.5" y="-4.5" width="9" height="9" fill="{COLOURS["signal"]}"/>',
                words.outside,
            )
        )
    if has_notes:
        items.append(
            (
                f'<line x1="9" x2="9" y1="-6" y2="6" stroke="{COLOURS["annotation"]}" '
                'stroke-dasharray="3 2"/>',
                words.note,
            )
        )
    return items


SYMBOL = 23.0  # px from an item's start to its text
ITEM_GAP = 14.0  # px between items


def legend_rows(
    items: list[tuple[str, str]], size: float, room: float
) -> list[list[tuple[float, str, str]]]:
    """Items wrapped into rows no wider than `room`: per row, (x, symbol, name as drawn)."""
    rows: list[list[tuple[float, str, str]]] = [[]]
    x = 0.0
    for symbol, name in items:
        shown = fit(name, size, room - SYMBOL)
        width = SYMBOL + text_width(shown, size)
        if rows[-1] and x + width > room:
            rows.append([])
            x = 0.0
        rows[-1].append((x, symbol, shown))
        x += width + ITEM_GAP
    return rows


def legend(
    rows: list[list[tuple[float, str, str]]], *, left: float, top: float, size: float
) -> list[str]:
    """The legend's rows, the first at `top`."""
    out = [f'<g class="spc-legend" transform="translate({px(left)} {px(top)})">']
    for r, row in enumerate(rows):
        y = r * size * 1.6
        for x, symbol, name in row:
            out.append(
                f'<g transform="translate({px(x)} {px(y)})">{symbol}'
                f'<text x="{SYMBOL:g}" y="0" dominant-baseline="middle">{escape(name)}</text></g>'
            )
    out.append("</g>")
    return out
