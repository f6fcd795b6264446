"""The SVG chart: well-formed, accessible, escaped, and faithful to the analysis it draws."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.chart_svg.render import render_svg
from indicators.spc import analyse, analyse_parts
from tests.test_spc_properties import series

SVG = "{http://www.w3.org/2000/svg}"
# 30 points whose last nine form a run above the median of 5 (see test_spc_unit).
LONG_RUN_SERIES = [1, 1, 9] * 6 + [1, 1, 1] + [9] * 9
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _parse(svg: str) -> ET.Element:
    """Parse the SVG, failing the test on malformed XML."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def _with_class(root: ET.Element, name: str) -> list[ET.Element]:
    """Elements whose class attribute contains the given class."""
    return [el for el in root.iter() if name in el.get("class", "").split()]


def test_it_renders_a_standalone_accessible_svg() -> None:
    analysis = analyse(LONG_RUN_SERIES, chart="run", direction="up")
    root = _parse(render_svg(analysis, title="Andel screenet", unit="%"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Andel screenet"
    assert desc is not None and desc.text is not None
    assert "Seriediagram: 30 målinger" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_it_uses_no_inline_styles_or_scripts() -> None:
    analysis = analyse([3, 5, 4, 6, 5, 7, 4, 12], chart="i", target=5, direction="up")
    svg = render_svg(analysis, title="CSP", annotations=[(2, "PDSA 1")])

    assert "style" not in svg
    assert "<script" not in svg
    assert "href" not in svg


def test_it_draws_one_marker_per_point_and_leaves_gaps() -> None:
    values: list[float | None] = [4.0, 5.0, None, 6.0, 5.0, None, 4.0]
    root = _parse(render_svg(analyse(values), title="Huller"))

    assert len(_with_class(root, "spc-point")) == 5
    (line,) = _with_class(root, "spc-line")
    # Three stretches of joined points, each starting with a move.
    assert line.get("d", "").count("M") == 3


def test_it_marks_the_signal_points() -> None:
    analysis = analyse(LONG_RUN_SERIES, chart="run")
    root = _parse(render_svg(analysis, title="Serie"))

    signal = _with_class(root, "signal")
    assert len(signal) == sum(analysis.in_long_run) == 9
    assert all("long-run" in el.get("class", "") for el in signal)
    # Not colour alone: signal points use a different element (shape) than ordinary points.
    assert {el.tag for el in signal}.isdisjoint(
        {el.tag for el in _with_class(root, "spc-point") if "signal" not in el.get("class", "")}
    )


def test_it_marks_points_outside_the_limits() -> None:
    analysis = analyse([2, 12] * 5 + [2, 40], chart="c")
    root = _parse(render_svg(analysis, title="C"))

    outside = _with_class(root, "outside-limits")
    assert len(outside) == analysis.sigma_signal == 1
    assert "signal" in outside[0].get("class", "").split()
    assert len(_with_class(root, "spc-limit")) == 2


def test_it_draws_no_signal_class_without_a_signal() -> None:
    root = _parse(render_svg(analyse([1, 2] * 6), title="Rolig"))

    assert _with_class(root, "signal") == []


def test_it_draws_the_target_when_given() -> None:
    analysis = analyse([8, 12] * 6, chart="c", direction="up")
    with_target = _parse(render_svg(analysis, title="Mål", target=15))
    without = _parse(render_svg(analysis, title="Mål"))

    assert len(_with_class(with_target, "spc-target")) == 1
    (label,) = _with_class(with_target, "spc-label-target")
    assert label.text == "Mål 15"
    assert _with_class(without, "spc-target") == []


def test_it_takes_the_target_from_the_analysis() -> None:
    analysis = analyse([8, 12] * 6, chart="c", direction="up", target=25)
    root = _parse(render_svg(analysis, title="Mål"))

    assert len(_with_class(root, "spc-target")) == 1


def test_it_labels_the_centre_line_by_chart_kind() -> None:
    run = _parse(render_svg(analyse([60, 65] * 12), title="R", unit="%", decimals=1))
    control = _parse(render_svg(analyse([8, 12] * 6, chart="c"), title="C"))

    assert _with_class(run, "spc-label-cl")[0].text == "Median 62,5 %"
    assert _with_class(control, "spc-label-cl")[0].text == "Middelværdi 10"


def test_it_escapes_every_text() -> None:
    nasty = 'Tryk <&> "citat" \x01'
    analysis = analyse([1, 2, 3])
    svg = render_svg(
        analysis,
        title=nasty,
        unit="<enhed>",
        x_labels=["<a>", "b&", '"c"'],
        annotations=[(1, "</svg><script>")],
    )
    root = _parse(svg)

    title = root.find(f"{SVG}title")
    assert title is not None and title.text == 'Tryk <&> "citat" '
    assert "<script>" not in svg
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert "<a>" in texts and "b&" in texts


def test_it_renders_an_empty_series_as_no_data() -> None:
    for analysis in (analyse([]), analyse([None, None], chart="c")):
        root = _parse(render_svg(analysis, title="Tom"))

        (message,) = _with_class(root, "spc-empty")
        assert message.text == "Ingen data"
        assert _with_class(root, "spc-point") == []


def test_it_draws_each_part_with_its_own_centre_line() -> None:
    parts = analyse_parts([1, 2, 1, 2, 1, 2, 10, 11, 10, 11, 10, 11], breaks=[6])
    root = _parse(render_svg(None, parts=parts, title="Før og efter"))

    centre_lines = _with_class(root, "spc-cl")
    assert len(centre_lines) == 2
    assert centre_lines[0].get("y1") != centre_lines[1].get("y1")
    assert len(_with_class(root, "spc-part-break")) == 1
    assert len(_with_class(root, "spc-point")) == 12
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "Del 2 fra punkt 7" in (desc.text or "")


def test_it_steps_limits_that_vary() -> None:
    analysis = analyse([2, 4, 3], [100, 200, 400], chart="u")
    root = _parse(render_svg(analysis, title="U"))

    upper = next(
        el for el in _with_class(root, "spc-limit") if "spc-limit-upper" in el.get("class", "")
    )
    assert upper.get("d", "").count("V") == 2  # three levels, two steps
    assert upper.get("stroke-dasharray")


def test_it_draws_annotations_and_x_labels() -> None:
    labels = [f"{m} 2024" for m in MONTHS]
    analysis = analyse(list(range(12)))
    root = _parse(render_svg(analysis, title="A", x_labels=labels, annotations=[(3, "PDSA 1")]))

    (note,) = _with_class(root, "spc-annotation")
    assert "PDSA 1" in "".join(note.itertext())
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert "dec 2024" in texts  # the latest month is always labelled


def test_it_uses_decimal_commas_on_the_y_axis() -> None:
    analysis = analyse([0.12, 0.18, 0.15, 0.2, 0.11])
    root = _parse(render_svg(analysis, title="Y"))

    ticks = [el.text or "" for el in root.iter(f"{SVG}text") if el.get("text-anchor") == "end"]
    assert ticks and all("." not in t for t in ticks)
    assert any("," in t for t in ticks)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x_labels": ["a"]}, "x_labels"),
        ({"annotations": [(5, "x")]}, "Annotation"),
        ({"width": 10}, "at least"),
    ],
)
def test_it_rejects_inconsistent_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_svg(analyse([1, 2, 3]), title="X", **kwargs)  # type: ignore[arg-type]


def test_it_renders_extreme_values() -> None:
    for values in ([1e300, -1e300, 0.0, 5.0], [7.0] * 5, [1e-300, 2e-300, 3e-300]):
        _parse(render_svg(analyse(values, chart="i"), title="Ekstrem"))


@settings(max_examples=100, deadline=None)
@given(series(), st.booleans())
def test_it_renders_any_series(case: tuple, labelled: bool) -> None:
    kind, values, dens = case
    analysis = analyse(values, dens, chart=kind, direction="up", target=1)
    x_labels = [f"uge {k + 1}" for k in range(len(values))] if labelled else None
    root = _parse(render_svg(analysis, title="Alt", x_labels=x_labels))

    assert len(_with_class(root, "spc-point")) == analysis.n_points
    assert len(_with_class(root, "signal")) == sum(
        a or b for a, b in zip(analysis.in_long_run, analysis.outside_limits, strict=True)
    )
