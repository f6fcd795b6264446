"""A funnel plot comparing teams over the latest months (pure Python, SVG as text)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from indicators.spc_text import format_number_da


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    numerator: float
    denominator: float


@dataclass(frozen=True)
class FunnelResult:
    centre: float | None
    points: list[tuple[FunnelPoint, float, str]]  # point, plotted rate, "above"/"below"/"inside"


def analyse_funnel(points: list[FunnelPoint], *, chart: str, multiplier: float) -> FunnelResult:
    """Each team's rate against 3-sigma limits for its own denominator (p or u)."""
    useful = [p for p in points if p.denominator > 0]
    total_n = sum(p.denominator for p in useful)
    if not useful or total_n <= 0:
        return FunnelResult(None, [])
    centre = sum(p.numerator for p in useful) / total_n
    rows = []
    for p in useful:
        rate = p.numerator / p.denominator
        sd = _sd(centre, p.denominator, chart)
        low, high = centre - 3 * sd, centre + 3 * sd
        where = "above" if rate > high else "below" if rate < low else "inside"
        rows.append((p, rate * multiplier, where))
    return FunnelResult(centre * multiplier, rows)


def _sd(centre: float, n: float, chart: str) -> float:
    if chart == "p":
        return math.sqrt(max(centre * (1 - centre), 0.0) / n)
    return math.sqrt(max(centre, 0.0) / n)


def render_funnel_svg(
    result: FunnelResult,
    *,
    title: str,
    chart: str,
    multiplier: float,
    unit: str = "",
    width: int = 720,
    height: int = 300,
) -> str:
    """An accessible SVG: teams as points, the centre line and the 2- and 3-sigma funnels."""
    left, right, top, bottom = 60, 20, 20, 40
    if result.centre is None:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="60" '
            f'viewBox="0 0 {width} 60"><title>{escape(title)}</title>'
            '<text x="10" y="35" fill="#555">Ingen data i perioden</text></svg>'
        )
    centre = result.centre / multiplier
    max_n = max(p.denominator for p, _, _ in result.points) * 1.05
    rates = [r for _, r, _ in result.points]
    lo_n = max(min(p.denominator for p, _, _ in result.points) * 0.5, 1e-9)
    curve_ns = [lo_n + (max_n - lo_n) * i / 60 for i in range(61)]

    def limit(n: float, z: float) -> float:
        value = (centre + z * _sd(centre, n, chart)) * multiplier
        return min(max(value, 0.0), multiplier) if chart == "p" else max(value, 0.0)

    ys = rates + [limit(curve_ns[0], 3), limit(curve_ns[0], -3), result.centre]
    y_low, y_high = min(ys), max(ys)
    if y_high - y_low < 1e-12:
        y_high = y_low + 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(n: float) -> float:
        return left + plot_w * n / max_n

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - y_low) / (y_high - y_low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="funnel" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-labelledby="funnel-title">',
        f'<title id="funnel-title">{escape(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        'stroke="#ccc"/>',
    ]
    for z, dash in ((3, "6 3"), (-3, "6 3"), (2, "2 3"), (-2, "2 3")):
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x(n):.1f},{y(limit(n, z)):.1f}"
            for i, n in enumerate(curve_ns)
        )
        parts.append(f'<path d="{path}" fill="none" stroke="#888" stroke-dasharray="{dash}"/>')
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y(result.centre):.1f}" '
        f'y2="{y(result.centre):.1f}" stroke="#2a6" stroke-width="1.5"/>'
    )
    for point, rate, where in result.points:
        colour = {"inside": "#1f5fa8", "above": "#d9480f", "below": "#d9480f"}[where]
        parts.append(
            f'<circle class="funnel-point {where}" cx="{x(point.denominator):.1f}" '
            f'cy="{y(rate):.1f}" r="5" fill="{colour}"><title>{escape(point.label)}: '
            f"{escape(format_number_da(rate))} {escape(unit)}</title></circle>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 8}" font-size="12" fill="#333">'
        f"Antal i nævneren (størrelse) →</text>"
    )
    parts.append(
        f'<text x="{left - 6}" y="{y(y_high):.1f}" font-size="11" text-anchor="end" '
        f'fill="#333">{escape(format_number_da(y_high))}</text>'
        f'<text x="{left - 6}" y="{y(y_low):.1f}" font-size="11" text-anchor="end" '
        f'fill="#333">{escape(format_number_da(y_low))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
