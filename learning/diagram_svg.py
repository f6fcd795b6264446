"""The driver diagram drawn as SVG, in pure Python: aim → primary drivers → secondary drivers →
change ideas, in four columns. Every text is wrapped to its box (measured with DejaVu Sans'
widths, the widest of the fonts listed), so nothing is cut and no two texts overlap; a box grows
with its text, a block with its children."""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.chart_svg.markup import FONT_FAMILY, escape, px
from indicators.chart_svg.measure import text_width

WIDTH = 1200
MARGIN = 8
HEADER = 30  # room for the column headings
PAD = 8  # inside a box, around its text
GAP = 10  # between sibling boxes
GROUP_GAP = 20  # between the blocks of two primary drivers
SIZE = 13
SMALL = 11.5
LINE = 1.3  # line height, of the font size
BOLD = 1.12  # bold text is drawn this much wider than regular
# Each column: left edge and width; the gaps between them carry the connectors.
COLUMNS = ((MARGIN, 250), (300, 262), (604, 262), (908, WIDTH - MARGIN - 908))
FILLS = ("#1f4e79", "#dce8f4", "#eef4fa", "#ffffff")
STROKES = ("#1f4e79", "#1f4e79", "#5b7fa3", "#5b7fa3")
TEXT = ("#ffffff", "#1a1a1a", "#1a1a1a", "#1a1a1a")


@dataclass(frozen=True)
class Item:
    """One box of the diagram: its title, an optional link and the items to its right."""

    title: str
    href: str = ""
    children: tuple[Item, ...] = ()
    notes: tuple[str, ...] = ()  # smaller lines under the title (the aim's goals)


@dataclass(frozen=True)
class TextLine:
    text: str
    x: float
    y: float  # baseline
    size: float
    bold: bool = False

    @property
    def width(self) -> float:
        return text_width(self.text, self.size) * (BOLD if self.bold else 1)

    @property
    def top(self) -> float:
        return self.y - self.size * 0.95  # DejaVu's ascent with accents (Å)

    @property
    def bottom(self) -> float:
        return self.y + self.size * 0.25  # its descent


@dataclass
class Box:
    level: int
    x: float
    y: float
    w: float
    h: float
    href: str = ""
    lines: list[TextLine] = field(default_factory=list)

    @property
    def mid(self) -> float:
        return self.y + self.h / 2


@dataclass
class Layout:
    height: float
    boxes: list[Box]
    links: list[tuple[Box, Box]]  # parent → child


def wrap(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """`text` broken at spaces into lines no wider than `room`; a word wider than a line is
    broken inside (never cut off)."""
    factor = BOLD if bold else 1.0

    def fits(candidate: str) -> bool:
        return text_width(candidate, size) * factor <= room

    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and fits(candidate):
            lines[-1] = candidate
            continue
        while not fits(word) and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut]):
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def _box(level: int, item: Item) -> Box:
    x, w = COLUMNS[level]
    room = w - 2 * PAD
    bold = level < 2
    lines: list[TextLine] = []
    y: float = PAD
    for text in wrap(item.title, SIZE, room, bold):
        y += SIZE * LINE
        lines.append(TextLine(text, x + PAD, y - SIZE * 0.3, SIZE, bold))
    for note in item.notes:
        y += SMALL * 0.4
        for text in wrap(note, SMALL, room):
            y += SMALL * LINE
            lines.append(TextLine(text, x + PAD, y - SMALL * 0.3, SMALL))
    return Box(level, x, 0, w, y + PAD, item.href, lines)


def _shift(box: Box, dy: float) -> None:
    box.y += dy
    box.lines = [TextLine(t.text, t.x, t.y + dy, t.size, t.bold) for t in box.lines]


def _place(item: Item, level: int, top: float, out: Layout) -> tuple[float, Box]:
    """Place `item` and its children from `top` down; the height of its block and its box."""
    box = _box(level, item)
    children: list[tuple[float, Box]] = []
    gap = GROUP_GAP if level == 0 else GAP
    first = len(out.boxes)
    cursor = top
    for child in item.children:
        height, child_box = _place(child, level + 1, cursor, out)
        children.append((height, child_box))
        cursor += height + gap
    children_height = cursor - top - gap if children else 0.0
    block = max(box.h, children_height)
    if children_height < block:  # centre the children beside a taller box
        offset = (block - children_height) / 2
        for other in out.boxes[first:]:
            _shift(other, offset)
    _shift(box, top + (block - box.h) / 2)
    out.boxes.append(box)
    out.links.extend((box, child_box) for _, child_box in children)
    return block, box


def layout(aim: Item) -> Layout:
    """Where every box and line of text goes."""
    out = Layout(0, [], [])
    height, _ = _place(aim, 0, HEADER + MARGIN, out)
    out.height = HEADER + MARGIN + height + MARGIN
    return out


def render(aim: Item, *, headings: tuple[str, str, str, str], title: str, desc: str) -> str:
    """The diagram as an accessible SVG element: a labelled group (its boxes hold links, so
    not an image), with a title and a description."""
    plan = layout(aim)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="driver-diagram" role="group" '
        f'viewBox="0 0 {WIDTH} {px(plan.height)}" width="{WIDTH}" height="{px(plan.height)}" '
        f'aria-labelledby="dd-title dd-desc" font-family="{escape(FONT_FAMILY)}">',
        f'<title id="dd-title">{escape(title)}</title>',
        f'<desc id="dd-desc">{escape(desc)}</desc>',
    ]
    for (x, w), heading in zip(COLUMNS, headings, strict=True):
        for i, text in enumerate(wrap(heading, SIZE, w, bold=True)[:1]):
            parts.append(
                f'<text x="{px(x)}" y="{px(MARGIN + SIZE + i * SIZE * LINE)}" font-size="{SIZE}" '
                f'font-weight="bold" fill="#333333">{escape(text)}</text>'
            )
    for parent, child in plan.links:
        x1, x2 = parent.x + parent.w, child.x
        xm = (x1 + x2) / 2
        parts.append(
            f'<path d="M{px(x1)} {px(parent.mid)}H{px(xm)}V{px(child.mid)}H{px(x2)}" '
            f'fill="none" stroke="#8aa4bf" stroke-width="1.5"/>'
        )
    for box in sorted(plan.boxes, key=lambda b: (b.level, b.y)):
        level = box.level
        group = [
            f'<rect x="{px(box.x)}" y="{px(box.y)}" width="{px(box.w)}" height="{px(box.h)}" '
            f'rx="6" fill="{FILLS[level]}" stroke="{STROKES[level]}"/>'
        ]
        for line in box.lines:
            weight = ' font-weight="bold"' if line.bold else ""
            group.append(
                f'<text x="{px(line.x)}" y="{px(line.y)}" font-size="{line.size}"{weight} '
                f'fill="{TEXT[level]}">{escape(line.text)}</text>'
            )
        if box.href:
            parts.append(f'<a href="{escape(box.href)}" class="dd-link">{"".join(group)}</a>')
        else:
            parts.append("".join(group))
    parts.append("</svg>")
    return "".join(parts)
