"""Reading and checking a file of team data: encodings, separators, numbers, periods, bad files,
and the row checks (unknown team or indicator, duplicates, the model's rules); then the write."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.roles import roles_of
from indicators.importer.cells import CPR_MASK, parse_number, parse_period
from indicators.importer.checking import check_rows
from indicators.importer.columns import map_columns
from indicators.importer.errors import RowWriteError, UploadError
from indicators.importer.preview import read_upload
from indicators.importer.rows import Row, parse_rows
from indicators.importer.table import read_table
from indicators.importer.writing import measurements_import
from indicators.models import Indicator, Measurement
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    TeamFactory,
    TeamMemberFactory,
)

HEADER = "team;indikator;periode;tæller;nævner;værdi;kommentar"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def messages(rows: list[Row]) -> str:
    return " | ".join(f"{row.line}: {message}" for row in rows for message in row.errors)


@pytest.fixture
def data(cast) -> SimpleNamespace:
    """KOL with a team “Ærø Kommune” the member belongs to, a proportion and a count."""
    aero = TeamFactory(programme=cast.kol, region=cast.regions["rsd"], name="Ærø Kommune")
    TeamMemberFactory(team=aero, user=cast.member)
    share = IndicatorFactory(
        programme=cast.kol, name="Andel med træningstilbud", measure=Indicator.Measure.PROPORTION
    )
    count = IndicatorFactory(
        programme=cast.kol,
        name="Antal genindlæggelser",
        measure=Indicator.Measure.COUNT,
        multiplier=1,
        unit="",
    )
    other = IndicatorFactory(programme=cast.adhd, name="Andel med ADHD-plan")
    return SimpleNamespace(
        cast=cast, aero=aero, share=share, count=count, other=other, user=cast.member
    )


def check(data: SimpleNamespace, *lines: str, encoding: str = "utf-8") -> list[Row]:
    table = read_table(csv_bytes(HEADER, *lines, encoding=encoding), "data.csv")
    return check_rows(parse_rows(table), data.user)


# --- The file as a whole -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_it_reads_danish_letters_in_utf8_utf8_bom_and_windows_1252(data, encoding) -> None:
    rows = check(
        data,
        "Ærø Kommune;Andel med træningstilbud;2024-03;7;10;;Træning på Ærø – også i weekenden",
        encoding=encoding,
    )

    assert messages(rows) == ""
    assert rows[0].team == data.aero
    assert rows[0].indicator == data.share
    assert rows[0].comment == "Træning på Ærø – også i weekenden"


def test_it_reads_utf16_as_excel_unicode_text_writes_it(data) -> None:
    text = "\t".join(HEADER.split(";")) + "\r\nÆrø Kommune\tAntal genindlæggelser\t2024-03\t\t\t4\t"
    rows = check_rows(parse_rows(read_table(text.encode("utf-16"))), data.user)

    assert messages(rows) == ""
    assert rows[0].value == 4


@pytest.mark.parametrize(
    ("separator", "line"),
    [
        (";", "Ærø Kommune;Antal genindlæggelser;2024-03;;;12,5;"),
        ("\t", "Ærø Kommune\tAntal genindlæggelser\t2024-03\t\t\t12,5\t"),
        (",", "Ærø Kommune,Antal genindlæggelser,2024-03,,,12.5,"),
        (",", 'Ærø Kommune,Antal genindlæggelser,2024-03,,,"12,5",'),
    ],
)
def test_it_finds_the_separator_and_the_decimal_mark(data, separator, line) -> None:
    header = separator.join(HEADER.split(";"))
    rows = check_rows(parse_rows(read_table(csv_bytes(header, line))), data.user)

    assert rows[0].value == Decimal("12.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234", "1234"),
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("-3", "-3"),
        ("\u22123,5", "-3.5"),
        (7, "7"),
        (0.1, "0.1"),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_numbers_the_danish_and_the_english_way(text, expected) -> None:
    result = parse_number(text)
    assert result == (None if expected is None else Decimal(expected))


def test_it_reads_a_grouped_point_as_a_decimal_in_a_comma_separated_file() -> None:
    assert parse_number("1.234", decimal_comma=False) == Decimal("1.234")


@pytest.mark.parametrize("text", ["tolv", "12%", "1,2,3", "12..5", "1e3", "nan"])
def test_it_refuses_what_is_not_a_number(text) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "2025-01",
        "2025-1",
        "2025-01-01",
        "2025-01-01 00:00:00",
        "01-01-2025",
        "1.1.2025",
        "01-2025",
        "202501",
        "jan 2025",
        "Jan. 2025",
        "januar 2025",
        "JANUAR 2025",
        "jan-25",
        "january 2025",
        dt.date(2025, 1, 1),
        dt.datetime(2025, 1, 1),
    ],
)
def test_it_reads_a_month_written_in_many_ways(text) -> None:
    assert parse_period(text) == dt.date(2025, 1, 1)


@pytest.mark.parametrize("text", ["2025-01-15", "15-01-2025", dt.date(2025, 1, 15)])
def test_it_refuses_a_date_that_is_not_the_first_of_the_month(text) -> None:
    with pytest.raises(ValueError, match="første dag i en måned"):
        parse_period(text)


@pytest.mark.parametrize("text", ["2025-13", "snart", "2025", "mandag 2025", "31-02-2025"])
def test_it_refuses_what_is_not_a_period(text) -> None:
    with pytest.raises(ValueError, match="ikke en periode"):
        parse_period(text)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n  \r\n", b"\xff\xfe"])
def test_it_refuses_an_empty_file(content) -> None:
    with pytest.raises(UploadError, match="Filen er tom."):
        read_table(content, "tom.csv")


def test_it_refuses_a_file_with_only_the_header() -> None:
    with pytest.raises(UploadError, match="kun overskrifter"):
        read_table(csv_bytes(HEADER, ";;;;;;"), "data.csv")


def test_it_names_the_missing_and_the_unknown_columns() -> None:
    with pytest.raises(UploadError) as error:
        map_columns(["Team", "Indikator", "Måned", "Antal", "Note"])

    text = " ".join(error.value.messages)
    assert "Filen mangler kolonnerne team og indikator." not in text
    assert "Filen skal have kolonnerne tæller og nævner eller kolonnen værdi." in text
    assert "Portalen kender ikke kolonnerne “Antal” og “Note”." in text
    assert "team; indikator; periode; tæller; nævner; værdi; kommentar" in text


def test_it_names_a_missing_denominator_column() -> None:
    with pytest.raises(UploadError, match="Filen mangler kolonnen nævner."):
        map_columns(["team", "indikator", "periode", "tæller"])


def test_it_refuses_a_column_given_twice() -> None:
    with pytest.raises(UploadError, match="periode står flere gange"):
        map_columns(["team", "indikator", "periode", "Periode", "værdi"])


def test_it_reads_headers_in_any_case_with_spaces_and_in_english() -> None:
    positions = map_columns(
        ["  TEAM ", "Indicator", "period", "Numerator (antal)", "denominator", "Value", "Comment"]
    )
    assert positions == {
        "team": 0,
        "indicator": 1,
        "period": 2,
        "numerator": 3,
        "denominator": 4,
        "value": 5,
        "comment": 6,
    }


def test_it_skips_the_extra_columns_of_its_own_export() -> None:
    header = ["program", "region", "team", "indikator", "periode", "tæller", "nævner", "værdi"]
    header += ["beregnet værdi", "enhed", "kommentar", "registreret af", "registreret"]
    assert set(map_columns(header)) == {
        "team",
        "indicator",
        "period",
        "numerator",
        "denominator",
        "value",
        "comment",
    }


@pytest.mark.parametrize(
    "content",
    [
        random.Random(5).randbytes(4000),  # noqa: S311 -- test data, not a secret
        b"\x89PNG\r\n\x1a\n" + random.Random(6).randbytes(2000),  # noqa: S311
        b"PK\x03\x04 this is not a zip file at all",
        b"team;indikator\x00;periode\r\n",
    ],
)
def test_it_refuses_binary_garbage(content) -> None:
    with pytest.raises(UploadError, match="Filen kunne ikke læses som CSV eller Excel."):
        read_table(content, "data.csv")


def test_it_refuses_a_zip_file_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(UploadError, match="kunne ikke læses"):
        read_table(buffer.getvalue(), "data.xlsx")


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "data.xls"), (b"team;x", "gammel.xls")],
)
def test_it_explains_that_the_old_excel_format_cannot_be_read(content, name) -> None:
    with pytest.raises(UploadError, match=r"\.xls.*\.xlsx"):
        read_table(content, name)


def test_it_refuses_too_many_rows(settings) -> None:
    settings.LKT_UPLOAD_MAX_ROWS = 10
    lines = [f"Team;Indikator;2024-{m:02d};1;2;;" for m in range(1, 12)]
    with pytest.raises(UploadError, match="mere end 10 rækker"):
        read_table(csv_bytes(HEADER, *lines), "data.csv")


class _HugeUpload:
    """An upload that says it is 50 MB and must not be read."""

    name = "stor.csv"
    size = 50 * 1024 * 1024

    def read(self, *args: object) -> bytes:
        raise AssertionError("a file over the limit must not be read")


def test_it_refuses_a_file_over_the_limit_before_reading_it() -> None:
    with pytest.raises(UploadError) as error:
        read_upload(_HugeUpload(), user=None)

    assert error.value.messages == [
        "Filen er for stor (50 MB). Den største tilladte størrelse er 5 MB."
    ]


def test_it_stops_reading_a_file_that_is_larger_than_it_claims(settings) -> None:
    settings.LKT_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("data.csv", b"x" * 5000)
    upload.size = 10  # a lying size must not let the whole file through
    with pytest.raises(UploadError, match="Filen er for stor"):
        read_upload(upload, user=None)


def test_it_numbers_rows_as_the_spreadsheet_does() -> None:
    table = read_table(csv_bytes(HEADER, "a;b;2024-01;1;2;;", "", "c;d;2024-02;1;2;;"))
    assert [line for line, _cells in table.rows] == [2, 4]


def test_it_reads_an_excel_workbook_with_numbers_dates_and_ids(data) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Team", "Indikator", "Periode", "Tæller", "Nævner", "Værdi", "Kommentar"])
    sheet.append([data.aero.pk, "andel med træningstilbud", dt.datetime(2024, 3, 1), 7, 10.0])
    sheet.append(["ÆRØ KOMMUNE", data.count.pk, "marts 2024", None, None, 3.0, "Ærø"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = check_rows(parse_rows(read_table(buffer.getvalue(), "data.xlsx")), data.user)

    assert messages(rows) == ""
    assert [(r.team, r.indicator, r.period) for r in rows] == [
        (data.aero, data.share, dt.date(2024, 3, 1)),
        (data.aero, data.count, dt.date(2024, 3, 1)),
    ]
    assert rows[0].denominator == 10 and rows[1].value == Decimal("3.0")


# --- The rows ----------------------------------------------------------------------------------


def test_it_flags_both_rows_when_a_row_is_repeated(data) -> None:
    rows = check(
        data,
        "Ærø Kommune;Andel med træningstilbud;2024-03;7;10;;",
        "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;",
        "ærø kommune;andel med træningstilbud;marts 2024;8;10;;",
    )

    assert [row.status for row in rows] == ["error", "new", "error"]
    assert rows[0].errors[0] == "Samme team, indikator og periode står i 2 rækker (række 2 og 4)."
    assert rows[2].errors == rows[0].errors


def test_it_names_an_unknown_team(data) -> None:
    rows = check(data, "Samsø Kommune;Andel med træningstilbud;2024-03;7;10;;")
    assert rows[0].errors == ["Ukendt team: “Samsø Kommune”."]


def test_it_names_an_unknown_indicator_and_the_programme(data) -> None:
    rows = check(
        data,
        "Ærø Kommune;Andel med kaffe;2024-03;7;10;;",
        f"Ærø Kommune;{data.other.name};2024-03;7;10;;",  # another programme's indicator
        f"Ærø Kommune;{data.other.pk};2024-03;7;10;;",
    )
    assert rows[0].errors == ["Ukendt indikator “Andel med kaffe” i programmet KOL."]
    assert all("Ukendt indikator" in row.errors[0] for row in rows)


def test_it_refuses_rows_for_another_team(data) -> None:
    rows = check(
        data,
        "Lungemedicin AUH;Andel med træningstilbud;2024-03;7;10;;",
        f"{data.cast.adhd_rsd.pk};Andel med ADHD-plan;2024-03;7;10;;",
    )
    assert rows[0].errors == ["Du kan ikke registrere data for teamet Lungemedicin AUH."]
    # A team the person cannot see answers as one that does not exist: its existence is not told.
    assert rows[1].errors == [f"Ukendt team: “{data.cast.adhd_rsd.pk}”."]


def test_a_team_out_of_sight_is_unknown_by_name_as_by_id(data) -> None:
    rows = check(
        data,
        "BUP Odense;Andel med ADHD-plan;2024-03;7;10;;",
        "Ingen sådan team;Andel med ADHD-plan;2024-03;7;10;;",
    )
    assert rows[0].errors == ["Ukendt team: “BUP Odense”."]
    assert rows[1].errors == ["Ukendt team: “Ingen sådan team”."]


def test_an_administrator_may_register_for_every_team(data) -> None:
    data.user = data.cast.administrator
    rows = check(data, "Lungemedicin AUH;Andel med træningstilbud;2024-03;7;10;;")
    assert rows[0].status == "new"


def test_it_refuses_a_numerator_above_the_denominator(data) -> None:
    rows = check(data, "Ærø Kommune;Andel med træningstilbud;2024-03;12;10;;")
    assert rows[0].errors == [
        "Tælleren (12) er større end nævneren (10). En andel kan højst være 100 %."
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ærø Kommune;Andel med træningstilbud;2024-03;-1;10;;", "Tælleren kan ikke være negativ."),
        ("Ærø Kommune;Andel med træningstilbud;2024-03;;10;;", "Angiv tælleren."),
        ("Ærø Kommune;Andel med træningstilbud;2024-03;7;;;", "Angiv nævneren."),
        ("Ærø Kommune;Andel med træningstilbud;2024-03;7;10;70;", "ikke en enkelt værdi"),
        ("Ærø Kommune;Antal genindlæggelser;2024-03;;;-2;", "Et antal kan ikke være negativt."),
        ("Ærø Kommune;Antal genindlæggelser;2024-03;1;2;;", "ingen tæller og nævner"),
        ("Ærø Kommune;Antal genindlæggelser;2024-03;;;;", "Angiv en værdi."),
        ("Ærø Kommune;Antal genindlæggelser;2023-06;;;3;", "uden for programmets periode"),
        ("Ærø Kommune;Antal genindlæggelser;2024-03;;;1,23456;", "Værdi: "),
        ("Ærø Kommune;Antal genindlæggelser;2024-03;;;tre;", "“tre” i kolonnen værdi er ikke"),
        ("Ærø Kommune;Antal genindlæggelser;;;;3;", "Perioden mangler."),
        ("Ærø Kommune;Antal genindlæggelser;2024-03-15;;;3;", "første dag i en måned"),
        (";Antal genindlæggelser;2024-03;;;3;", "Teamet mangler."),
    ],
)
def test_it_applies_the_models_rules_to_every_row(data, line, expected) -> None:
    rows = check(data, line)
    assert rows[0].status == "error"
    assert expected in messages(rows)


def test_it_refuses_a_comment_with_a_cpr_number_and_never_keeps_it(data) -> None:
    rows = check(data, "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;Pt. 010190-1234 genindlagt")

    assert rows[0].errors[0].startswith("Kommentar: Teksten ser ud til at indeholde et CPR-nummer")
    assert rows[0].to_dict()["comment"] == CPR_MASK
    assert "010190" not in str(rows[0].to_dict())


def test_it_shows_a_correction_with_the_old_figures(data) -> None:
    MeasurementFactory(
        team=data.aero, indicator=data.share, period_start=dt.date(2024, 3, 1), numerator=5
    )
    MeasurementFactory(
        team=data.aero,
        indicator=data.count,
        period_start=dt.date(2024, 3, 1),
        numerator=None,
        denominator=None,
        value=3,
    )
    rows = check(
        data,
        "Ærø Kommune;Andel med træningstilbud;2024-03;6;10;;",
        "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;",
    )

    assert [row.status for row in rows] == ["correction", "unchanged"]
    assert rows[0].old == (Decimal(5), Decimal(10), None)


def test_the_checked_rows_survive_the_session_round_trip(data) -> None:
    rows = check(data, "Ærø Kommune;Andel med træningstilbud;2024-03;7,5;10;;Godt")
    again = Row.from_dict(rows[0].to_dict())
    assert (again.team_id, again.indicator_id, again.period) == (
        data.aero.pk,
        data.share.pk,
        dt.date(2024, 3, 1),
    )
    assert again.numerator == Decimal("7.5") and again.comment == "Godt"


def test_checking_takes_the_same_number_of_queries_for_10_and_80_rows(
    data, django_assert_num_queries
) -> None:
    def lines(n: int) -> list[str]:
        months = [dt.date(2024, 1, 1) + dt.timedelta(days=31 * i) for i in range(20)]
        teams = ["Ærø Kommune", "Lungemedicin OUH"]
        names = ["Andel med træningstilbud", "Antal genindlæggelser"]
        return [
            f"{teams[i % 2]};{names[i // 2 % 2]};{months[i // 4 % 20]:%Y-%m};"
            + ("7;10;;" if i // 2 % 2 == 0 else ";;3;")
            for i in range(n)
        ][:n]

    parsed_10 = parse_rows(read_table(csv_bytes(HEADER, *lines(10))))
    parsed_80 = parse_rows(read_table(csv_bytes(HEADER, *lines(80))))
    # A fresh user each time, as each request loads it; its roles come from the cache
    # (accounts.roles), read from the database once beforehand.
    roles_of(User.objects.get(pk=data.user.pk))
    user = User.objects.get(pk=data.user.pk)
    with django_assert_num_queries(3):  # teams, indicators, existing figures
        check_rows(parsed_10, user)
    user = User.objects.get(pk=data.user.pk)
    with django_assert_num_queries(3):
        rows = check_rows(parsed_80, user)
    assert messages(rows) == ""


# --- Writing -----------------------------------------------------------------------------------


def test_it_writes_every_row_and_keeps_the_old_value_in_the_history(data) -> None:
    old = MeasurementFactory(
        team=data.aero, indicator=data.share, period_start=dt.date(2024, 3, 1), numerator=5
    )
    rows = check(
        data,
        "Ærø Kommune;Andel med træningstilbud;2024-03;6;10;;Rettet",
        "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;",
    )

    written = measurements_import(rows=rows, by=data.user)

    assert written == {"new": 1, "correction": 1}
    old.refresh_from_db()
    assert (old.numerator, old.comment, old.registered_by) == (6, "Rettet", data.user)
    versions = list(old.history.order_by("history_date"))
    assert [v.numerator for v in versions] == [5, 6]
    assert versions[-1].history_user == data.user


def test_it_writes_nothing_when_one_row_is_refused_while_writing(data) -> None:
    rows = check(
        data,
        "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;",
        "Ærø Kommune;Antal genindlæggelser;2025-12;;;4;",
    )
    assert messages(rows) == ""
    data.cast.kol.end_date = dt.date(2025, 6, 30)  # the second row no longer fits
    data.cast.kol.save()
    for row in rows:
        row.team.programme.end_date = dt.date(2025, 6, 30)

    with pytest.raises(RowWriteError) as error:
        measurements_import(rows=rows, by=data.user)

    assert error.value.row.line == 3
    assert Measurement.objects.count() == 0


def test_it_will_not_write_rows_that_have_errors(data) -> None:
    rows = check(data, "Ærø Kommune;Andel med træningstilbud;2024-03;12;10;;")
    with pytest.raises(ValueError):
        measurements_import(rows=rows, by=data.user)
    assert Measurement.objects.count() == 0
