"""Reading an .xlsx file within the limits: the zip's unpacked sizes are checked before any part
is parsed, and the sheet is scanned (fast, in constant memory) before openpyxl builds its cells.

openpyxl reads a whole row before handing it over and fills gaps between rows with empty ones,
so a row of a million cells or a cell at row 1,048,576 would cost it seconds and gigabytes; the
scan refuses those first, and openpyxl is told to stop at the last row the importer reads.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from indicators.importer.errors import UploadError
from indicators.importer.limits import (
    MAX_CELLS_PER_ROW,
    MAX_COLUMNS,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_SHEET_BYTES,
    MAX_TEXT_LENGTH,
    MAX_UNPACKED_BYTES,
    grouped,
    max_cells,
    max_lines,
    megabytes,
)

_CHUNK = 64 * 1024


def unreadable() -> UploadError:
    return UploadError(_("Filen kunne ikke læses som CSV eller Excel."))


def text_too_long(line: int | None) -> UploadError:
    if line is None:
        return UploadError(
            _("Filen har en tekst på mere end %(max)s tegn. Så lang kan ingen celle være.")
            % {"max": grouped(MAX_TEXT_LENGTH)}
        )
    return UploadError(
        _("Række %(line)s har en celle med mere end %(max)s tegn. Så lang kan ingen celle være.")
        % {"line": grouped(line), "max": grouped(MAX_TEXT_LENGTH)}
    )


def beyond_last_line(line: int) -> UploadError:
    return UploadError(
        _(
            "Filen har data i række %(line)s. Portalen læser højst de første %(max)s "
            "rækker; slet de tomme rækker mellem data, eller del filen op."
        )
        % {"line": grouped(line), "max": grouped(max_lines())}
    )


def xlsx_records(data: bytes) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows as tuples of values, once the file has passed the checks."""
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_sizes(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise unreadable() from None
    # openpyxl reads every sheet once at opening (to size it), so every sheet is scanned.
    sheets = _SheetScan()
    for info in archive.infolist():
        if info.filename.endswith("sharedStrings.xml"):
            _scan(archive, info, _StringsScan())
        elif info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            sheets.line = 0
            _scan(archive, info, sheets)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip file
        raise unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(max_row=max_lines() + 1, max_col=MAX_COLUMNS, values_only=True)
    except UploadError:
        raise
    except Exception:
        raise unreadable() from None
    finally:
        workbook.close()


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """The unpacked sizes as the zip declares them; zipfile never unpacks more than declared."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise unreadable()
    total = 0
    for info in parts:
        total += info.file_size
        is_sheet = info.filename.startswith("xl/worksheets/")
        limit = MAX_SHEET_BYTES if is_sheet else MAX_PART_BYTES
        if info.file_size > limit or total > MAX_UNPACKED_BYTES:
            size, limit = (
                (info.file_size, limit) if info.file_size > limit else (total, MAX_UNPACKED_BYTES)
            )
            raise UploadError(
                _(
                    "Excel-filen fylder %(size)s, når den pakkes ud; portalen læser højst "
                    "%(max)s. Gem kun arket med data i en ny fil, eller gem det som CSV."
                )
                % {"size": megabytes(size), "max": megabytes(limit)}
            )


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> None:
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = _no_doctype  # no entities to expand
    stream: IO[bytes]
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise unreadable() from None


def _no_doctype(*args: Any) -> None:
    raise unreadable()


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Scan:
    """Counts the text of each value as it streams past."""

    def __init__(self) -> None:
        self.length = 0
        self.inside = False
        self.line: int | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) in ("v", "t"):
            self.inside = True

    def end(self, name: str) -> None:
        if _local(name) in ("v", "t"):
            self.inside = False

    def text(self, data: str) -> None:
        if self.inside:
            self.length += len(data)
            if self.length > MAX_TEXT_LENGTH:
                raise text_too_long(self.line)


class _StringsScan(_Scan):
    """The shared strings: each string (all its runs together) within the text limit."""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        super().start(name, attrs)
        if _local(name) == "si":
            self.length = 0


class _SheetScan(_Scan):
    """Every sheet: cells per row and in all, inline text, and no value below the last row read."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.cells = 0
        self.row_cells = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        super().start(name, attrs)
        tag = _local(name)
        if tag == "c":
            self.cells += 1
            self.row_cells += 1
            if self.row_cells > MAX_CELLS_PER_ROW:
                raise UploadError(
                    _("Række %(line)s har mere end %(max)s celler.")
                    % {"line": grouped(self.line or 0), "max": grouped(MAX_CELLS_PER_ROW)}
                )
            if self.cells > max_cells():
                raise UploadError(
                    _(
                        "Excel-arket har mere end %(max)s celler. Del det op i flere filer, "
                        "f.eks. én pr. team eller pr. år."
                    )
                    % {"max": grouped(max_cells())}
                )
        elif tag == "row":
            self.row_cells = 0
            number = attrs.get("r", "")
            self.line = int(number) if number.isdigit() else (self.line or 0) + 1
        elif tag in ("v", "is"):
            self.length = 0  # a cell's value, or its inline string of one or more runs
            if (self.line or 0) > max_lines():
                raise beyond_last_line(self.line or 0)
