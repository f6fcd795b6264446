"""How much of a file the importer reads: its size, rows, columns, cells and text.

Each limit is checked while the file is read, so that a small file cannot make the server
build something large (an Excel file of 50 KB may unpack to a sheet of a million cells)."""

from __future__ import annotations

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_COLUMNS = 50
# Excel sheets formatted far below the data yield endless empty rows; stop after this many.
MAX_EMPTY_ROWS_IN_A_ROW = 1_000
# One cell's text (a comment is the longest thing a row holds) and all text in the file:
# an Excel file can repeat one long shared string in every cell.
MAX_TEXT_LENGTH = 5_000
MAX_TEXT_TOTAL = 5_000_000
# Excel's own widest row; anything wider was not made by a spreadsheet.
MAX_CELLS_PER_ROW = 16_384
CELLS_PER_ROW = 20  # the cells a sheet may hold: rows × this
# Unpacked sizes of the parts of an .xlsx file, checked before any part is parsed.
MAX_SHEET_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_PARTS = 500


def max_bytes() -> int:
    return int(settings.LKT_UPLOAD_MAX_BYTES)


def max_rows() -> int:
    return int(settings.LKT_UPLOAD_MAX_ROWS)


def max_lines() -> int:
    """The last row of the file that is read: the rows with data, the header and some gaps."""
    return max_rows() + MAX_EMPTY_ROWS_IN_A_ROW + 1


def max_cells() -> int:
    return max_rows() * CELLS_PER_ROW


def grouped(number: int) -> str:
    return number_format(number, 0, force_grouping=True)


def megabytes(size: int) -> str:
    """A file size for people: “50 MB”, “5,3 MB”."""
    mb = size / (1024 * 1024)
    mb = round(mb) if mb >= 10 else round(mb, 1)
    if mb == int(mb):
        return f"{int(mb)} MB"
    return f"{number_format(mb, 1)} MB"


def too_large_message(size: int) -> str:
    return _("Filen er for stor (%(size)s). Den største tilladte størrelse er %(max)s.") % {
        "size": megabytes(size),
        "max": megabytes(max_bytes()),
    }
