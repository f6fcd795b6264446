"""The steering group's status pages: overview, filters, regions, drill-down, ratings, files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zlib
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.months import add_months
from core.pdf import RefusedURL, static_file
from indicators.models import Indicator
from indicators.services import Entry, measurements_record_many
from programmes.models import Organisation, Programme, StatusRating
from programmes.services import programme_rate_status
from status import views
from tests.factories import (
    IndicatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SeminarFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

MONTHS = 24
SERIES = {
    "up": lambda i: (20 if i < MONTHS // 2 else 80) + (i % 2) * 3,
    "down": lambda i: (80 if i < MONTHS // 2 else 20) + (i % 2) * 3,
    "flat": lambda i: 48 + (i % 2) * 4,
}


def make_lkt(
    name: str,
    region,
    *,
    start: dt.date,
    trend: str = "up",
    teams: int = 2,
    silent_teams: int = 0,
    kinds=("outcome", "process"),
    status: str = Programme.Status.ACTIVE,
    area: str = "",
    team_region=None,
) -> Programme:
    """An LKT from `start`'s month with 24 months of data from every team but the silent ones."""
    programme = ProgrammeFactory(
        name=name,
        lead_region=region,
        status=status,
        start_date=start,
        end_date=add_months(start, 36),
        clinical_area=area,
    )
    members = [
        TeamFactory(programme=programme, region=team_region or region, name=f"{name} team {n}")
        for n in range(teams)
    ]
    indicators = [
        IndicatorFactory(programme=programme, kind=kind, name=f"{name} {kind} {n}", target=60)
        for n, kind in enumerate(kinds)
    ]
    entries = [
        Entry(
            team,
            indicator,
            add_months(start, i),
            numerator=Decimal(SERIES[trend](i)),
            denominator=Decimal(100),
        )
        for team in members[silent_teams:]
        for indicator in indicators
        for i in range(MONTHS)
    ]
    measurements_record_many(entries=entries, by=None)
    return programme


@pytest.fixture
def start(clock) -> dt.date:
    """The LKTs' first month: 24 months before this one."""
    return clock.month(-MONTHS)


@pytest.fixture
def lkts(cast, start):
    """Four LKTs beside the cast's, started 24 months ago: green, red, yellow and not assessed."""
    rm, rsd = cast.regions["rm"], cast.regions["rsd"]
    return {
        "green": make_lkt("Alfa", rm, start=start, trend="up", area="Lunger"),
        "red": make_lkt("Beta", rsd, start=start, trend="down", area="Hjerte"),
        "yellow": make_lkt("Gamma", rm, start=start, trend="flat", area="Lunger"),
        "grey": ProgrammeFactory(
            name="Delta",
            lead_region=rsd,
            status=Programme.Status.PREPARING,
            start_date=add_months(start, 30),
        ),
    }


def overview(client, user, **params):
    client.force_login(user)
    return client.get(reverse("status:overview"), params)


def rows_by_name(response) -> dict:
    """The LKTs in the page's table (rendered once per data version, so read from the HTML)."""
    names = re.findall(
        r'<a class="fw-semibold" href="/status/program/\d+/">([^<]+)</a>', response.content.decode()
    )
    assert len(names) == len(set(names))
    rows = overview_rows(response.wsgi_request.user, **response.wsgi_request.GET.dict())
    assert set(names) == set(rows)
    return rows


