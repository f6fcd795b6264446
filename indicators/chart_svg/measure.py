"""How wide a text is drawn, so that labels are placed where they fit instead of being cut.

Widths are DejaVu Sans' advance widths (per 1000 units of the font size): the widest of the
sans-serif fonts the chart's font list falls back to, so a label measured here fits in the
narrower ones too.
"""

from __future__ import annotations

_WIDTHS = {
    " ": 318, "!": 401, "%": 950, "(": 390, ")": 390, "+": 838, ",": 318, "-": 361, ".": 318,
    "/": 337, ":": 337, "'": 275, "A": 684, "B": 686, "C": 698, "D": 770, "E": 632, "F": 575,
    "G": 775, "H": 752, "I": 295, "J": 295, "K": 656, "L": 557, "M": 863, "N": 748, "O": 787,
    "P": 603, "Q": 787, "R": 695, "S": 635, "T": 611, "U": 732, "V": 684, "W": 989, "X": 685,
    "Y": 611, "Z": 685, "a": 613, "b": 635, "c": 550, "d": 635, "e": 615, "f": 352, "g": 635,
    "h": 634, "i": 278, "j": 278, "k": 579, "l": 278, "m": 974, "n": 634, "o": 612, "p": 635,
    "q": 635, "r": 411, "s": 521, "t": 392, "u": 634, "v": 592, "w": 818, "x": 592, "y": 592,
    "z": 525, "æ": 995, "ø": 612, "å": 613, "Æ": 974, "Ø": 787, "Å": 684, "…": 1000,
    "–": 500, "—": 1000, "′": 300, "·": 318, "×": 838, "é": 615,
}  # fmt: skip
_DIGIT = 636
_OTHER = 700  # anything else: a little wider than most letters


def text_width(text: str, size: float) -> float:
    """The drawn width of `text` at font size `size`, in the same units."""
    units = sum(_DIGIT if ch.isdigit() else _WIDTHS.get(ch, _OTHER) for ch in text)
    return units * size / 1000


def fit(text: str, size: float, room: float) -> str:
    """`text`, shortened with "…" when it is wider than `room` (the full text goes in a title)."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def wrap(text: str, size: float, room: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `room` (a single long word is cut)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size) <= room:
            lines[-1] = candidate
        else:
            lines.append(fit(word, size, room))
    return lines or [""]
