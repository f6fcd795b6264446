"""`{% load spc_icons %}{% spc_icons chart.icons %}`: the variation and assurance icons as inline
SVG. Colour is never the only signal: each kind has its own shape and a letter or mark (H for
høj, L for lav), and a <title> that names it for screen readers and as a tooltip."""

from __future__ import annotations

import itertools

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from indicators.icons import ASSURANCE_LABELS, VARIATION_LABELS, SpcIcons

register = template.Library()

_BLUE, _ORANGE, _PURPLE, _GREY = "#1f4e79", "#c04600", "#6b4c9a", "#6c757d"
_CIRCLE = '<circle cx="16" cy="16" r="14" fill="{}"/>'
_SQUARE = '<rect x="3" y="3" width="26" height="26" rx="3" fill="{}"/>'
_DIAMOND = '<path d="M16 1 31 16 16 31 1 16Z" fill="{}"/>'
_LETTER = (
    '<text x="16" y="21.5" text-anchor="middle" font-size="15" font-weight="700" '
    'font-family="sans-serif" fill="#ffffff">{}</text>'
)
_WAVE = '<path d="M7 16c3-6 6-6 9 0s6 6 9 0" fill="none" stroke="#ffffff" stroke-width="2.5"/>'
_CHECK = '<path d="M9 16.5l5 5 9-11" fill="none" stroke="#ffffff" stroke-width="3"/>'
_CROSS = '<path d="M10 10l12 12M22 10 10 22" fill="none" stroke="#ffffff" stroke-width="3"/>'

# Shape (with its colour) and mark of each kind: circles improve, squares concern, diamonds
# signal without a better direction.
_DRAWINGS: dict[str, tuple[str, str]] = {
    "common_cause": (_CIRCLE.format(_GREY), _WAVE),
    "improving_high": (_CIRCLE.format(_BLUE), _LETTER.format("H")),
    "improving_low": (_CIRCLE.format(_BLUE), _LETTER.format("L")),
    "concerning_high": (_SQUARE.format(_ORANGE), _LETTER.format("H")),
    "concerning_low": (_SQUARE.format(_ORANGE), _LETTER.format("L")),
    "neither_high": (_DIAMOND.format(_PURPLE), _LETTER.format("H")),
    "neither_low": (_DIAMOND.format(_PURPLE), _LETTER.format("L")),
    "neither": (_DIAMOND.format(_PURPLE), _LETTER.format("!")),
    "consistently_passing": (_CIRCLE.format(_BLUE), _CHECK),
    "consistently_failing": (_SQUARE.format(_ORANGE), _CROSS),
    "hit_and_miss": (_CIRCLE.format(_GREY), _LETTER.format("?")),
}
_ids = itertools.count(1)


def icon_svg(kind: str, label: str) -> SafeString:
    """One icon: its shape, its mark and its accessible name."""
    shape, mark = _DRAWINGS[kind]
    title_id = f"spc-icon-{next(_ids)}"
    return format_html(
        '<svg class="spc-icon spc-icon-{}" role="img" aria-labelledby="{}" width="28" '
        'height="28" viewBox="0 0 32 32" focusable="false"><title id="{}">{}</title>{}{}</svg>',
        kind.replace("_", "-"),
        title_id,
        title_id,
        label,
        SafeString(shape),
        SafeString(mark),
    )


@register.simple_tag
def spc_icons(icons: SpcIcons | None) -> SafeString:
    """The series' variation icon, then its assurance icon (each only when there is one)."""
    if icons is None:
        return SafeString("")
    drawn = []
    if icons.variation:
        drawn.append((icons.variation, VARIATION_LABELS[icons.variation]))
    if icons.assurance:
        drawn.append((icons.assurance, ASSURANCE_LABELS[icons.assurance]))
    if not drawn:
        return SafeString("")
    return format_html(
        '<span class="spc-icons">{}</span>',
        format_html_join("", "{}", ((icon_svg(kind, str(label)),) for kind, label in drawn)),
    )
