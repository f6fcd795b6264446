"""The driver diagram's drawing: every text is whole, inside its box, and no two texts or boxes
overlap, however long the titles are."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from indicators.chart_svg.measure import text_width
from learning.diagram_svg import BOLD, Item, render, wrap

SVG = "{http://www.w3.org/2000/svg}"
LONG_WORD = "Lungerehabiliteringsforløbskoordineringsmødeindkaldelse"


def _tree(ideas_per_driver: int) -> tuple[Item, list[str]]:
    titles: list[str] = []

    def item(title: str, children: tuple[Item, ...] = (), href: str = "") -> Item:
        titles.append(title)
        return Item(title, href=href, children=children)

    primaries = []
    for p in range(3):
        secondaries = []
        for s in range(1 + p):
            ideas = tuple(
                item(
                    f"Idé {p}.{s}.{i}: "
                    + ("Opfølgende telefonopkald inden for 48 timer " * (i % 4))
                    + (LONG_WORD if i % 3 == 0 else "kort"),
                    href=f"/ide/{p}{s}{i}/?a=1&b=<2>",
                )
                for i in range(ideas_per_driver)
            )
            secondaries.append(item(f"Sekundær {p}.{s} " + "ÆØÅ mmm WWW " * (s + 1), ideas))
        primaries.append(item(f"Primær {p} " + LONG_WORD * (p + 1), tuple(secondaries)))
    aim = Item(
        "Målsætning: " + "færre genindlæggelser " * 12,
        notes=("• Mindst 90 % får tilbud om rehabilitering", "• " + LONG_WORD),
        children=tuple(primaries),
    )
    return aim, titles


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own drawing, in a test


def _boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    return [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
        for r in root.iter(f"{SVG}rect")
    ]


def _texts(root: ET.Element) -> list[tuple[str, float, float, float, bool]]:
    out = []
    for t in root.iter(f"{SVG}text"):
        out.append(
            (t.text or "", float(t.get("x")), float(t.get("y")), float(t.get("font-size")),
             t.get("font-weight") == "bold")
        )  # fmt: skip
    return out


def _extent(text: str, x: float, y: float, size: float, bold: bool) -> tuple[float, ...]:
    """A text's box: its measured width, from DejaVu Sans' ascent (0.93 em, Å) to its descent
    (0.24 em), rounded out."""
    width = text_width(text, size) * (BOLD if bold else 1)
    return (x, y - size, x + width, y + size * 0.25)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_it_is_an_accessible_figure_with_a_title_and_a_description() -> None:
    aim, _ = _tree(2)
    root = _parse(render(aim, headings=("A", "B", "C", "D"), title="Titel", desc="Beskrivelse"))
    assert root.get("role") == "group"  # not "img": it holds the ideas' links
    assert root.find(f"{SVG}title").text == "Titel"
    assert root.find(f"{SVG}desc").text == "Beskrivelse"
    assert root.get("aria-labelledby") == "dd-title dd-desc"


def test_no_text_overlaps_another_or_leaves_its_box() -> None:
    aim, _ = _tree(5)
    root = _parse(
        render(aim, headings=("Mål", "Primære", "Sekundære", "Idéer"), title="t", desc="d")
    )
    boxes = _boxes(root)
    texts = _texts(root)
    extents = [_extent(*t) for t in texts]
    for i, a in enumerate(extents):
        for b in extents[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    headings = [t for t in texts if t[2] < min(b[1] for b in boxes)]
    assert len(headings) == 4
    for text, extent in zip(texts, extents, strict=True):
        if text in headings:
            continue
        inside = [
            b for b in boxes
            if b[0] <= extent[0] and extent[2] <= b[0] + b[2]
            and b[1] <= extent[1] and extent[3] <= b[1] + b[3]
        ]  # fmt: skip
        assert len(inside) == 1, text


def test_no_box_overlaps_another() -> None:
    aim, _ = _tree(6)
    boxes = _boxes(_parse(render(aim, headings=("A", "B", "C", "D"), title="t", desc="d")))
    corners = [(x, y, x + w, y + h) for x, y, w, h in boxes]
    for i, a in enumerate(corners):
        for b in corners[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    assert len(boxes) == 1 + 3 + 6 + 6 * 6


def test_every_title_is_drawn_whole() -> None:
    aim, titles = _tree(4)
    drawn = "".join(
        t[0] for t in _texts(_parse(render(aim, headings=("", "", "", ""), title="t", desc="d")))
    )
    squeezed = drawn.replace(" ", "")
    for title in titles:
        assert title.replace(" ", "") in squeezed, title


def test_it_escapes_markup_and_drops_characters_xml_forbids() -> None:
    aim = Item("<script>alert(1)</script> & \x00\x0b", children=(Item("a\"b'c", href="/x?<y>"),))
    svg = render(aim, headings=("<h>", "", "", ""), title="<t>", desc="&")
    root = _parse(svg)  # well-formed XML
    assert "<script>" not in svg
    assert any("<script>" in (t.text or "") for t in root.iter(f"{SVG}text"))


def test_a_larger_diagram_grows_in_height_not_in_width() -> None:
    small = _parse(render(_tree(1)[0], headings=("", "", "", ""), title="t", desc="d"))
    large = _parse(render(_tree(8)[0], headings=("", "", "", ""), title="t", desc="d"))
    assert small.get("width") == large.get("width")
    assert float(large.get("height")) > float(small.get("height"))


@given(st.text(min_size=0, max_size=300), st.sampled_from([80.0, 150.0, 240.0]))
def test_wrapping_keeps_every_character_and_each_line_fits(text: str, room: float) -> None:
    lines = wrap(text, 13, room)
    assert "".join(lines).replace(" ", "") == "".join(text.split())
    for line in lines:
        assert len(line) == 1 or text_width(line, 13) <= room