def overview_rows(user, **params) -> dict:
    """The facts behind the overview's rows, as the view computes them."""
    request = RequestFactory().get(reverse("status:overview"), params)
    request.user = user
    return {row.programme.name: row for row in views.overview_context(request)["rows"]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rendered overview is cached per data version; every test starts without it."""
    cache.clear()
    yield
    cache.clear()


# --- The overview -----------------------------------------------------------------------------


@pytest.mark.clock
def test_the_overview_shows_every_lkt_with_its_facts(client, cast, lkts, clock) -> None:
    SeminarFactory(programme=lkts["green"], starts_at=clock.now() - dt.timedelta(days=40))
    SeminarFactory(programme=lkts["green"])
    SeminarFactory(programme=lkts["green"], cancelled_at=clock.now())
    municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    lkts["green"].teams.first().organisations.add(
        municipality, OrganisationFactory(kind=Organisation.Kind.HOSPITAL)
    )

    response = overview(client, cast.steering)

    assert response.status_code == 200
    rows = rows_by_name(response)
    assert set(rows) == {"KOL", "ADHD", "Alfa", "Beta", "Gamma", "Delta"}
    alfa = rows["Alfa"]
    assert (alfa.teams, alfa.seminars_held, alfa.seminars_planned) == (2, 1, 1)
    assert alfa.region_text == "RM 2"
    assert alfa.sector_text == "region/hospital 1, kommune 1"
    assert alfa.completeness == 100
    assert alfa.expected == 2 * 2 * 3  # teams × indicators × the last three due periods
    assert [s.verdict for s in alfa.indicators] == ["improvement", "improvement"]
    assert all(s.summary.sparkline for s in alfa.indicators)
    assert "mdr. tilbage" in alfa.phase
    assert {name: row.light.colour for name, row in rows.items()} == {
        "Alfa": "green",
        "Beta": "red",
        "Gamma": "yellow",
        "Delta": "grey",
        "KOL": "grey",
        "ADHD": "grey",
    }
    assert rows["Delta"].phase.startswith("starter om")
    page = response.content.decode()
    assert "Grøn" in page and "Rød" in page and "Gul" in page and "Ikke vurderet" in page
    assert "Resultatindikatoren “Beta outcome 0” viser forværring." in page
    assert "Grøn: ingen indikator viser forværring" in page  # the rule is on the page


@pytest.mark.clock
def test_the_lights_are_not_colour_only(client, cast, lkts) -> None:
    page = overview(client, cast.steering).content.decode()
    assert re.search(r'status-light-green[^>]*><span aria-hidden="true">●</span> Grøn', page)
    assert re.search(r'status-light-red[^>]*><span aria-hidden="true">■</span> Rød', page)
    assert re.search(
        r'status-verdict-improvement[^>]*><span aria-hidden="true">\+</span> Forbedring', page
    )


@pytest.mark.clock
def test_it_filters_by_status_region_area_and_light(client, cast, lkts) -> None:
    rsd = cast.regions["rsd"]
    assert set(rows_by_name(overview(client, cast.steering, status="preparing"))) == {"Delta"}
    assert set(rows_by_name(overview(client, cast.steering, region=rsd.pk))) == {
        "ADHD",
        "Beta",
        "Delta",
    }
    assert set(rows_by_name(overview(client, cast.steering, area="Lunger"))) == {"Alfa", "Gamma"}
    assert set(rows_by_name(overview(client, cast.steering, light="red"))) == {"Beta"}
    both = overview(client, cast.steering, region=cast.regions["rm"].pk, light="yellow")
    assert set(rows_by_name(both)) == {"Gamma"}


@pytest.mark.clock
def test_an_unknown_filter_value_is_ignored_not_an_error(client, cast, lkts) -> None:
    response = overview(client, cast.steering, status="nonsense", region="abc", light="blue")
    assert response.status_code == 200
    assert len(rows_by_name(response)) == 6


@pytest.mark.clock
def test_the_traffic_light_column_comes_right_after_the_lkt_name(client, cast, lkts) -> None:
    client.force_login(cast.steering)
    page = client.get(reverse("status:overview")).content.decode()
    headings = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page)
    assert headings[0] == "LKT"
    assert headings[1].startswith("Trafiklys")


@pytest.mark.clock
def test_the_overview_shows_the_latest_rating_next_to_the_computed_light(
    client, cast, lkts
) -> None:
    programme_rate_status(programme=lkts["red"], colour="yellow", reason="Første", by=cast.lead)
    programme_rate_status(programme=lkts["red"], colour="green", reason="Ny plan", by=cast.lead)
    row = rows_by_name(overview(client, cast.steering))["Beta"]
    assert (row.light.colour, row.rating.colour, row.rating.reason) == ("red", "green", "Ny plan")


@pytest.mark.clock
def test_a_new_rating_shows_at_once_although_the_table_is_cached(client, cast, lkts) -> None:
    first = overview(client, cast.steering).content.decode()
    assert "Ny plan for data" not in first
    programme_rate_status(programme=lkts["red"], colour="green", reason="Ny plan for data", by=None)
    assert "Ny plan for data" in overview(client, cast.steering).content.decode()


@pytest.mark.clock
def test_a_new_measurement_shows_at_once_although_the_table_is_cached(client, cast, lkts) -> None:
    from indicators.services import measurement_record

    gamma = overview_rows(cast.steering)["Gamma"]
    before, last_due = gamma.registered, gamma.periods[-1]  # last month only after its deadline
    assert overview(client, cast.steering).status_code == 200
    team = TeamFactory(programme=lkts["yellow"])
    page_before = overview(client, cast.steering).content.decode()
    for indicator in lkts["yellow"].indicators.all():
        measurement_record(
            team=team,
            indicator=indicator,
            period_start=last_due,
            numerator=5,
            denominator=10,
            by=None,
        )
    after = overview_rows(cast.steering)["Gamma"]
    assert after.registered > before
    assert (
        f"{after.registered}/{after.expected}" in overview(client, cast.steering).content.decode()
    )
    assert f"{after.registered}/{after.expected}" not in page_before


# --- Query counts ------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    cache.clear()  # the work, not the cached table
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.clock
def test_the_overview_queries_do_not_grow_with_lkts_teams_or_measurements(
    client, cast, start
) -> None:
    rm, rsd = cast.regions["rm"], cast.regions["rsd"]
    for n in range(2):
        programme = make_lkt(f"Første {n}", rm, start=start, trend="up")
        programme_rate_status(programme=programme, colour="green", reason="God", by=None)
        SeminarFactory(programme=programme)
    client.force_login(cast.steering)
    url = reverse("status:overview")
    client.get(url)  # warm the caches of the first request
    few = count_queries(client, url)

    for n in range(4):
        programme = make_lkt(
            f"Flere {n}",
            rsd,
            start=start,
            trend="down",
            teams=4,
            kinds=("outcome", "process", "balancing"),
        )
        programme_rate_status(programme=programme, colour="red", reason="Skidt", by=None)
        SeminarFactory(programme=programme)
    many = count_queries(client, url)

    assert few == many
    assert len(overview_rows(cast.steering)) == 8


@pytest.mark.clock
def test_the_programme_indicator_and_region_pages_have_a_fixed_query_count(
    client, cast, start
) -> None:
    rm = cast.regions["rm"]
    small = make_lkt("Lille", rm, start=start, teams=2, kinds=("outcome",))
    big = make_lkt("Stor", rm, start=start, teams=5, kinds=("outcome", "process", "balancing"))
    client.force_login(cast.steering)
    client.get(reverse("status:programme", args=[small.pk]))  # warm the first request's caches
    counts = {
        p.name: (
            count_queries(client, reverse("status:programme", args=[p.pk])),
            count_queries(client, reverse("status:indicator", args=[p.indicators.first().pk])),
        )
        for p in (small, big)
    }
    assert counts["Lille"] == counts["Stor"]
    region = count_queries(client, reverse("status:region", args=[rm.pk]))
    make_lkt("Endnu en", rm, start=start, teams=3)
    assert count_queries(client, reverse("status:region", args=[rm.pk])) == region


# --- Regions and drill-down --------------------------------------------------------------------


@pytest.mark.clock
def test_the_region_view_lists_the_regions_teams_across_lkts(client, cast, lkts) -> None:
    client.force_login(cast.coordinator)
    regions = client.get(reverse("status:regions"))
    assert regions.status_code == 200
    rm_row = next(r for r in regions.context["regions"] if r.region == cast.regions["rm"])
    assert (rm_row.leads, rm_row.teams) == (3, 5)  # KOL, Alfa, Gamma; 1 + 2 + 2 teams

    response = client.get(reverse("status:region", args=[cast.regions["rm"].pk]))
    names = [row.team.name for row in response.context["team_rows"]]
    assert names == [
        "Alfa team 0",
        "Alfa team 1",
        "Gamma team 0",
        "Gamma team 1",
        "Lungemedicin AUH",
    ]
    alfa = response.context["team_rows"][0]
    assert (alfa.completeness, alfa.improving, alfa.deteriorating) == (100, 2, 0)
    assert "Beta team 0" not in response.content.decode()


@pytest.mark.clock
def test_drill_down_goes_programme_to_indicator_to_team_chart(client, cast, lkts) -> None:
    client.force_login(cast.steering)
    programme = lkts["green"]
    indicator = programme.indicators.order_by("name").first()
    team = programme.teams.order_by("name").first()

    page = client.get(reverse("status:overview")).content.decode()
    assert reverse("status:programme", args=[programme.pk]) in page

    page = client.get(reverse("status:programme", args=[programme.pk])).content.decode()
    assert reverse("status:indicator", args=[indicator.pk]) in page
    assert page.count("<svg") >= 2 * programme.indicators.count()  # sparklines and charts

    response = client.get(reverse("status:indicator", args=[indicator.pk]))
    team_url = reverse("indicators:team_results", args=[team.pk]) + f"?kort=spc#ind-{indicator.pk}"
    assert team_url in response.content.decode()
    assert response.context["lkt"].verdict == "improvement"

    chart = client.get(team_url.split("#")[0])
    assert chart.status_code == 200
    assert f'id="ind-{indicator.pk}"' in chart.content.decode()


# --- Access ------------------------------------------------------------------------------------


def status_urls(cast, programme) -> list[str]:
    indicator = IndicatorFactory(programme=programme)
    return [
        reverse("status:overview"),
        reverse("status:export"),
        reverse("status:programme", args=[programme.pk]),
        reverse("status:ratings", args=[programme.pk]),
        reverse("status:indicator", args=[indicator.pk]),
        reverse("status:regions"),
        reverse("status:region", args=[cast.regions["rm"].pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, cast) -> None:
    for url in status_urls(cast, cast.kol):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["expert", "local_lead", "member", "outsider", "nobody"])
def test_it_refuses_team_members_experts_and_others(client, cast, role) -> None:
    client.force_login(getattr(cast, role))
    for url in status_urls(cast, cast.kol):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["administrator", "steering", "lead", "coordinator"])
def test_it_shows_the_pages_to_the_steering_group_coordinators_leads_and_admins(
    client, cast, role
) -> None:
    client.force_login(getattr(cast, role))
    for url in status_urls(cast, cast.kol):
        assert client.get(url).status_code == 200, url


def test_the_navbar_links_to_status_only_for_those_who_may_see_it(client, cast) -> None:
    link = f'href="{reverse("status:overview")}"'
    client.force_login(cast.steering)
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(cast.member)
    assert link not in client.get(reverse("home")).content.decode()


def test_an_unknown_programme_is_404(client, cast) -> None:
    client.force_login(cast.steering)
    assert client.get(reverse("status:programme", args=[999999])).status_code == 404


# --- The national project lead's rating ---------------------------------------------------------


def rate(client, programme, **data):
    return client.post(reverse("status:rate", args=[programme.pk]), data)


def test_the_lead_rates_the_programme_with_a_reason(client, cast) -> None:
    client.force_login(cast.lead)
    response = rate(client, cast.kol, colour="yellow", reason="Data mangler fra to teams.")
    assert response.status_code == 302
    rating = StatusRating.objects.get()
    assert (rating.programme, rating.colour, rating.rated_by) == (cast.kol, "yellow", cast.lead)
    page = client.get(reverse("status:programme", args=[cast.kol.pk])).content.decode()
    assert "Data mangler fra to teams." in page


def test_the_rating_form_names_the_colours_in_the_chosen_language(client, cast) -> None:
    client.force_login(cast.lead)
    url = reverse("status:programme", args=[cast.kol.pk])  # the form is on the status page
    danish = client.get(url).content.decode()
    assert all(label in danish for label in ("● Grøn", "▲ Gul", "■ Rød"))
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert all(label in english for label in ("● Green", "▲ Yellow", "■ Red"))
    assert not any(label in english for label in ("● Grøn", "▲ Gul", "■ Rød"))


def test_it_refuses_a_rating_without_a_reason_and_saves_nothing(client, cast) -> None:
    client.force_login(cast.lead)
    for reason in ("", "   "):
        response = rate(client, cast.kol, colour="green", reason=reason)
        assert response.status_code == 200
        assert "Skriv en begrundelse for vurderingen." in response.content.decode()
    response = rate(client, cast.kol, colour="purple", reason="Fint")
    assert response.status_code == 200
    assert not StatusRating.objects.exists()


def test_ratings_keep_their_history_and_the_latest_wins(client, cast) -> None:
    client.force_login(cast.lead)
    rate(client, cast.kol, colour="red", reason="Langt bagud")
    rate(client, cast.kol, colour="green", reason="Indhentet")
    assert StatusRating.objects.filter(programme=cast.kol).count() == 2
    history = client.get(reverse("status:ratings", args=[cast.kol.pk]))
    assert [r.reason for r in history.context["object_list"]] == ["Indhentet", "Langt bagud"]
    status = client.get(reverse("status:programme", args=[cast.kol.pk]))
    assert status.context["row"].rating.reason == "Indhentet"


@pytest.mark.parametrize("role", ["steering", "coordinator", "expert", "member", "nobody"])
def test_it_refuses_a_rating_from_anyone_but_the_lead_and_admins(client, cast, role) -> None:
    client.force_login(getattr(cast, role))
    assert rate(client, cast.kol, colour="green", reason="Fint").status_code == 403
    assert not StatusRating.objects.exists()


def test_a_lead_may_not_rate_another_lkt(client, cast) -> None:
    client.force_login(cast.lead)
    assert rate(client, cast.adhd, colour="green", reason="Fint").status_code == 404


def test_an_administrator_may_rate(client, cast) -> None:
    client.force_login(cast.administrator)
    assert rate(client, cast.adhd, colour="red", reason="Sat på pause").status_code == 302
    assert StatusRating.objects.get().rated_by == cast.administrator


# --- Files: CSV, Excel, PDF ---------------------------------------------------------------------


@pytest.mark.clock
def test_the_overview_exports_as_csv_for_danish_excel(client, cast, lkts) -> None:
    client.force_login(cast.steering)
    response = client.get(reverse("status:export"), {"light": "red"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, *body = rows
    assert header[0] == "LKT" and "trafiklys (beregnet)" in header
    assert [row[0] for row in body] == ["Beta"]
    beta = dict(zip(header, body[0], strict=True))
    assert beta["trafiklys (beregnet)"] == "Rød"
    assert beta["komplethed (%)"] == "100"
    assert beta["indikator 1 (vurdering; målopfyldelse)"].startswith("Beta outcome 0: Forværring")


@pytest.mark.clock
def test_the_overview_exports_as_excel(client, cast, lkts) -> None:
    from openpyxl import load_workbook

    client.force_login(cast.steering)
    response = client.get(reverse("status:export"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "LKT"
    assert {row[0] for row in values[1:]} == {"KOL", "ADHD", "Alfa", "Beta", "Gamma", "Delta"}
    alfa = next(row for row in values if row[0] == "Alfa")
    assert alfa[values[0].index("trafiklys (beregnet)")] == "Grøn"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(values[0])).column_letter}7"


@pytest.mark.clock
def test_the_overview_export_gives_each_indicator_its_own_column(client, cast, lkts) -> None:
    from openpyxl import load_workbook

    client.force_login(cast.steering)
    response = client.get(reverse("status:export"), {"format": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = values[0]
    columns = [i for i, name in enumerate(header) if name.startswith("indikator ")]
    beta = next(row for row in values if row[0] == "Beta")
    cells = [beta[i] for i in columns if beta[i]]
    assert len(cells) == Indicator.objects.filter(programme__name="Beta").count() > 0
    assert all("|" not in cell and cell.startswith("Beta ") for cell in cells)


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF whose objects may sit in compressed object streams. Each stream is cut by
    its /Length (compressed bytes may themselves contain "endstream")."""
    texts = [pdf]
    for found in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        start = found.end()
        try:
            texts.append(zlib.decompress(pdf[start : start + int(found.group(1))]))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", text)) for text in texts)


PDF_SECONDS = 30  # a generous box: WeasyPrint needs about two seconds here


@pytest.mark.clock
def test_the_overview_pdf_is_a_pdf(client, cast, lkts) -> None:
    client.force_login(cast.steering)
    started = time.monotonic()
    response = client.get(reverse("status:overview_pdf"))
    assert time.monotonic() - started < PDF_SECONDS
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) >= 1


@pytest.mark.clock
def test_the_programme_pdf_is_a_pdf_with_its_charts(client, cast, lkts) -> None:
    client.force_login(cast.coordinator)
    started = time.monotonic()
    response = client.get(reverse("status:programme_pdf", args=[lkts["green"].pk]))
    assert time.monotonic() - started < PDF_SECONDS
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) >= 1
    assert 'filename="lkt-status-' in response["Content-Disposition"]


def test_the_pdf_reads_only_local_static_files() -> None:
    base = "https://portal.example.dk/"
    assert static_file(base + "static/css/print.css", base).name == "print.css"
    for url in (
        "https://cdn.example.com/static/css/print.css",
        base + "static/../../etc/passwd",
        base + "status/",
        "file:///etc/passwd",
    ):
        with pytest.raises(RefusedURL):
            static_file(url, base)


def test_the_print_stylesheet_puts_the_pages_on_a4_landscape(client, cast) -> None:
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert "@page" in css and "size: A4 landscape" in css
    client.force_login(cast.steering)
    for url in (reverse("status:overview"), reverse("status:programme", args=[cast.kol.pk])):
        assert "css/print.css" in client.get(url).content.decode()
