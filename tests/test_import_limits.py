"""Files built to cost the server memory and time: each is refused, or read within budget.

The budget for any file within the limits is 256 MB of Python memory (tracemalloc's peak) and
10 seconds on the test machine."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.exporting import TEMPLATE_HEADER, csv_lines, template_rows
from indicators.importer.checking import check_rows
from indicators.importer.errors import UploadError
from indicators.importer.preview import read_upload
from indicators.importer.rows import parse_rows
from indicators.importer.table import read_table
from indicators.models import Indicator
from tests.factories import IndicatorFactory, TeamFactory, TeamMemberFactory

HEADER = "team;indikator;periode;tæller;nævner;værdi;kommentar"
MEMORY = 256 * 1024 * 1024
SECONDS = 10


@pytest.fixture
def data(cast) -> SimpleNamespace:
    aero = TeamFactory(programme=cast.kol, region=cast.regions["rsd"], name="Ærø Kommune")
    TeamMemberFactory(team=aero, user=cast.member)
    share = IndicatorFactory(
        programme=cast.kol, name="Andel med træningstilbud", measure=Indicator.Measure.PROPORTION
    )
    return SimpleNamespace(cast=cast, aero=aero, share=share, user=cast.member)


@contextmanager
def within_budget() -> Iterator[None]:
    """Peak memory traced; the time is taken apart from tracing (which slows Python 2-3×)."""
    tracemalloc.start()
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"peak {peak / 2**20:.1f} MB")
        assert peak < MEMORY, f"peak {peak / 2**20:.0f} MB"


def timed(read: Callable[[], object]) -> object:
    started = time.perf_counter()
    try:
        return read()
    finally:
        seconds = time.perf_counter() - started
        print(f"{seconds:.2f} s")
        assert seconds < SECONDS, f"{seconds:.1f} s"


def upload_of(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx(sheet: str, strings: bytes | None = None) -> bytes:
    """A minimal .xlsx written directly: a workbook of one sheet and maybe shared strings."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{sml}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sml}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sml}.sharedStrings+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><sheetData>{sheet}</sheetData></worksheet>',
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            strings or f'<sst xmlns="{main}"><si><t>team</t></si></sst>'.encode(),
        )
    return buffer.getvalue()


HEADER_ROW = (
    '<row r="1">'
    + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABCDEFG", HEADER.split(";"), strict=True)
    )
    + "</row>"
)


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [4_000, 12_000])
def test_it_reports_thousands_of_identical_rows_once_with_a_count(data, count) -> None:
    line = "Ærø Kommune;Andel med træningstilbud;2024-03;7;10;;"
    content = "\r\n".join([HEADER] + [line] * count).encode()

    timed(lambda: read_upload(upload_of(content, "data.csv"), data.user))
    with within_budget():
        rows = read_upload(upload_of(content, "data.csv"), data.user)
        kept = json.dumps([row.to_dict() for row in rows])

    total, more = (f"{n:,}".replace(",", ".") for n in (count, count - 3))
    assert rows[0].errors == [
        f"Samme team, indikator og periode står i {total} rækker (række 2, 3, 4 … og {more} flere)."
    ]
    assert len(kept) < 1_000 * count  # was every line number in every row: n² in size


def test_it_refuses_a_csv_cell_longer_than_the_text_limit(data) -> None:
    content = f"{HEADER}\r\nÆrø Kommune;Andel med træningstilbud;2024-03;7;10;;{'x' * 6_000}"
    with pytest.raises(UploadError, match="Række 2 har en celle med mere end 5.000 tegn"):
        read_table(content.encode(), "data.csv")


def test_a_number_cell_of_long_text_gives_a_short_message(data) -> None:
    content = f"{HEADER}\r\nÆrø Kommune;Andel med træningstilbud;2024-03;{'9x' * 2_000};10;;"
    rows = parse_rows(read_table(content.encode(), "data.csv"))
    assert max(len(message) for message in rows[0].parse_errors) < 200


# --- Excel -------------------------------------------------------------------------------------


