"""Reading CSV or Excel bytes into a table of cells, within the row and column limits."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators.importer.errors import UploadError
from indicators.importer.limits import MAX_COLUMNS, MAX_EMPTY_ROWS_IN_A_ROW, max_rows


@dataclass
class Table:
    """The file's header and its non-empty rows, each with its row number as in the file."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]
    decimal_comma: bool = True


def _unreadable() -> UploadError:
    return UploadError(_("Filen kunne ikke læses som CSV eller Excel."))


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
    table = _read_xlsx(data) if is_xlsx else _read_csv(_decode(data))
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
            raise _unreadable() from None
    else:
        # utf-8-sig reads UTF-8 both with and without the BOM; cp1252 is Danish Windows Excel.
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise _unreadable()
    sample = text[:65536]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) / 100:
        raise _unreadable()
    return text


def _read_csv(text: str) -> Table:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _collect(reader)
    except csv.Error:
        raise _unreadable() from None
    # A comma-separated file writes numbers the English way (decimal point).
    table.decimal_comma = delimiter != ","
    return table


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip file
        raise _unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        return _collect(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except UploadError:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        workbook.close()


def _collect(records: Iterable[Iterable[Any]]) -> Table:
    """The header (first non-empty row) and the data rows, numbered as the spreadsheet does."""
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    empty_run = 0
    for number, record in enumerate(records, start=1):
        cells = [_cell(value) for value in list(record)[:MAX_COLUMNS]]
        if all(cell is None for cell in cells):
            empty_run += 1
            if empty_run > MAX_EMPTY_ROWS_IN_A_ROW:
                break
            continue
        empty_run = 0
        if not header:
            header = ["" if cell is None else str(cell) for cell in cells]
            continue
        rows.append((number, cells))
        if len(rows) > max_rows():
            raise UploadError(
                _(
                    "Filen har mere end %(max)s rækker med data. Del den op i flere filer, "
                    "f.eks. én pr. team eller pr. år."
                )
                % {"max": number_format(max_rows(), 0, force_grouping=True)}
            )
    return Table(header=header, rows=rows)


def _cell(value: Any) -> Any:
    """Strings stripped (empty → None); numbers and dates from Excel kept as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
