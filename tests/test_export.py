"""Exports of a team's, a region's and a programme's data: only what the person may see, as CSV
for Danish Excel or as .xlsx, in a number of queries that does not grow with the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from tests.factories import IndicatorFactory, MeasurementFactory

HEADER = [
    "program",
    "region",
    "team",
    "indikator",
    "periode",
    "tæller",
    "nævner",
    "værdi",
    "beregnet værdi",
    "enhed",
    "kommentar",
    "registreret af",
    "registreret",
]


@pytest.fixture
def data(cast) -> SimpleNamespace:
    share = IndicatorFactory(
        programme=cast.kol, name="Andel med KOL-plan", multiplier=100, unit="%"
    )
    admissions = IndicatorFactory(
        programme=cast.kol,
        name="Antal indlæggelser",
        measure=Indicator.Measure.COUNT,
        multiplier=1,
        unit="",
    )
    adhd = IndicatorFactory(programme=cast.adhd, name="Andel med ADHD-plan")
    for month in (1, 2, 3):
        MeasurementFactory(
            team=cast.kol_rm,
            indicator=share,
            period_start=dt.date(2024, month, 1),
            numerator=1,
            denominator=3,
            registered_by=cast.local_lead,
        )
    MeasurementFactory(
        team=cast.kol_rsd,
        indicator=admissions,
        numerator=None,
        denominator=None,
        value=12.5,
        comment='=HYPERLINK("http://example.com")',
    )
    MeasurementFactory(team=cast.adhd_rsd, indicator=adhd, numerator=7, denominator=10)
    return SimpleNamespace(cast=cast, share=share, admissions=admissions)


def team_url(team) -> str:
    return reverse("indicators:export_team", args=[team.pk])


def programme_url(programme) -> str:
    return reverse("indicators:export_programme", args=[programme.pk])


def region_url(region) -> str:
    return reverse("indicators:export_region", args=[region.pk])


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Danish Excel needs for UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def teams_in(rows: list[list[str]]) -> set[str]:
    return {row[2] for row in rows[1:]}


def test_it_sends_an_anonymous_visitor_to_the_login(client, data) -> None:
    for url in (
        team_url(data.cast.kol_rm),
        programme_url(data.cast.kol),
        region_url(data.cast.regions["rm"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.clock
def test_a_team_export_is_a_csv_for_danish_excel(client, data, clock) -> None:
    client.force_login(data.cast.member)  # another team in the same programme may see it

    response = client.get(team_url(data.cast.kol_rm))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="lkt-data-team-lungemedicin-auh-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert teams_in(rows) == {"Lungemedicin AUH"}
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["program"] == "KOL" and first["region"] == "Region Midtjylland"
    assert first["periode"] == "2024-01"
    assert (first["tæller"], first["nævner"], first["værdi"]) == ("1", "3", "")
    assert first["beregnet værdi"] == "33,3333"
    assert first["enhed"] == "%"
    assert first["registreret af"] == str(data.cast.local_lead)
    assert first["registreret"][:4] == str(clock.today().year)  # Copenhagen's year


def test_a_value_keeps_its_decimal_comma_and_a_formula_stays_text(client, data) -> None:
    client.force_login(data.cast.member)
    rows = csv_rows(client.get(team_url(data.cast.kol_rsd)))
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["værdi"] == "12,5" and row["beregnet værdi"] == "12,5"
    assert row["kommentar"] == '\'=HYPERLINK("http://example.com")'


@pytest.mark.parametrize("who", ["outsider", "nobody"])
def test_someone_outside_the_programme_gets_404(client, data, who) -> None:
    client.force_login(getattr(data.cast, who))
    assert client.get(team_url(data.cast.kol_rm)).status_code == 404
    assert client.get(programme_url(data.cast.kol)).status_code == 404


def test_nobody_gets_404_for_a_region(client, data) -> None:
    client.force_login(data.cast.nobody)
    assert client.get(region_url(data.cast.regions["rsd"])).status_code == 404


def test_a_programme_export_holds_every_team_of_the_programme_and_nothing_else(
    client, data
) -> None:
    client.force_login(data.cast.member)
    rows = csv_rows(client.get(programme_url(data.cast.kol)))
    assert teams_in(rows) == {"Lungemedicin AUH", "Lungemedicin OUH"}
    assert len(rows) == 1 + 4


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("member", {"Lungemedicin OUH"}),
        ("outsider", {"BUP Odense"}),
        ("expert", {"Lungemedicin OUH"}),
        ("steering", {"Lungemedicin OUH", "BUP Odense"}),
        ("coordinator", {"Lungemedicin OUH", "BUP Odense"}),
        ("administrator", {"Lungemedicin OUH", "BUP Odense"}),
    ],
)
def test_a_region_export_holds_only_the_teams_the_person_may_see(
    client, data, who, expected
) -> None:
    client.force_login(getattr(data.cast, who))
    rows = csv_rows(client.get(region_url(data.cast.regions["rsd"])))
    assert teams_in(rows) == expected


def test_a_region_export_can_be_narrowed_to_one_programme(client, data) -> None:
    client.force_login(data.cast.steering)
    url = region_url(data.cast.regions["rsd"]) + f"?program={data.cast.adhd.pk}"
    assert teams_in(csv_rows(client.get(url))) == {"BUP Odense"}


def test_the_excel_export_opens_with_openpyxl_and_has_the_header(client, data) -> None:
    client.force_login(data.cast.steering)

    response = client.get(programme_url(data.cast.kol) + "?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="lkt-data-program-kol-' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 1 + 4
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["tæller"] == 1 and first["beregnet værdi"] == pytest.approx(33.3333)
    assert isinstance(first["registreret"], dt.datetime)
    formula = next(row for row in sheet.iter_rows(min_row=2) if row[2].value == "Lungemedicin OUH")
    assert formula[10].data_type == "s"  # text, never run as a formula


def test_the_excel_export_keeps_its_header_in_view_with_a_filter_and_wide_columns(
    client, data
) -> None:
    client.force_login(data.cast.steering)

    response = client.get(programme_url(data.cast.kol) + "?format=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M5"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLM"}
    team_names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert widths["C"] >= max(len(name) for name in team_names)
    assert widths["L"] >= len("registreret af")
    assert all(8 <= width <= 60 for width in widths.values())


def test_the_query_count_does_not_grow_with_the_rows(
    client, data, django_assert_max_num_queries
) -> None:
    client.force_login(data.cast.steering)
    few_queries, few_rows = _export_counting_queries(client, data)
    for month in range(4, 13):
        for team in (data.cast.kol_rm, data.cast.kol_rsd):
            MeasurementFactory(
                team=team, indicator=data.share, period_start=dt.date(2024, month, 1)
            )

    # The user, the programme, the teams, four for the ETag, then one query for all the rows.
    with django_assert_max_num_queries(few_queries):
        many_queries, many_rows = _export_counting_queries(client, data)

    assert many_rows == few_rows + 18
    assert many_queries == few_queries <= 8


def _export_counting_queries(client, data) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(client.get(programme_url(data.cast.kol)))
    return len(queries.captured_queries), len(rows)
