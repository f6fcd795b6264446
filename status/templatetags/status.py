"""Badges of the status pages: traffic lights and SPC verdicts, never by colour alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indicators.templatetags.spc_icons import spc_icons
from status.traffic import LABELS, SYMBOLS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from programmes.models import StatusRating
    from status.traffic import Light

register = template.Library()

_LIGHT_CLASSES = {
    "green": "text-bg-success",
    "yellow": "text-bg-warning",
    "red": "text-bg-danger",
    "grey": "text-bg-light border",
}
_VERDICT_CLASSES = {
    "improvement": "text-bg-success",
    "deterioration": "text-bg-danger",
    "common_cause": "text-bg-secondary",
    "no_direction_signal": "text-bg-info",
    "too_few_data": "text-bg-light border",
}


class Series(Protocol):
    """What a verdict badge shows of a series (`status.selectors.series.SeriesStatus`)."""

    @property
    def verdict(self) -> str: ...
    @property
    def verdict_label(self) -> str: ...
    @property
    def verdict_text(self) -> str: ...
    @property
    def verdict_symbol(self) -> str: ...


def _light(colour: str, label: StrOrPromise) -> str:
    return format_html(
        '<span class="badge status-light status-light-{} {}">'
        '<span aria-hidden="true">{}</span> {}</span>',
        colour,
        _LIGHT_CLASSES.get(colour, "text-bg-light border"),
        SYMBOLS.get(colour, "○"),
        label,
    )


@register.simple_tag
def light_badge(light: Light) -> str:
    """The computed traffic light: shape, colour and word."""
    return _light(light.colour, light.label)


@register.simple_tag
def rating_badge(rating: StatusRating) -> str:
    """The national project lead's rating, drawn like the computed light."""
    return _light(rating.colour, rating.get_colour_display() or LABELS.get(rating.colour, ""))


@register.simple_tag
def verdict_badge(series: Series) -> str:
    """The SPC verdict of a series: a sign and a short word; the full wording as a tooltip."""
    return format_html(
        '<span class="badge status-verdict status-verdict-{} {}" title="{}">'
        '<span aria-hidden="true">{}</span> {}</span>',
        series.verdict,
        _VERDICT_CLASSES.get(series.verdict, "text-bg-light border"),
        series.verdict_text,
        series.verdict_symbol,
        series.verdict_label,
    )


@register.simple_tag
def indicator_list(series_list: list) -> str:
    """The overview's indicator cell: sparkline, verdict and name (and assurance) per series.

    Built here rather than in a template loop: the overview has some 300 of these.
    """
    items = []
    for series in series_list:
        assurance = (
            format_html(' <span class="status-assurance">· {}</span>', series.assurance_label)
            if series.assurance_label
            else ""
        )
        items.append(
            format_html(
                '<li>{} {} {} <span class="status-indicator-name">{}{}</span></li>',
                series.sparkline,
                verdict_badge(series),
                spc_icons(series.icons),
                series.indicator.name,
                assurance,
            )
        )
    return format_html(
        '<ul class="list-unstyled mb-0 status-indicators">{}</ul>',
        mark_safe("".join(items)),  # noqa: S308 -- each item escaped above
    )
