"""Laying out the funnel plot's text: measured widths, wrapped names, round ticks, and names
placed beside their points without overlapping. Pure Python."""

from __future__ import annotations

import math
from dataclasses import dataclass

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
SIZE = 11  # px of every text in the plot
LINE = 14  # px between lines of wrapped text
LEADER = "#c04600"  # the line from a point to its name, in the outside points' colour


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0 or other.y1 <= self.y0
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.x1 <= other.x1
            and self.y0 >= other.y0
            and self.y1 <= other.y1
        )

    def overlap_area(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(w, 0) * max(h, 0)


def text_width(text: str, size: float = SIZE) -> float:
    """A generous estimate of the rendered width of ``text`` in a sans-serif font."""
    em = 0.0
    for ch in text:
        if ch in "ilI.,:;'|!j ()[]":
            em += 0.32
        elif ch in "mwMWÆæ":
            em += 0.9
        elif ch.isupper() or ch in "%&@":
            em += 0.72
        else:
            em += 0.58
    return em * size


def wrap(text: str, width: float, *, max_lines: int = 4) -> list[str]:
    """Words into lines of at most ``width`` px; a word longer than a line is split."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while text_width(word) > width:
            cut = max(1, int(len(word) * width / text_width(word)) - 1)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        trial = f"{current} {word}".strip()
        if text_width(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
        while text_width(lines[-1] + "…") > width and len(lines[-1]) > 1:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines or [""]


def nice_step(span: float, count: int) -> float:
    """1, 2 or 5 × 10^k, so that about ``count`` steps cover ``span``."""
    raw = span / max(count, 1)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


def ticks(low: float, high: float, count: int) -> list[float]:
    """Evenly spaced round values from at or below ``low`` to at or above ``high``."""
    step = nice_step(high - low, count)
    first = math.floor(low / step + 1e-9) * step
    out: list[float] = []
    value = first
    while value < high + step * (1 - 1e-9) and len(out) < 50:
        out.append(round(value, 12))
        if value >= high - 1e-9 * step:
            break
        value += step
    return out


def esc(value: str) -> str:
    out = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    out = out.replace("\ufffe", "").replace("\uffff", "")
    return (
        out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def px(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_el(x: float, y: float, text: str, *, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{px(x)}" y="{px(y)}" text-anchor="{anchor}" dominant-baseline="middle"{extra}>'
        f"{esc(text)}</text>"
    )


def place_label(
    lines: list[str], cx: float, cy: float, area: Box, taken: list[Box], where: str
) -> list[str]:
    """The name beside its point: right, left, above or below, else slid up or down with a
    leader line; never outside the plotting area and, where room allows, never on another
    label or point."""
    w = max(text_width(line) for line in lines) + 4
    h = LINE * len(lines)
    away = -1 if where == "above" else 1  # slide away from the centre line first
    candidates: list[tuple[float, float]] = [
        (cx + 10, cy - h / 2),
        (cx - 10 - w, cy - h / 2),
        (cx - w / 2, cy - 10 - h) if where == "above" else (cx - w / 2, cy + 10),
        (cx - w / 2, cy + 10) if where == "above" else (cx - w / 2, cy - 10 - h),
        (cx + 8, cy - 8 - h),
        (cx + 8, cy + 8),
        (cx - 8 - w, cy - 8 - h),
        (cx - 8 - w, cy + 8),
    ]
    for step in range(1, 30):
        for sign in (away, -away):
            for dx in (cx + 14, cx - 14 - w):
                candidates.append((dx, cy - h / 2 + sign * step * 8))
    best: tuple[float, Box] | None = None
    for bx, by in candidates:
        bx = min(max(bx, area.x0), area.x1 - w)
        by = min(max(by, area.y0), area.y1 - h)
        box = Box(bx, by, bx + w, by + h)
        if not box.inside(area):
            continue
        clash = sum(box.overlap_area(t) for t in taken)
        if clash == 0:
            best = (0, box)
            break
        if best is None or clash < best[0]:
            best = (clash, box)
    if best is None:  # a plot too small for the name; the table still has it
        return []
    box = best[1]
    taken.append(box)
    anchor_x = box.x0 + 2
    out = []
    mid_y = (box.y0 + box.y1) / 2
    if not (box.y0 - 2 <= cy <= box.y1 + 2) or abs((box.x0 + box.x1) / 2 - cx) > w / 2 + 16:
        near_x = min(max(cx, box.x0), box.x1)
        near_y = min(max(cy, box.y0), box.y1)
        out.append(
            f'<line class="funnel-leader" x1="{px(cx)}" y1="{px(cy)}" x2="{px(near_x)}" '
            f'y2="{px(near_y if near_y != cy else mid_y)}" stroke="{LEADER}" '
            'stroke-width="0.8"/>'
        )
    for k, line in enumerate(lines):
        out.append(
            text_el(
                anchor_x,
                box.y0 + LINE / 2 + LINE * k,
                line,
                extra=' class="funnel-name" paint-order="stroke" stroke="#fff" '
                'stroke-width="3" stroke-linejoin="round"',
            )
        )
    return out
