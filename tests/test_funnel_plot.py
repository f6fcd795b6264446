"""The funnel plot as drawn and tabulated (issue 13, point 4): a worked example by hand, English,
hostile data, and the labels measured in a real browser."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from core.months import add_months
from indicators.funnel import FunnelPoint
from indicators.funnel_view import FunnelView, funnel_view
from indicators.models import Indicator
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Kirurgisk Afdeling, Sjællands Universitetshospital Køge"

# Ten teams, a proportion, all sums of September–November 2026.
TEAMS = [
    ("Aabenraa", 50, 100),
    ("Bispebjerg", 65, 100),
    ("Esbjerg", 94, 200),
    ("Herning", 104, 200),
    ("Hillerød", 196, 400),
    ("Holstebro", 208, 400),
    (LONG, 85, 100),
    ("Nykøbing", 40, 200),
    ("Odense", 200, 400),
    ("Randers", 508, 1000),
]
# By hand (SPC.md "Funnel plots"):
# 1. θ = Σy/Σn = 1550/3100 = 0.5; θ(1 − θ) = 0.25, s_i = 0.5/√n_i: n=100 → 0.05, n=200 →
#    0.0353553, n=400 → 0.025, n=1000 → 0.0158114.
# 2. z_i = (p_i − 0.5)/s_i: Aabenraa 0; Bispebjerg 0.15/0.05 = 3; Esbjerg −0.03/0.0353553 =
#    −0.848528; Herning 0.565685; Hillerød −0.4; Holstebro 0.8; Køge 0.35/0.05 = 7;
#    Nykøbing −0.3/0.0353553 = −8.485281; Odense 0; Randers 0.008/0.0158114 = 0.505964.
# 3. Sorted: −8.485281, −0.848528, −0.4, 0, 0, 0.505964, 0.565685, 0.8, 3, 7 (k = 10).
#    10th percentile: h = 0.9 → −8.485281 + 0.9·7.636753 = −1.612203;
#    90th: h = 8.1 → 3 + 0.1·4 = 3.4. Køge winsorised to 3.4, Nykøbing to −1.612203.
# 4. Σ z_w² = 0 + 9 + 0.72 + 0.32 + 0.16 + 0.64 + 11.56 + 2.599200 + 0 + 0.256 = 25.2552;
#    φ = 2.52552; kφ = 25.2552 > k − 1 = 9: overdispersed.
# 5. w = 4n: Σw = 12400, Σw² = 3·400² + 2·800² + 3·1600² + 4000² = 26 080 000;
#    Σw − Σw²/Σw = 12400 − 2103.2258 = 10296.7742; τ² = 16.2552/10296.7742 = 0.00157867.
# 6. At n = 100: √(0.0025 + 0.00157867) = 0.063864; 95 %: 0.5 ± 1.959964·0.063864 =
#    0.374829 to 0.625171; 99.8 %: 0.5 ± 3.090232·0.063864 = 0.302645 to 0.697355.
#    Bispebjerg 0.65 is outside 95 % but inside 99.8 %; Køge 0.85 is above 99.8 %.
#    At n = 200: √(0.00125 + 0.00157867) = 0.053185; 99.8 % lower 0.5 − 0.164353 = 0.335647:
#    Nykøbing 0.20 is below. The rest lie within 0.06 of θ, well inside the 95 % funnel
#    (at n = 1000 its half-width is 1.959964·√(0.00025 + 0.00157867) = 0.083813).
OUTSIDE_998 = {LONG: "above", "Nykøbing": "below"}
OUTSIDE_95_ONLY = {"Bispebjerg": "above"}
WINDOW = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]


def indicator(**fields) -> Indicator:
    values = {
        "pk": 7,
        "name": "Risikovurdering før operation",
        "measure": Indicator.Measure.PROPORTION,
        "unit": "%",
        "multiplier": 100,
        "denominator_definition": "Patienter opereret akut",
    }
    values.update(fields)
    return Indicator(**values)


def view(rows=TEAMS, language: str = "da", **fields) -> FunnelView:
    with translation.override(language):
        return funnel_view(indicator(**fields), [FunnelPoint(*row) for row in rows], WINDOW)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own markup; raises if not well-formed


def frame_of(root: ET.Element) -> tuple[float, float, float, float]:
    rect = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "funnel-frame")
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))


def point_centres(root: ET.Element) -> list[tuple[str, float, float]]:
    out = []
    for el in root.iter():
        if "funnel-point" not in (el.get("class") or "").split():
            continue
        name = (el.findtext(f"{SVG}title") or "").split(":")[0]
        if el.tag == f"{SVG}circle":
            out.append((name, float(el.get("cx", 0)), float(el.get("cy", 0))))
        else:
            out.append((name, float(el.get("data-cx", 0)), float(el.get("data-cy", 0))))
    return out


def texts(root: ET.Element, cls: str) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text") if el.get("class") == cls]


@pytest.mark.parametrize("size", ["svg_wide", "svg_narrow"])
def test_the_worked_example_names_exactly_the_teams_outside_the_outer_funnel(size) -> None:
    root = parse(getattr(view(), size))
    named = " ".join(texts(root, "funnel-name"))
    assert "Nykøbing" in named
    for word in LONG.replace(",", "").split():  # wrapped over lines, but every word there
        assert word in named.replace(",", "").replace("-", "")
    for team, _, _ in TEAMS:
        if team not in OUTSIDE_998:
            assert team not in named, team


def test_the_table_lists_every_team_by_value_with_inside_and_outside_in_words() -> None:
    rows = view().rows
    by_value = sorted(TEAMS, key=lambda row: -row[1] / row[2])
    assert [row.name for row in rows] == [team for team, _, _ in by_value]
    table = {row.name: row for row in rows}
    assert (table[LONG].n, table[LONG].value) == ("100", "85,0 %")
    assert (table["Randers"].n, table["Randers"].value) == ("1.000", "50,8 %")
    assert (table["Nykøbing"].within_95, table["Nykøbing"].within_998) == ("under", "under")
    assert (table[LONG].within_95, table[LONG].within_998) == ("over", "over")
    assert (table["Bispebjerg"].within_95, table["Bispebjerg"].within_998) == ("over", "inden for")
    for team in ("Aabenraa", "Esbjerg", "Herning", "Hillerød", "Holstebro", "Odense", "Randers"):
        assert (table[team].within_95, table[team].within_998) == ("inden for", "inden for")
    assert [row.outside_998 for row in rows].count(True) == 2


def test_the_caption_gives_the_period_and_the_widened_limits() -> None:
    funnel = view()
    assert funnel.period == "September–november 2026"
    assert funnel.caption.startswith("September–november 2026.")
    assert "LKT-værdien 50,0 %" in funnel.caption
    assert "2 teams ligger uden for 99,8 %-grænserne" in funnel.caption
    # φ = 2.52552 and τ² = 0.00157867 (by hand above), three significant digits.
    assert "φ = 2,53" in funnel.dispersion
    assert "grænserne er udvidet med variansen mellem teams, τ² = 0,00158" in funnel.dispersion
    assert "Tragtdiagram: Risikovurdering før operation, September–november 2026" in (
        funnel.svg_wide
    )


def test_binomial_spread_says_the_limits_were_not_widened() -> None:
    # θ = 247.5/1000; Σ(winsorised z)² stays under k − 1 (tests/test_funnel_stats.py).
    rows = [("A", 22.5, 100), ("B", 51, 200), ("C", 100, 400), ("D", 26, 100), ("E", 48, 200)]
    funnel = view(rows)
    assert "Ingen overspredning mellem teams" in funnel.dispersion
    assert "grænserne er ikke udvidet" in funnel.dispersion
    assert "Alle teams ligger inden for grænserne for 99,8 %." in funnel.caption
    assert texts(parse(funnel.svg_wide), "funnel-name") == []


def test_the_drawing_and_table_use_the_widened_limits() -> None:
    # tests/test_funnel_stats.py's worked example: θ = 0.25, τ² = 0.00337639. D (40/100) lies
    # above Spiegelhalter's plain 99.8 % limit 0.25 + 3.090232·0.0433013 = 0.383811, but inside
    # the widened 0.25 + 3.090232·0.0724665 = 0.473938, and above the widened 95 % limit
    # 0.25 + 1.959964·0.0724665 = 0.392031.
    rows = [("A", 20, 100), ("B", 60, 200), ("C", 100, 400), ("D", 40, 100), ("E", 30, 200)]
    funnel = view(rows)
    table = {row.name: row for row in funnel.rows}
    assert (table["D"].within_95, table["D"].within_998) == ("over", "inden for")
    assert texts(parse(funnel.svg_wide), "funnel-name") == []
    assert "τ² = 0,00338" in funnel.dispersion


@pytest.mark.parametrize("size", ["svg_wide", "svg_narrow"])
def test_every_point_and_name_lies_inside_the_plotting_area_with_room(size) -> None:
    root = parse(getattr(view(), size))
    x0, y0, x1, y1 = frame_of(root)
    centres = point_centres(root)
    assert sorted(name for name, _, _ in centres) == sorted(team for team, _, _ in TEAMS)
    for name, cx, cy in centres:
        assert x0 + 6 <= cx <= x1 - 6 and y0 + 6 <= cy <= y1 - 6, name
    for el in root.iter(f"{SVG}text"):
        if el.get("class") == "funnel-name":
            assert x0 < float(el.get("x", 0)) < x1 and y0 < float(el.get("y", 0)) < y1
    viewbox = [float(v) for v in root.get("viewBox", "").split()]
    assert root.get("width") == "100%" and viewbox[0:2] == [0, 0]
    assert x1 <= viewbox[2] and y1 <= viewbox[3]


def test_the_axes_have_round_ticks_and_units() -> None:
    root = parse(view().svg_wide)
    y_ticks = texts(root, "funnel-y-tick")
    # The value axis must cover 20 % (Nykøbing) to 85 % (Køge): round steps with the unit.
    values = [float(t.removesuffix(" %").replace(",", ".")) for t in y_ticks]
    assert all(t.endswith(" %") for t in y_ticks)
    assert len(values) >= 4 and values[0] <= 20 and values[-1] >= 85 and values[-1] <= 100
    steps = {round(b - a, 6) for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in {5, 10, 20, 25}
    x_ticks = texts(root, "funnel-x-tick")
    assert x_ticks[0] == "0" and "1.000" in x_ticks  # thousands grouped the Danish way
    x_values = [float(t.replace(".", "")) for t in x_ticks]
    assert x_values[-1] >= 1000
    assert texts(root, "funnel-x-title") == ["Patienter opereret akut (nævner), seneste 3 måneder"]
    assert texts(root, "funnel-y-title") == ["Andel (%)"]
    legend = " ".join(el.text or "" for el in root.iter(f"{SVG}text"))
    assert "Grænser for 95 %" in legend and "Grænser for 99,8 %" in legend
    assert "LKT-værdi 50,0 %" in legend


def test_the_two_funnels_differ_by_dash_not_colour_alone() -> None:
    svg = view().svg_wide
    dashes = dict(
        re.findall(
            r'class="funnel-(limit-95|limit-998)" d="[^"]*" stroke="[^"]*" '
            r'stroke-dasharray="([^"]*)"',
            svg,
        )
    )
    assert set(dashes) == {"limit-95", "limit-998"}
    assert dashes["limit-95"] != dashes["limit-998"]


def test_rates_use_exposure_on_the_x_axis() -> None:
    rows = [("A", 5, 1000), ("B", 30, 2000), ("C", 12, 1500), ("D", 40, 1000)]
    funnel = view(
        rows,
        measure=Indicator.Measure.RATE,
        unit="pr. 1.000 sengedage",
        multiplier=1000,
        denominator_definition="Sengedage",
    )
    root = parse(funnel.svg_wide)
    assert texts(root, "funnel-x-title") == ["Sengedage (eksponering), seneste 3 måneder"]
    assert texts(root, "funnel-y-title") == ["Værdi (pr. 1.000 sengedage)"]


def test_the_english_page_reads_in_english() -> None:
    funnel = view(language="en")
    assert funnel.period == "September–November 2026"
    assert funnel.caption.startswith("September–November 2026. Each point is a team")
    assert "the LKT value of 50.0 %" in funnel.caption
    assert "2 teams lie outside the 99.8 % limits" in funnel.caption
    assert "τ² = 0.00158" in funnel.dispersion and "φ = 2.53" in funnel.dispersion
    root = parse(funnel.svg_wide)
    words = " ".join(el.text or "" for el in root.iter(f"{SVG}text"))
    for danish in ("nævner", "måneder", "Andel", "Grænser", "LKT-værdi", "Team uden"):
        assert danish not in words, danish
    assert "1,000" in texts(root, "funnel-x-tick")
    assert {row.within_998 for row in funnel.rows} == {"above", "below", "inside"}


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [("Kun ét", 5, 10)],
        [("Nul", 0, 0), ("Også nul", 0, 0)],
        [("Nul", 0, 0), ("Et", 3, 10)],
        [("A", 5, 10), ("B", 5, 10), ("C", 5, 10)],
        [("A", 0, 10), ("B", 0, 20), ("C", 0, 30)],
        [("A", 10, 10), ("B", 20, 20)],
        [("Stor", 5 * 10**11, 10**12), ("Lille", 1, 3), ("Mellem", 400, 1000)],
        [("<script>&\x00\x1f\"'", 1, 2), ("x" * 20_000, 3, 4), ("\r\n", 1, 1)],
    ],
)
@pytest.mark.parametrize("measure", [Indicator.Measure.PROPORTION, Indicator.Measure.RATE])
def test_hostile_data_never_raises_and_gives_well_formed_svg(rows, measure) -> None:
    funnel = view(rows, measure=measure)
    for svg in (funnel.svg_wide, funnel.svg_narrow):
        root = parse(svg)
        assert "<script>" not in svg
        assert not re.search(r'="[^"]*(nan|inf)', svg, re.IGNORECASE)  # every number finite
        if funnel.rows:
            x0, y0, x1, y1 = frame_of(root)
            for name, cx, cy in point_centres(root):
                assert x0 < cx < x1 and y0 < cy < y1, name
    assert len(funnel.rows) == sum(1 for _, _, n in rows if n > 0)
    assert funnel.excluded == [name for name, _, n in rows if n <= 0]


@pytest.mark.e2e
@pytest.mark.parametrize("size", ["svg_wide", "svg_narrow"])
def test_names_do_not_overlap_or_leave_the_plot_in_a_browser(size) -> None:
    from playwright.sync_api import sync_playwright

    # 26 teams at 48-52 % of 400 and four outliers in pairs close together: no overdispersion
    # (φ < 1), so all four lie outside the 99.8 % funnel and their names compete for room.
    crowded = [(f"Team {k}", 200 + (k % 5 - 2) * 4, 400) for k in range(26)] + [
        ("Viborg Regionshospital, Medicinsk Afdeling", 86, 100),
        ("Vejle Sygehus", 88, 110),
        ("Slagelse", 10, 100),
        ("Svendborg og Nyborg", 12, 105),
    ]
    funnel = view(crowded)
    assert [row.outside_998 for row in funnel.rows].count(True) == 4
    svg = getattr(funnel, size)
    width = 760 if size == "svg_wide" else 360
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": width + 40, "height": 900})
        page.set_content(f'<div style="width:{width}px">{svg}</div>')
        boxes = page.evaluate(
            """() => {
              const svg = document.querySelector('svg');
              const origin = svg.getBoundingClientRect();
              const scale = svg.viewBox.baseVal.width / origin.width;
              const box = el => {  // on screen, in the drawing's units, transforms applied
                const b = el.getBoundingClientRect();
                return {x: (b.x - origin.x) * scale, y: (b.y - origin.y) * scale,
                        width: b.width * scale, height: b.height * scale};
              };
              const frame = box(svg.querySelector('.funnel-frame'));
              const names = [...svg.querySelectorAll('.funnel-name')].map(box);
              const points = [...svg.querySelectorAll('.funnel-point')].map(box);
              const all = [...svg.querySelectorAll('text')].map(box);
              const view = svg.viewBox.baseVal;
              return {frame, names, points, all, view: {w: view.width, h: view.height}};
            }"""
        )
        browser.close()

    def overlap(a, b) -> bool:
        return not (
            a["x"] + a["width"] <= b["x"]
            or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"]
            or b["y"] + b["height"] <= a["y"]
        )

    frame = boxes["frame"]
    assert len(boxes["names"]) >= 5
    for name in boxes["names"]:
        assert frame["x"] <= name["x"] and name["x"] + name["width"] <= frame["x"] + frame["width"]
        assert (
            frame["y"] <= name["y"] and name["y"] + name["height"] <= frame["y"] + frame["height"]
        )
    lines = boxes["names"]
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            assert not overlap(a, b), (a, b)
        for point in boxes["points"]:
            assert not overlap(a, point), (a, point)
    for text in boxes["all"]:  # nothing cut at the edges of the drawing
        assert text["x"] >= 0 and text["x"] + text["width"] <= boxes["view"]["w"]
        assert text["y"] >= 0 and text["y"] + text["height"] <= boxes["view"]["h"]


@pytest.fixture
def funnel_programme(cast, clock):
    """KOL with a proportion over the last three complete months: ten teams with 50 of 100
    and one with 95 of 100. By hand: θ = 595/1100 = 0.540909, s = √(θ(1 − θ)/100) = 0.049832;
    z = −0.820934 for the ten and 8.209342 for the one. With k = 11 the 90th percentile
    (h = 9) is the tenth smallest z, −0.820934, so every winsorised z is −0.820934:
    kφ = 11·0.673933 = 7.41 ≤ k − 1 = 10, no widening, and the one team's 0.95 lies above
    θ + 3.090232·0.049832 = 0.694903 while the ten lie inside θ − 1.959964·0.049832 = 0.443239."""
    last = clock.month(-1)
    cast.kol.start_date = add_months(last, -5)
    cast.kol.end_date = add_months(last, 10)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol,
        name="Andel med inhalationstjek",
        measure=Indicator.Measure.PROPORTION,
        unit="%",
        multiplier=100,
        denominator_definition="Indlagte med KOL",
    )
    outlier = TeamFactory(programme=cast.kol, region=cast.regions["rm"], name="Lungeklinik Vest")
    ordinary = [cast.kol_rm, cast.kol_rsd] + [
        TeamFactory(programme=cast.kol, region=cast.regions["rsd"], name=f"Team {k}")
        for k in range(8)
    ]
    window = [add_months(last, -2), add_months(last, -1), last]
    for month in window:
        for team, numerator in [(team, 50) for team in ordinary] + [(outlier, 95)]:
            MeasurementFactory(
                team=team,
                indicator=share,
                period_start=month,
                numerator=numerator // 3 if month != last else numerator - 2 * (numerator // 3),
                denominator=100 // 3 if month != last else 100 - 2 * (100 // 3),
            )
    return cast, window


@pytest.mark.django_db
@pytest.mark.clock
def test_the_results_page_shows_the_funnel_table_period_and_help(client, funnel_programme):
    cast, window = funnel_programme
    client.force_login(cast.steering)
    page = client.get(reverse("indicators:programme_results", args=[cast.kol.pk])).content.decode()
    assert date_format(window[-1], "F Y") in page
    assert date_format(window[0], "F") in page.lower()
    assert "Sådan læses et tragtdiagram" in page
    assert "Indlagte med KOL (nævner), seneste 3 måneder" in page
    section = page[page.index('class="funnel mt-3"') :]
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[2:]  # past the two heading rows
    cells = [re.sub(r"<[^>]+>", "", row).split() for row in rows]
    assert cells[0][:3] == ["Lungeklinik", "Vest", "100"]  # highest value first
    assert cells[0][-2:] == ["over", "over"]
    assert len(cells) == 11 + 1  # every team and the LKT's total
    for row in cells[1:11]:
        assert " ".join(row).endswith("100 50,0 % inden for inden for"), row
    assert "Ingen overspredning mellem teams" in section
    named = re.findall(r'class="funnel-name"[^>]*>([^<]*)<', section)
    assert "Lungeklinik Vest" in " ".join(named) and "Lungemedicin" not in " ".join(named)


@pytest.mark.django_db
@pytest.mark.clock
def test_the_results_page_funnel_reads_in_english(client, funnel_programme):
    cast, window = funnel_programme
    client.force_login(cast.steering)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        month = date_format(window[-1], "F Y")
    page = client.get(reverse("indicators:programme_results", args=[cast.kol.pk])).content.decode()
    assert "How to read a funnel plot" in page and month in page
    assert "Indlagte med KOL (denominator), latest 3 months" in page
    section = page[page.index('class="funnel mt-3"') :]
    for danish in ("inden for", "Sådan læses", "Grænser for", "overspredning", "seneste"):
        assert danish not in section, danish
