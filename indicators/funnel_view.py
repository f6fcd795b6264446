"""The funnel plot as the results page shows it: the drawing (wide and phone-sized), the caption
with the period and the overdispersion sentence, and the table of teams, in the reader's
language."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.funnel import Z_95, FunnelPoint, FunnelResult, analyse_funnel
from indicators.funnel_svg import FunnelWords, render_funnel_svg, value_decimals
from indicators.models import Indicator


@dataclass(frozen=True)
class FunnelRow:
    """One team in the table beside the plot."""

    name: str
    n: str
    value: str
    within_95: str
    within_998: str
    outside_998: bool


@dataclass(frozen=True)
class FunnelView:
    result: FunnelResult
    period: str
    svg_wide: SafeString
    svg_narrow: SafeString
    caption: str
    dispersion: str
    rows: list[FunnelRow]
    centre: str
    total_n: str
    excluded: list[str]


def localized(value: float, decimals: int | None = None) -> str:
    """A number in the reader's language; ``None`` decimals gives three significant digits."""
    if not math.isfinite(value):
        return "–"
    if decimals is None:
        places = 0 if value == 0 else min(10, max(0, 2 - math.floor(math.log10(abs(value)))))
        text = number_format(round(value, places), places, force_grouping=True)
        separator = number_format(0.5, 1)[1]  # "," in Danish, "." in English
        if separator in text:
            text = text.rstrip("0").rstrip(separator)
        return text
    return number_format(round(value, decimals), decimals, force_grouping=True)


def period_label(months: list[dt.date]) -> str:
    """ "September–november 2026", "December 2025–februar 2026" or "November 2026"."""
    first, last = months[0], months[-1]
    if first == last:
        return capfirst(date_format(last, "F Y"))
    if first.year == last.year:
        return capfirst(f"{date_format(first, 'F')}–{date_format(last, 'F Y')}")
    return capfirst(f"{date_format(first, 'F Y')}–{date_format(last, 'F Y')}")


def funnel_view(indicator: Indicator, rows: list[FunnelPoint], window: list[dt.date]) -> FunnelView:
    """Analyse the teams' sums over ``window`` and present them (see `analyse_funnel`)."""
    multiplier = indicator.multiplier
    result = analyse_funnel(rows, chart=indicator.chart, multiplier=multiplier)
    period = period_label(window)
    decimals = value_decimals(multiplier, indicator.chart)
    unit = indicator.unit.strip()
    words = _words(indicator, len(window), period)
    svgs = [
        mark_safe(  # noqa: S308 -- the renderer escapes every text
            render_funnel_svg(
                result,
                words,
                multiplier=multiplier,
                number=localized,
                uid=f"{indicator.pk}-{size}",
                width=width,
                height=height,
            )
        )
        for size, width, height in (("wide", 760, 440), ("narrow", 360, 440))
    ]
    centre = "" if result.centre is None else _with_unit(localized(result.centre, decimals), unit)
    return FunnelView(
        result=result,
        period=period,
        svg_wide=svgs[0],
        svg_narrow=svgs[1],
        caption=_caption(result, period, centre),
        dispersion=_dispersion(result),
        rows=_rows(result, multiplier, decimals, unit),
        centre=centre,
        total_n=localized(sum(float(p.denominator) for p, _, _ in result.points), 0),
        excluded=[p.label for p in rows if not p.denominator > 0],
    )


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def _words(indicator: Indicator, months: int, period: str) -> FunnelWords:
    role = _("nævner") if indicator.chart == "p" else _("eksponering")
    span = ngettext("seneste %(n)d måned", "seneste %(n)d måneder", months) % {"n": months}
    denominator = " ".join(indicator.denominator_definition.split())[:120]
    x_title = f"{denominator} ({role}), {span}" if denominator else f"{capfirst(role)}, {span}"
    unit = indicator.unit.strip()
    if indicator.chart == "p" and unit == "%":
        y_title = _("Andel (%)")
    elif unit:
        y_title = _("%(name)s (%(unit)s)") % {"name": capfirst(_("værdi")), "unit": unit}
    else:
        y_title = capfirst(_("værdi"))
    return FunnelWords(
        title=_("Tragtdiagram: %(indicator)s, %(period)s")
        % {"indicator": indicator.name, "period": period},
        x_title=x_title,
        y_title=y_title,
        unit=unit,
        centre=_("LKT-værdi"),
        limit_95=_("Grænser for 95 %"),
        limit_998=_("Grænser for 99,8 %"),
        label_95=_("95 %"),
        label_998=_("99,8 %"),
        team=_("Team"),
        outside=_("Team uden for 99,8 %"),
        no_data=_("Ingen data i perioden"),
    )


def _caption(result: FunnelResult, period: str, centre: str) -> str:
    if result.centre is None:
        return _("%(period)s: ingen team har en nævner over 0 i perioden.") % {"period": period}
    outside = [p.label for p, _r, where in result.points if where != "inside"]
    text = _(
        "%(period)s. Hvert punkt er et team; LKT-værdien %(centre)s er alle teams' tællere delt "
        "med alle teams' nævnere. Tragtene er grænserne for 95 %% og 99,8 %% omkring "
        "LKT-værdien (Spiegelhalter)."
    ) % {"period": period, "centre": centre}
    if outside:
        text += " " + ngettext(
            "%(count)d team ligger uden for 99,8 %%-grænserne og er navngivet i diagrammet.",
            "%(count)d teams ligger uden for 99,8 %%-grænserne og er navngivet i diagrammet.",
            len(outside),
        ) % {"count": len(outside)}
    else:
        text += " " + _("Alle teams ligger inden for grænserne for 99,8 %.")
    return text


def _dispersion(result: FunnelResult) -> str:
    """Whether the limits were widened for overdispersion, with φ and τ²."""
    if result.centre is None:
        return ""
    if result.phi is None:
        return _(
            "Overspredning kan ikke vurderes, fordi LKT-værdien er 0 eller 100 %: grænserne er "
            "ikke udvidet."
        )
    values = {"phi": localized(result.phi), "tau2": localized(result.tau2)}
    if result.overdispersed:
        return (
            _(
                "Teamene varierer mere, end tilfældig variation forklarer (overspredning, "
                "φ = %(phi)s), så grænserne er udvidet med variansen mellem teams, τ² = %(tau2)s."
            )
            % values
        )
    return _("Ingen overspredning mellem teams (φ = %(phi)s): grænserne er ikke udvidet.") % values


def _rows(
    result: FunnelResult, multiplier: float, decimals: int | None, unit: str
) -> list[FunnelRow]:
    words = {"inside": _("inden for"), "above": _("over"), "below": _("under")}
    out = []
    ordered = sorted(result.points, key=lambda row: (-row[1], row[0].label))
    for point, rate, where in ordered:
        raw = rate / multiplier
        upper, lower = result.limit(point.denominator, Z_95), result.limit(point.denominator, -Z_95)
        at_95 = "above" if raw > upper else "below" if raw < lower else "inside"
        out.append(
            FunnelRow(
                name=point.label,
                n=localized(float(point.denominator), 0),
                value=_with_unit(localized(rate, decimals), unit),
                within_95=words[at_95],
                within_998=words[where],
                outside_998=where != "inside",
            )
        )
    return out
