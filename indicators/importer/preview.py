"""The preview: an uploaded file read within its limits and every row checked, nothing written."""

from __future__ import annotations

from typing import Any

from indicators.importer.checking import check_rows
from indicators.importer.errors import UploadError
from indicators.importer.limits import max_bytes, too_large_message
from indicators.importer.rows import Row, parse_rows
from indicators.importer.table import read_table


def read_upload(upload: Any, user: Any) -> list[Row]:
    """Every row of an uploaded file, checked; UploadError when the file cannot be used."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes():  # before a single byte is read
        raise UploadError(too_large_message(size))
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise UploadError(too_large_message(max(size, len(data))))
    table = read_table(data, getattr(upload, "name", "") or "")
    return check_rows(parse_rows(table), user)
