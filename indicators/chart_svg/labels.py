"""Text beside and below the plot: the labels of the centre line, limits and target, and the
legend."""

from __future__ import annotations

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import CHAR_WIDTH, COLOURS, escape, px
from indicators.spc import CONTROL_CHART_KINDS, Analysis
from indicators.spc_text import format_number_da

LABEL_GAP = 13  # px between right-hand line labels, so 11px text never overlaps


def line_labels(
    frame: Frame, latest: Analysis, target: float | None, unit: str, decimals: int | None
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
            f'<text class="spc-label-{cls}" x="{px(frame.right + 6)}" y="{px(y)}" '
            f'dominant-baseline="middle" fill="{colour}">{escape(text)}</text>'
        )
    out.append("</g>")
    return out


def legend(
    frame: Frame,
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
    ]
    if latest.cl is not None:  # a series too short for the run-chart rules is drawn without it
        items.append(
            (
                f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["cl"]}" stroke-width="1.5"/>',
                "Median" if latest.chart == "run" else "Middelværdi",
            )
        )
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
    out = [f'<g class="spc-legend" transform="translate({px(frame.left)} {y})">']
    x = 0.0
    for symbol, label in items:
        out.append(
            f'<g transform="translate({px(x)} 0)">{symbol}'
            f'<text x="23" y="0" dominant-baseline="middle">{escape(label)}</text></g>'
        )
        x += 23 + len(label) * CHAR_WIDTH + 14
    out.append("</g>")
    return out
