"""Notes on the chart (PDSA cycles, a new phase, a baseline): a vertical marker per note and a
short label above the plot, stacked in rows so that no two labels overlap. A note may carry a
detail (a PDSA cycle's prediction and decision): shown on hover and read by screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import COLOURS, escape, px
from indicators.chart_svg.measure import fit, text_width

ROW_HEIGHT = 15  # px between rows of labels (11 px text with its white halo)
MAX_ROWS = 4
MAX_LABEL = 150.0  # px: a longer label is shortened (the full text is its tooltip)
GAP = 6.0  # px between neighbouring labels in a row


@dataclass(frozen=True)
class PlacedNote:
    """One note's label: its text as drawn, its centre, row (0 = nearest the plot) and width."""

    x: float
    centre: float
    row: int
    text: str
    full: str
    width: float
    detail: str = ""


def place_notes(
    xs: Sequence[tuple[float, str] | tuple[float, str, str]],
    *,
    size: float,
    left: float,
    right: float,
) -> list[PlacedNote]:
    """Labels at their markers' x, each in the first row where it overlaps nothing; each
    (x, label) or (x, label, detail).

    ``left``/``right`` bound the labels (the drawing's edges). When every row is taken the
    label is shortened to the room left in the emptiest row.
    """
    ends: list[float] = []  # right end of the last label per row
    placed = []
    for x, label, *rest in sorted(xs):
        detail = str(rest[0]) if rest else ""
        text = fit(label, size, min(MAX_LABEL, right - left))
        width = text_width(text, size)
        centre = min(max(x, left + width / 2), right - width / 2)
        row = next((r for r, end in enumerate(ends) if centre - width / 2 >= end + GAP), None)
        if row is None and len(ends) < MAX_ROWS:
            ends.append(-float("inf"))
            row = len(ends) - 1
        if row is None:
            row = min(range(len(ends)), key=lambda r: ends[r])
            start = max(ends[row] + GAP, left)
            room = max(0.0, right - start)
            text = fit(label, size, min(room, MAX_LABEL))
            width = text_width(text, size)
            centre = start + width / 2
        ends[row] = centre + width / 2
        placed.append(PlacedNote(x, centre, row, text, label, width, detail))
    return placed


def notes_text(
    notes: Sequence[tuple[int, str, str]], x_labels: Sequence[str] | None, template: str
) -> str:
    """The notes that carry a detail, for the screen-reader description ("" when none):
    `template` has a %(notes)s placeholder, e.g. "Markeringer: %(notes)s."."""
    described = [
        f"{x_labels[i] if x_labels else i + 1}: {label} ({detail})"
        for i, label, detail in sorted(notes)
        if detail
    ]
    return template % {"notes": "; ".join(described)} if described else ""


def rows_needed(notes: list[PlacedNote]) -> int:
    return 1 + max((n.row for n in notes), default=-1)


def annotation_markers(frame: Frame, notes: list[PlacedNote], *, size: float) -> list[str]:
    """Vertical markers with their labels; the full text and the detail as a tooltip."""
    out = []
    for note in notes:
        text_y = frame.top - 5 - note.row * ROW_HEIGHT
        tip = f"{note.full}\n{note.detail}" if note.detail else note.full
        out.append(
            f'<g class="spc-annotation"><title>{escape(tip)}</title>'
            f'<line x1="{px(note.x)}" x2="{px(note.x)}" y1="{px(text_y + 3)}" '
            f'y2="{px(frame.bottom)}" stroke="{COLOURS["annotation"]}" stroke-dasharray="3 2"/>'
            f'<text x="{px(note.centre)}" y="{px(text_y)}" text-anchor="middle" '
            f'font-size="{px(size)}" fill="{COLOURS["annotation"]}" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke">{escape(note.text)}</text></g>'
        )
    return out
