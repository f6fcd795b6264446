"""The chart's colours and fonts, and escaping text and numbers into SVG markup."""

from __future__ import annotations

import html
import re

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
# XML 1.0 forbids these characters even when escaped; a title pasted from elsewhere may hold them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(value: str) -> str:
    """Escape text for element content or attributes, dropping characters XML forbids."""
    return html.escape(_XML_INVALID.sub("", value), quote=True)


def px(value: float) -> str:
    """A coordinate with one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