def test_it_refuses_a_row_of_a_million_cells_without_building_it(data) -> None:
    cells = "".join(f"<c><v>{n % 10}</v></c>" for n in range(1_000_000))
    content = xlsx(f'{HEADER_ROW}<row r="2">{cells}</row>')
    assert len(content) < 200_000

    with within_budget(), pytest.raises(UploadError, match="Række 2 har mere end 16.384 celler"):
        timed(lambda: read_upload(upload_of(content, "bombe.xlsx"), data.user))


def test_it_stops_at_the_last_row_it_reads_in_a_sparse_sheet(data) -> None:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Ærø Kommune</t></is></c></row>'
        for n in range(1_001, 1_048_577, 1_000)
    )
    content = xlsx(HEADER_ROW + rows)

    with within_budget(), pytest.raises(UploadError) as refused:
        timed(lambda: read_upload(upload_of(content, "spredt.xlsx"), data.user))
    assert refused.value.messages == [
        "Filen har data i række 22.001. Portalen læser højst de første 21.001 rækker; slet "
        "de tomme rækker mellem data, eller del filen op."
    ]


def test_it_refuses_a_small_file_that_unpacks_to_a_100_mb_string(data) -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = f'<sst xmlns="{main}"><si><t>'.encode() + b"a" * 100_000_000 + b"</t></si></sst>"
    content = xlsx(HEADER_ROW, strings)
    assert len(content) < 200_000

    with within_budget(), pytest.raises(UploadError, match="når den pakkes ud; portalen læser"):
        timed(lambda: read_upload(upload_of(content, "streng.xlsx"), data.user))


def test_it_refuses_a_shared_string_longer_than_the_text_limit(data) -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = (
        f'<sst xmlns="{main}"><si><r><t>{"a" * 3_000}</t></r><r><t>{"b" * 3_000}</t></r></si></sst>'
    )
    with pytest.raises(UploadError, match="Filen har en tekst på mere end 5.000 tegn"):
        read_table(xlsx(HEADER_ROW, strings.encode()), "data.xlsx")


def test_it_refuses_an_inline_string_longer_than_the_text_limit(data) -> None:
    row = f'<row r="2"><c r="G2" t="inlineStr"><is><t>{"a" * 6_000}</t></is></c></row>'
    with pytest.raises(UploadError, match="Række 2 har en celle med mere end 5.000 tegn"):
        read_table(xlsx(HEADER_ROW + row), "data.xlsx")


def test_it_reads_a_small_hand_written_workbook(data) -> None:
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Ærø Kommune</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>Andel med træningstilbud</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>2024-03</t></is></c>'
        '<c r="D2"><v>7</v></c><c r="E2"><v>10</v></c></row>'
    )
    rows = check_rows(parse_rows(read_table(xlsx(HEADER_ROW + row), "data.xlsx")), data.user)
    assert [(row.status, row.errors) for row in rows] == [("new", [])]


# --- The template comes back in ---------------------------------------------------------------


def test_a_template_with_a_team_name_starting_with_a_minus_round_trips(data) -> None:
    akut = TeamFactory(programme=data.cast.kol, region=data.cast.regions["rsd"], name="-Akut")
    TeamMemberFactory(team=akut, user=data.user)
    template = "".join(csv_lines(TEMPLATE_HEADER, template_rows(data.user))).encode()
    assert b"'-Akut" in template  # the formula guard is written …

    rows = check_rows(parse_rows(read_table(template, "skabelon.csv")), data.user)

    akut_rows = [row for row in rows if row.team_label == "-Akut"]  # … and taken off
    assert akut_rows
    assert {row.team_id for row in akut_rows} == {akut.pk}
    assert not [m for row in akut_rows for m in row.errors if "team" in m.lower()]


@pytest.mark.parametrize(
    ("cell", "read"), [("'=SUM(A1)", "=SUM(A1)"), ("''Akut", "'Akut"), ("'Akut", "'Akut")]
)
def test_it_takes_off_only_the_exports_own_guard(data, cell, read) -> None:
    content = f"{HEADER}\r\n{cell};Andel med træningstilbud;2024-03;7;10;;".encode()
    rows = parse_rows(read_table(content, "data.csv"))
    assert rows[0].team_label == read
