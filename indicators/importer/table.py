"""Reading CSV or Excel bytes into a table of cells, within the row and column limits."""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from indicators.importer.errors import UploadError
from indicators.importer.limits import (
    MAX_COLUMNS,
    MAX_EMPTY_ROWS_IN_A_ROW,
    MAX_TEXT_LENGTH,
    MAX_TEXT_TOTAL,
    grouped,
    max_lines,
    max_rows,
)
from indicators.importer.workbook import (
    beyond_last_line,
    text_too_long,
    unreadable,
    xlsx_records,
)


@dataclass
class Table:
    """The file's header and its non-empty rows, each with its row number as in the file."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]
    decimal_comma: bool = True


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16) or .xlsx bytes into a table."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UploadError(_("Filen er tom."))
    if data.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise UploadError(
            _(
                "Filen er i det gamle Excel-format (.xls) eller beskyttet med adgangskode, som "
                "portalen ikke kan læse. Gem den som Excel-projektmappe (.xlsx) eller som CSV, "
                "og upload den igen."
            )
        )
    is_xlsx = data.startswith(b"PK\x03\x04")
    table = _collect(xlsx_records(data)) if is_xlsx else _read_csv(_decode(data))
    if not table.header:
        raise UploadError(_("Filen er tom."))
    if not table.rows:
        raise UploadError(_("Filen indeholder kun overskrifter – der er ingen rækker med data."))
    return table


def _decode(data: bytes) -> str:
    """Text in the encodings Danish spreadsheets write; garbage is refused, not guessed at."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's “Unicode-tekst”
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise unreadable() from None
    else:
        # utf-8-sig reads UTF-8 both with and without the BOM; cp1252 is Danish Windows Excel.
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise unreadable()
    sample = text[:65536]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) / 100:
        raise unreadable()
    return text


def _read_csv(text: str) -> Table:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _collect(reader)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise text_too_long(None) from None
        raise unreadable() from None
    # A comma-separated file writes numbers the English way (decimal point).
    table.decimal_comma = delimiter != ","
    return table


def _collect(records: Iterable[Iterable[Any]]) -> Table:
    """The header (first non-empty row) and the data rows, numbered as the spreadsheet does."""
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    empty_run = 0
    text = 0
    last_line, most_rows = max_lines(), max_rows()  # settings, read once per file
    for number, record in enumerate(records, start=1):
        cells = [_cell(value) for value in itertools.islice(record, MAX_COLUMNS)]
        for cell in cells:
            if isinstance(cell, str):
                if len(cell) > MAX_TEXT_LENGTH:
                    raise text_too_long(number)
                text += len(cell)
        if text > MAX_TEXT_TOTAL:
            raise UploadError(
                _("Filen har mere end %(max)s tegn tekst. Del den op i flere filer.")
                % {"max": grouped(MAX_TEXT_TOTAL)}
            )
        if all(cell is None for cell in cells):
            empty_run += 1
            if empty_run > MAX_EMPTY_ROWS_IN_A_ROW:
                break
            continue
        empty_run = 0
        if number > last_line:
            raise beyond_last_line(number)
        if not header:
            header = ["" if cell is None else str(cell) for cell in cells]
            continue
        rows.append((number, cells))
        if len(rows) > most_rows:
            raise UploadError(
                _(
                    "Filen har mere end %(max)s rækker med data. Del den op i flere filer, "
                    "f.eks. én pr. team eller pr. år."
                )
                % {"max": grouped(max_rows())}
            )
    return Table(header=header, rows=rows)


# The portal's exports write “'” before text Excel would run as a formula (exporting.py).
_GUARDED = ("'=", "'+", "'-", "'@", "'\t", "'\r", "''")


def _cell(value: Any) -> Any:
    """Strings stripped (empty → None) and the export's formula guard taken off; numbers and
    dates from Excel kept as they are."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith(_GUARDED):
            value = value[1:].strip()
        return value or None
    return value
