"""Any bytes given to the readers end as a table or a Danish refusal, quickly and in little
memory (hypothesis)."""

from __future__ import annotations

import time
import tracemalloc
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.importer.errors import UploadError
from indicators.importer.rows import parse_rows
from indicators.importer.table import read_table
from tests.test_import_limits import HEADER, HEADER_ROW, xlsx

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MEMORY = 64 * 1024 * 1024


def read_within_budget(content: bytes, name: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        try:
            parse_rows(read_table(content, name))
        except UploadError as error:
            assert error.messages and all(len(m) < 600 for m in error.messages)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < MEMORY
    assert time.perf_counter() - started < 5


cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "'-Akut", "=1+1", "1.234,5", "2024-03", "marts 2024", ";", '"']),
)


@SETTINGS
@given(st.lists(st.lists(cell, max_size=12), max_size=40), st.sampled_from([";", ",", "\t"]))
def test_any_csv_is_read_or_refused_within_budget(rows, delimiter) -> None:
    lines = [HEADER.replace(";", delimiter)] + [delimiter.join(row) for row in rows]
    for encoding in ("utf-8", "utf-16"):
        read_within_budget("\r\n".join(lines).encode(encoding, "replace"), "data.csv")


@SETTINGS
@given(st.binary(max_size=2_000))
def test_any_bytes_are_read_or_refused_within_budget(content) -> None:
    read_within_budget(content, "data.csv")
    read_within_budget(b"PK\x03\x04" + content, "data.xlsx")


xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(
    escape
)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=2, max_value=1_048_576),
            st.lists(st.one_of(xml_text, st.integers(-(10**6), 10**6)), max_size=60),
        ),
        max_size=30,
    )
)
def test_any_sheet_is_read_or_refused_within_budget(rows) -> None:
    sheet = HEADER_ROW
    for number, values in sorted(dict(rows).items()):
        cells = "".join(
            f"<c><v>{value}</v></c>"
            if isinstance(value, int)
            else f'<c t="inlineStr"><is><t>{value}</t></is></c>'
            for value in values
        )
        sheet += f'<row r="{number}">{cells}</row>'
    read_within_budget(xlsx(sheet), "data.xlsx")


@settings(max_examples=5, deadline=None)
@given(st.integers(min_value=300, max_value=999), xml_text)
def test_a_sheet_with_short_gaps_down_to_the_last_row_is_refused_quickly(step, text) -> None:
    sheet = HEADER_ROW + "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{text or "x"}</t></is></c></row>'
        for n in range(2, 1_048_577, step)
    )
    read_within_budget(xlsx(sheet), "data.xlsx")
