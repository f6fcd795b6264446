"""The funnel plot as an SVG string: axes with ticks and units, the LKT value, the 95 % and
99.8 % funnels (dashed and dotted), the teams as points inside a padded plotting area, and every
team outside the 99.8 % funnel labelled by name. Pure Python: the words come translated, the
numbers through the ``number`` function the caller passes (Django's l10n on the page)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from indicators.funnel import Z_95, Z_998, FunnelResult
from indicators.funnel_layout import (
    FONT,
    LEADER,
    LINE,
    SIZE,
    Box,
    esc,
    place_label,
    px,
    text_el,
    text_width,
    ticks,
    wrap,
)

INSET = 12  # px between the frame and the nearest possible point
COLOURS = {
    "point": "#1f4e79",
    "outside": LEADER,
    "centre": "#333333",
    "limit": "#5f5f5f",
    "grid": "#e6e6e6",
    "axis": "#555555",
    "text": "#222222",
}
DASH_95 = "7 4"  # dashed
DOT_998 = "1.5 3"  # dotted (round caps)

Number = Callable[[float, int | None], str]


@dataclass(frozen=True)
class FunnelWords:
    """Every word the drawing shows, already in the reader's language."""

    title: str
    x_title: str  # "Patienter opereret akut (nævner), seneste 3 måneder"
    y_title: str  # "Andel (%)"
    unit: str  # appended to y tick labels when it is "%"
    centre: str  # "LKT-værdi"
    limit_95: str  # "95 %-grænser"
    limit_998: str  # "99,8 %-grænser"
    label_95: str  # "95 %" beside the curve
    label_998: str  # "99,8 %"
    team: str  # "Team"
    outside: str  # "Team uden for 99,8 %"
    no_data: str


def value_decimals(multiplier: float, chart: str) -> int | None:
    """One decimal for percentages, otherwise three significant digits."""
    return 1 if chart == "p" and multiplier == 100 else None


