"""How much of a file the importer reads: its size, its rows and its columns."""

from __future__ import annotations

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_COLUMNS = 50
# Excel sheets formatted far below the data yield endless empty rows; stop after this many.
MAX_EMPTY_ROWS_IN_A_ROW = 1_000


def max_bytes() -> int:
    return int(settings.LKT_UPLOAD_MAX_BYTES)


def max_rows() -> int:
    return int(settings.LKT_UPLOAD_MAX_ROWS)


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
