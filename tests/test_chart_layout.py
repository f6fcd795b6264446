"""Charts that read everywhere: a scalable drawing, labels that fit, notes that do not overlap,
small multiples on one scale, words in the reader's language and the control-chart introduction.

Widths here come from the layout's font table (`measure.text_width`, DejaVu Sans, the widest
fallback); the e2e journey checks the same in Chromium with the browser's own text boxes."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from core.months import add_months
from indicators.chart_svg.measure import text_width
from indicators.chart_svg.render import render_svg
from indicators.models import ChartChange, Indicator
from indicators.programme_results import programme_results
from indicators.spc import analyse, analyse_parts
from tests.factories import IndicatorFactory, MeasurementFactory

SVG = "{http://www.w3.org/2000/svg}"
DANISH_WORDS = [
    "Mål ", "Måling", "Ny fase", "Tilfældig variation", "Seriediagram", "Middelværdi",
    "ØKG", "NKG", "Kontrolgrænser", "For lang serie", "målinger", "Vurdering", "okt ", "maj ",
    "fra punkt", "intet signal", "forrige fase", "Målet nås",
]  # fmt: skip


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def view_box(root: ET.Element) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width, height


def line_label_texts(root: ET.Element) -> list[tuple[float, str]]:
    """(x, text) of every line of the CL, limit and target labels."""
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "spc-line-labels")
    out = []
    for text in group.iter(f"{SVG}text"):
        spans = list(text.iter(f"{SVG}tspan"))
        for el in spans or [text]:
            out.append((float(el.get("x", "0")), el.text or ""))
    return out


def test_it_scales_with_a_viewbox_and_has_no_fixed_size() -> None:
    root = parse(render_svg(analyse([3, 4, 5, 4, 3] * 3), title="T", width=720, height=320))

    assert root.get("viewBox") == "0 0 720 320"
    assert root.get("width") is None and root.get("height") is None
    assert "style" not in root.attrib


@pytest.mark.parametrize("value", [44, 314, 123456])
def test_a_long_line_label_fits_inside_the_drawing(value: int) -> None:
    analysis = analyse([value, value + 1] * 8, chart="c")
    root = parse(
        render_svg(analysis, title="T", unit="indlæggelser", target=value * 0.9, width=340)
    )
    width, _ = view_box(root)
    texts = line_label_texts(root)

    joined = " ".join(text for _, text in texts)
    assert "indlæggelser" in joined  # never cut to "indlægge"
    for x, text in texts:
        assert x + text_width(text, 12) <= width, text


def test_the_legend_fits_or_wraps_inside_a_small_drawing() -> None:
    values = [5] * 9 + [20] + [1, 2] * 5
    analysis = analyse(values, chart="c")  # a long run and a point outside the limits
    root = parse(render_svg(analysis, title="T", target=4, annotations=[(2, "PDSA")], width=340))
    width, height = view_box(root)
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "spc-legend")
    left, top = (float(v) for v in re.findall(r"[\d.]+", legend.get("transform", "")))
    names = [t.text or "" for t in legend.iter(f"{SVG}text")]
    rows = {}
    for item in legend:
        x, y = (float(v) for v in re.findall(r"[\d.]+", item.get("transform", "")))
        name = next(item.iter(f"{SVG}text")).text or ""
        rows.setdefault(y, []).append(name)
        assert left + x + 23 + text_width(name, 12) <= width, name
        assert top + y < height
    assert "For lang serie" in names and "Uden for kontrolgrænser" in names
    assert len(rows) > 1  # it wrapped instead of running off the right edge


def test_notes_in_neighbouring_months_do_not_overlap() -> None:
    notes = [
        (3, "PDSA: Ny udskrivningssamtale"),
        (4, "PDSA: Tjekliste"),
        (4, "Ny fase"),
        (5, "PDSA: Opringning efter 48 timer"),
        (6, "Baseline"),
    ]
    root = parse(render_svg(analyse(list(range(20))), title="T", annotations=notes))
    width, _ = view_box(root)
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "spc-annotation":
            continue
        text = next(group.iter(f"{SVG}text"))
        size = float(text.get("font-size", "11"))
        half = text_width(text.text or "", size) / 2
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        boxes.append((x - half, x + half, y - size, y, text.text))
    assert len(boxes) == len(notes)
    for a, b in itertools.combinations(boxes, 2):
        apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
        assert apart, (a[4], b[4])
    for left, right, top, _, text in boxes:
        assert left >= 0 and right <= width and top >= 0, text


@pytest.mark.django_db
@pytest.mark.clock
def test_small_multiples_share_one_y_scale(cast, clock) -> None:
    cast.kol.start_date = clock.month(-14)
    cast.kol.end_date = clock.month(10)
    cast.kol.save()
    count = IndicatorFactory(
        programme=cast.kol, name="Indlæggelser", measure=Indicator.Measure.COUNT
    )
    for team, level in ((cast.kol_rm, 4), (cast.kol_rsd, 300)):
        for i in range(12):
            MeasurementFactory(
                team=team,
                indicator=count,
                period_start=add_months(cast.kol.start_date, i),
                numerator=None,
                denominator=None,
                value=level + i % 3,
            )

    (result,) = [r for r in programme_results(cast.kol)["results"] if r.indicator == count]

    ticks = []
    for _, chart in result.teams:
        axis = next(
            g for g in parse(chart.svg).iter(f"{SVG}g") if "spc-y-axis" in g.get("class", "")
        )
        ticks.append([t.text for t in axis.iter(f"{SVG}text")])
    assert len(ticks) == 2 and ticks[0] == ticks[1]
    assert float(ticks[0][-1].replace(".", "").replace(",", ".")) >= 302  # the higher team fits


def test_an_english_chart_has_no_danish_words() -> None:
    months = [f"{m} 2025" for m in ("okt", "nov", "dec")]  # only to show they are not used
    with translation.override("en"):
        from indicators.wording import active_wording

        words = active_wording()
        labels = [words.month(2025, m) for m in (5, 6, 7, 8, 9, 10, 11, 12)] * 2
        parts = analyse_parts(
            [60, 62, 58, 61, 59, 60, 63, 60, 83, 85, 84, 86, 83, 84, 85, 86], None, "run", [8]
        )
        svg = render_svg(
            None,
            parts=parts,
            title="Rehab",
            unit="%",
            target=90,
            x_labels=labels,
            annotations=[(8, words.new_phase)],
            words=words,
        )
    assert months[0] not in svg
    for word in DANISH_WORDS:
        assert word not in svg, word
    for english in ("Target 90 %", "Measurement", "New phase", "Run chart", "May 2025", "Oct 2025"):
        assert english in svg, english


@pytest.mark.django_db
@pytest.mark.clock
@pytest.mark.parametrize("kind", ["run", "spc"])
def test_the_english_team_page_draws_its_charts_in_english(client, cast, clock, kind) -> None:
    cast.kol.start_date = clock.month(-14)
    cast.kol.end_date = clock.month(10)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol,
        name="Rehabilitering",
        measure=Indicator.Measure.PROPORTION,
        better_direction="up",
        target=90,
        unit="%",
    )
    for i in range(12):
        MeasurementFactory(
            team=cast.kol_rsd,
            indicator=share,
            period_start=add_months(cast.kol.start_date, i),
            numerator=6 + i % 2,
            denominator=10,
        )
    ChartChange.objects.create(
        indicator=share,
        kind=ChartChange.Kind.SPLIT,
        period_start=add_months(cast.kol.start_date, 6),
        reason="Nyt forløb",
        created_by=cast.lead,
    )
    client.force_login(cast.member)
    client.post(reverse("set_language"), {"language": "en"})

    page = client.get(reverse("indicators:team_results", args=[cast.kol_rsd.pk]), {"kort": kind})
    charts = "".join(re.findall(r"<svg[^>]*spc-chart.*?</svg>", page.content.decode(), re.S))

    assert charts
    for word in DANISH_WORDS:
        assert word not in charts, word
    assert "Target 90 %" in charts and "New phase" in charts and "Measurement" in charts


@pytest.mark.django_db
@pytest.mark.clock
def test_the_control_chart_view_explains_control_limits(client, cast, clock) -> None:
    client.force_login(cast.member)
    url = reverse("indicators:team_results", args=[cast.kol_rsd.pk])

    control = client.get(url, {"kort": "spc"}).content.decode()
    run = client.get(url).content.decode()

    assert "spc-intro-spc" in control and "Grænserne ligger" in control
    assert "uden for grænserne" in control
    assert "Anhøj-reglerne" in run and "Grænserne ligger" not in run
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(url, {"kort": "spc"}).content.decode()
    assert "outside the limits" in english and "three standard deviations" in english
