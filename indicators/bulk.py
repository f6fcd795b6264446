"""Many measurements at once from structured rows (the API's bulk write).

A JSON list of objects {team, indicator, period, numerator, denominator | value, comment} is read
by the upload's own rules (`importer.rows.read_cells`), checked by `importer.checking.check_rows`
(the role matrix, the model's rules, the programme's periods) and written by
`importer.writing.measurements_import` (history with the person, the summaries refreshed once):
the messages are the upload's, word for word. All rows are written in one transaction, or none;
a row that already says what the database says is left alone, so the same list sent twice
changes nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.importer.cells import shown
from indicators.importer.checking import check_rows
from indicators.importer.columns import and_
from indicators.importer.errors import RowMessage, RowWriteError
from indicators.importer.limits import MAX_TEXT_LENGTH, grouped, max_bytes, max_rows, megabytes
from indicators.importer.rows import Row, read_cells
from indicators.importer.workbook import text_too_long
from indicators.importer.writing import measurements_import

FIELDS = ("team", "indicator", "period", "numerator", "denominator", "value", "comment")
# An unknown field's name is quoted in the message; a row of many is named by its first few.
NAMES_LISTED = 3


@dataclass(frozen=True)
class RowProblem:
    """One message about one row (numbered from 1, as the list's first element)."""

    row: int
    field: str | None
    message: str


@dataclass(frozen=True)
class BulkResult:
    created: int
    updated: int
    unchanged: int


class BulkUnreadable(Exception):
    """The body is not a JSON list; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BulkTooLarge(BulkUnreadable):
    """More bytes or rows than the upload takes."""


class BulkRefused(Exception):
    """Some rows cannot be written; nothing was."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class BulkConflict(Exception):
    """The same measurements were written at the same moment elsewhere; nothing was written."""


def too_large_message(size: int) -> str:
    return _("Forespørgslen er for stor (%(size)s). Den største tilladte størrelse er %(max)s.") % {
        "size": megabytes(size),
        "max": megabytes(max_bytes()),
    }


def items_from_json(body: bytes) -> list[Any]:
    """The body's list, within the upload's limits of bytes and rows; BulkUnreadable if not."""
    if len(body) > max_bytes():
        raise BulkTooLarge(too_large_message(len(body)))
    try:
        items = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers malformed JSON and integers beyond Python's digit limit;
        # RecursionError, lists nested thousands deep.
        raise BulkUnreadable(_("Indholdet er ikke gyldig JSON (UTF-8).")) from None
    if not isinstance(items, list):
        raise BulkUnreadable(_("Indholdet skal være en JSON-liste af rækker."))
    if not items:
        raise BulkUnreadable(_("Listen er tom – der er ingen rækker med data."))
    if len(items) > max_rows():
        raise BulkTooLarge(
            _("Listen har mere end %(max)s rækker. Del den op i flere forespørgsler.")
            % {"max": grouped(max_rows())}
        )
    return items


def _no_constant(name: str) -> None:
    raise ValueError(name)  # NaN and Infinity are not JSON


def rows_from_items(items: Iterable[Any]) -> list[Row]:
    """Each element read as the upload reads a line of its file; numbered from 1."""
    return [_row(line, item) for line, item in enumerate(items, start=1)]


def _row(line: int, item: Any) -> Row:
    if not isinstance(item, dict):
        row = Row(line=line)
        row.parse_errors.append(
            RowMessage(
                _("Rækken skal være et objekt med felterne %(names)s.")
                % {"names": and_(list(FIELDS))}
            )
        )
        return row
    cells = {key: _cell(item.get(key)) for key in FIELDS}
    long = [
        key for key, cell in cells.items() if isinstance(cell, str) and len(cell) > MAX_TEXT_LENGTH
    ]
    for key in long:
        cells[key] = None  # named once below, not quoted in every message after
    row = read_cells(line, cells.get, decimal_comma=False)
    if long:
        row.parse_errors.insert(0, RowMessage(text_too_long(line).messages[0], long[0]))
    if cells["comment"] is not None and not isinstance(cells["comment"], str):
        row.comment = ""
        row.parse_errors.append(RowMessage(_("Kommentaren skal være tekst."), "comment"))
    unknown = [key for key in item if key not in FIELDS]
    if unknown:
        names = [f"“{shown(str(key))}”" for key in unknown[:NAMES_LISTED]]
        if len(unknown) > NAMES_LISTED:
            names.append(_("%(n)s flere") % {"n": grouped(len(unknown) - NAMES_LISTED)})
        row.parse_errors.append(
            RowMessage(
                ngettext(
                    "Portalen kender ikke kolonnen %(names)s.",
                    "Portalen kender ikke kolonnerne %(names)s.",
                    len(unknown),
                )
                % {"names": and_(names)}
            )
        )
    return row


def _cell(value: Any) -> Any:
    """As the upload reads a cell: text stripped, and empty text the same as nothing."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def row_problems(rows: Iterable[Row]) -> list[RowProblem]:
    return [
        RowProblem(row=row.line, field=getattr(message, "field", None), message=str(message))
        for row in rows
        for message in row.errors
    ]


def measurements_bulk_write(*, items: list[Any], by: Any) -> BulkResult:
    """Check every row as the upload does and write them all in one transaction, or none.

    BulkRefused names every row's problems; BulkConflict when the same measurements were
    created at the same moment by someone else (the database's unique key)."""
    rows = rows_from_items(items)
    try:
        with transaction.atomic():
            check_rows(rows, by)
            problems = row_problems(rows)
            if problems:
                raise BulkRefused(problems)
            written = measurements_import(rows=rows, by=by)
    except RowWriteError as error:
        raise BulkRefused(
            [
                RowProblem(row=error.row.line, field=getattr(m, "field", None), message=str(m))
                for m in error.messages
            ]
        ) from error
    except IntegrityError as error:
        raise BulkConflict from error
    unchanged = sum(1 for row in rows if row.status == "unchanged")
    return BulkResult(created=written["new"], updated=written["correction"], unchanged=unchanged)