def render_funnel_svg(
    result: FunnelResult,
    words: FunnelWords,
    *,
    multiplier: float,
    number: Number,
    uid: str,
    width: int = 760,
    height: int = 420,
) -> str:
    """An accessible, responsive ``<svg>`` (viewBox, full width) of the funnel plot."""
    if result.centre is None or result.centre_raw is None or not result.points:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="funnel-plot" '
            f'viewBox="0 0 {width} 60" width="100%" font-family="{FONT}" font-size="{SIZE}">'
            f"<title>{esc(words.title)}</title>"
            f'<text x="10" y="35" fill="#555">{esc(words.no_data)}</text></svg>'
        )
    chart = result.chart
    decimals = value_decimals(multiplier, chart)

    def limit(n: float, z: float) -> float:
        value = result.limit(n, z) * multiplier
        value = max(value, 0.0)
        return min(value, float(multiplier)) if chart == "p" else value

    def finite(value: float) -> float:
        return value if math.isfinite(value) else 0.0

    ns = [finite(float(p.denominator)) for p, _, _ in result.points]
    rates = [finite(rate) for _, rate, _ in result.points]
    # The value axis shows every team, the LKT value and the funnel where the teams are.
    smallest = min(ns)
    spread = [limit(smallest, z) for z in (Z_998, -Z_998)]
    low = min([*rates, result.centre, *spread])
    high = max([*rates, result.centre, *spread])
    if high - low < 1e-9 * max(1.0, abs(high)):
        low, high = low - max(1.0, abs(low) * 0.1), high + max(1.0, abs(high) * 0.1)
    if chart == "p":
        low, high = max(low, 0.0), min(high, float(multiplier))
    else:
        low = max(low, 0.0)
    narrow = width < 500

    def y_label(tick: float) -> str:
        text = number(tick, None)
        return f"{text} {words.unit}" if words.unit == "%" else text

    y_ticks = ticks(low, high, 4 if narrow else 6)
    y_labels = [y_label(t) for t in y_ticks]
    left = 10 + max(text_width(t) for t in y_labels) + 6
    right = width - 14
    legend_items = _legend_items(words, number(result.centre, decimals))
    legend_rows = _legend_rows(legend_items, right - 10)
    x_title = wrap(words.x_title, right - left)
    top = 34
    bottom = height - (24 + LINE * len(x_title) + 8 + 18 * len(legend_rows) + 4)
    if bottom - top < 80:  # a tiny drawing: give the plot room, the svg grows
        height += int(80 - (bottom - top))
        bottom = top + 80
    y_min, y_max = y_ticks[0], y_ticks[-1]
    if chart == "p":
        y_min, y_max = max(y_min, 0.0), min(y_max, float(multiplier)) if y_max > 0 else y_max
    if y_max - y_min <= 0:
        y_max = y_min + 1
    kept = [(t, label) for t, label in zip(y_ticks, y_labels, strict=True) if y_min <= t <= y_max]
    y_ticks, y_labels = [t for t, _ in kept], [label for _, label in kept]

    x_max = max(ns) * 1.05 if max(ns) > 0 else 1.0
    x_count = max(2, int((right - left) / 64))

    def x_ticks_for(count: int) -> tuple[list[float], list[str]]:
        values = [t for t in ticks(0.0, x_max, count) if t <= x_max]
        return values, [number(t, 0) for t in values]

    x_ticks, x_labels = x_ticks_for(x_count)
    while x_count > 1 and _crowded(x_ticks, x_labels, x_max, right - left - 2 * INSET):
        x_count -= 1
        x_ticks, x_labels = x_ticks_for(x_count)
    # A long last label centred near the right edge would be cut: leave that tick out.
    span = right - left - 2 * INSET
    if (
        len(x_ticks) > 2
        and left + INSET + span * x_ticks[-1] / x_max + text_width(x_labels[-1]) / 2 > width - 2
    ):
        x_ticks, x_labels = x_ticks[:-1], x_labels[:-1]

    def x(n: float) -> float:
        return left + INSET + (right - left - 2 * INSET) * min(max(n / x_max, 0.0), 1.0)

    def y(v: float, clamp: bool = True) -> float:
        """Points are kept inside the padded area; the funnels run on and are clipped."""
        share = (v - y_min) / (y_max - y_min)
        low, high = (0.0, 1.0) if clamp else (-1.0, 2.0)
        share = min(max(share, low), high)
        return bottom - INSET - (bottom - top - 2 * INSET) * share

    clip = f"funnel-clip-{uid}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="funnel-plot" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="{FONT}" font-size="{SIZE}" fill="{COLOURS["text"]}" '
        f'aria-labelledby="{clip}-title">',
        f'<title id="{clip}-title">{esc(words.title)}</title>',
        f'<defs><clipPath id="{clip}"><rect x="{px(left)}" y="{px(top)}" '
        f'width="{px(right - left)}" height="{px(bottom - top)}"/></clipPath></defs>',
        text_el(left, top - 18, words.y_title, extra=' class="funnel-y-title" font-weight="600"'),
        f'<rect class="funnel-frame" x="{px(left)}" y="{px(top)}" width="{px(right - left)}" '
        f'height="{px(bottom - top)}" fill="#fff" stroke="{COLOURS["axis"]}"/>',
    ]
    out.append('<g class="funnel-y-axis">')
    for tick, label in zip(y_ticks, y_labels, strict=True):
        ty = y(tick)
        out.append(
            f'<line x1="{px(left)}" x2="{px(right)}" y1="{px(ty)}" y2="{px(ty)}" '
            f'stroke="{COLOURS["grid"]}"/><line x1="{px(left - 4)}" x2="{px(left)}" '
            f'y1="{px(ty)}" y2="{px(ty)}" stroke="{COLOURS["axis"]}"/>'
        )
        out.append(text_el(left - 6, ty, label, anchor="end", extra=' class="funnel-y-tick"'))
    out.append("</g>")
    out.append('<g class="funnel-x-axis">')
    for tick, label in zip(x_ticks, x_labels, strict=True):
        tx = x(tick)
        out.append(
            f'<line x1="{px(tx)}" x2="{px(tx)}" y1="{px(bottom)}" y2="{px(bottom + 4)}" '
            f'stroke="{COLOURS["axis"]}"/>'
        )
        out.append(text_el(tx, bottom + 13, label, anchor="middle", extra=' class="funnel-x-tick"'))
    for k, line in enumerate(x_title):
        out.append(
            text_el(
                (left + right) / 2,
                bottom + 30 + LINE * k,
                line,
                anchor="middle",
                extra=' class="funnel-x-title" font-weight="600"',
            )
        )
    out.append("</g>")

    # The funnels, from a small denominator to the right edge, clipped to the frame.
    start = max(x_max / 400, 1e-9)
    curve_ns = [start * (x_max / start) ** (i / 120) for i in range(121)]
    out.append(f'<g class="funnel-limits" clip-path="url(#{clip})" fill="none">')
    for z, dash, cls in (
        (Z_998, DOT_998, "limit-998"),
        (-Z_998, DOT_998, "limit-998"),
        (Z_95, DASH_95, "limit-95"),
        (-Z_95, DASH_95, "limit-95"),
    ):
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{px(x(n))},{px(y(limit(n, z), clamp=False))}"
            for i, n in enumerate(curve_ns)
        )
        cap = ' stroke-linecap="round" stroke-width="1.8"' if cls == "limit-998" else ""
        out.append(
            f'<path class="funnel-{cls}" d="{path}" stroke="{COLOURS["limit"]}" '
            f'stroke-dasharray="{dash}"{cap}/>'
        )
    cy = y(result.centre)
    out.append(
        f'<line class="funnel-centre" x1="{px(left)}" x2="{px(right)}" y1="{px(cy)}" '
        f'y2="{px(cy)}" stroke="{COLOURS["centre"]}" stroke-width="1.5"/>'
    )
    out.append("</g>")

    # Points, then the names of the teams outside the 99.8 % funnel, placed where they fit.
    area = Box(left + 2, top + 2, right - 2, bottom - 2)
    taken: list[Box] = []
    spots = []
    for (point, rate, where), n in zip(result.points, ns, strict=True):
        cx, cyy = x(n), y(rate)
        spots.append((point, rate, where, cx, cyy))
        taken.append(Box(cx - 6, cyy - 6, cx + 6, cyy + 6))
    taken.append(Box(left, cy - 1, right, cy + 1))  # the centre line
    for z, label in ((Z_95, words.label_95), (Z_998, words.label_998)):
        # Near the right edge: 95 % just inside its funnel, 99.8 % just outside its own, by
        # the upper funnel or, when that runs along the top (a proportion clipped at 100 %),
        # by the lower one.
        inward = 8 if z == Z_95 else -8
        lx = right - 6
        ends = [(limit(x_max, z), inward), (limit(x_max, -z), -inward)]
        for end, shift in ends:
            if end <= 0 or (chart == "p" and end >= multiplier):
                continue  # a funnel clipped at 0 or 100 % runs along another line
            ly = y(end) + shift
            box = Box(lx - text_width(label), ly - 6, lx, ly + 6)
            if box.inside(area) and not any(box.overlaps(t) for t in taken):
                taken.append(box)
                out.append(
                    text_el(
                        lx,
                        ly,
                        label,
                        anchor="end",
                        extra=f' class="funnel-curve-label" fill="{COLOURS["limit"]}"',
                    )
                )
                break
    out.append('<g class="funnel-points">')
    for point, rate, where, cx, cyy in spots:
        tip = f"{point.label}: {number(rate, decimals)} {words.unit}".strip()
        if where == "inside":
            out.append(
                f'<circle class="funnel-point inside" cx="{px(cx)}" cy="{px(cyy)}" r="4.5" '
                f'fill="{COLOURS["point"]}"><title>{esc(tip)}</title></circle>'
            )
        else:
            out.append(
                f'<path class="funnel-point {where}" d="M{px(cx)} {px(cyy - 6)}L{px(cx + 6)} '
                f'{px(cyy)}L{px(cx)} {px(cyy + 6)}L{px(cx - 6)} {px(cyy)}Z" '
                f'fill="{COLOURS["outside"]}" data-cx="{px(cx)}" data-cy="{px(cyy)}">'
                f"<title>{esc(tip)}</title></path>"
            )
    out.append("</g>")
    out.append('<g class="funnel-names">')
    max_label = min(200.0, (right - left) * 0.6)
    outside = sorted(
        (s for s in spots if s[2] != "inside"), key=lambda s: (-abs(s[4] - cy), s[0].label)
    )
    for point, _rate, where, cx, cyy in outside:
        lines = wrap(point.label, max_label, max_lines=4)
        out.extend(place_label(lines, cx, cyy, area, taken, where))
    out.append("</g>")
    out.extend(_legend(legend_rows, height - 12 - 18 * (len(legend_rows) - 1)))
    out.append("</svg>")
    return "".join(out)


def _crowded(values: list[float], labels: list[str], x_max: float, span: float) -> bool:
    if x_max <= 0 or len(values) < 2:
        return False
    gap = span * (values[1] - values[0]) / x_max
    return gap < max(text_width(label) for label in labels) + 12


def _legend_items(words: FunnelWords, centre: str) -> list[tuple[str, str]]:
    return [
        (f'<circle cx="9" cy="0" r="4.5" fill="{COLOURS["point"]}"/>', words.team),
        (f'<path d="M9 -6L15 0L9 6L3 0Z" fill="{COLOURS["outside"]}"/>', words.outside),
        (
            f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["centre"]}" stroke-width="1.5"/>',
            f"{words.centre} {centre}{' ' + words.unit if words.unit else ''}",
        ),
        (
            f'<line x1="0" x2="18" y1="0" y2="0" stroke="{COLOURS["limit"]}" '
            f'stroke-dasharray="{DASH_95}"/>',
            words.limit_95,
        ),
        (
            f'<line x1="1" x2="18" y1="0" y2="0" stroke="{COLOURS["limit"]}" '
            f'stroke-dasharray="{DOT_998}" stroke-linecap="round" stroke-width="1.8"/>',
            words.limit_998,
        ),
    ]


def _legend_rows(items: list[tuple[str, str]], room: float) -> list[list[tuple[str, str]]]:
    """The legend's items in rows that fit the drawing's width."""
    rows: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for item in items:
        need = 23 + text_width(item[1]) + 14
        if rows[-1] and used + need > room:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += need
    return rows


def _legend(rows: list[list[tuple[str, str]]], first_y: float) -> list[str]:
    out = ['<g class="funnel-legend">']
    x0 = 10.0
    for r, row in enumerate(rows):
        xx = x0
        for symbol, label in row:
            out.append(
                f'<g transform="translate({px(xx)} {px(first_y + 18 * r)})">{symbol}'
                f"{text_el(23, 0, label)}</g>"
            )
            xx += 23 + text_width(label) + 14
    out.append("</g>")
    return out
