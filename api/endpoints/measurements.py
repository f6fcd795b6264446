"""Measurements sent in bulk: the upload's rules and words, all rows or none, idempotent.

The body is read here, within the upload's limits, rather than by the API's parser: a body too
large is answered 413 before it is parsed, and the rows' problems are named in the upload's own
words (`indicators.bulk`), not pydantic's.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Schema, Status

from api.auth import require_write
from api.problems import BODY_PROBLEMS, Problem, ProblemError
from indicators.bulk import (
    BulkConflict,
    BulkRefused,
    BulkTooLarge,
    BulkUnreadable,
    items_from_json,
    measurements_bulk_write,
    too_large_message,
)
from indicators.importer.limits import grouped, max_bytes, max_rows
from indicators.importer.lookup import writable_teams

router = Router()

JSON = "application/json"
# A 422 names at most this many problems: enough to fix a file by, never megabytes of them.
PROBLEMS_LISTED = 1_000
_DRAIN_CHUNK = 64 * 1024
_DRAIN_LIMIT = 64 * 1024 * 1024


class WriteResult(Schema):
    """What the list did: rows created, corrected, and already as sent (left alone)."""

    created: int
    updated: int
    unchanged: int


class RowError(Schema):
    """One problem with one row: `row` counts from 1 (the list's first element), `field` is the
    row's field at fault (null: the row as a whole), `message` the upload's words for it."""

    row: int
    field: str | None
    message: str


class RowProblem(Problem):
    """A refused list: nothing was written; `errors` names each row's problems."""

    errors: list[RowError] | None = None  # type: ignore[assignment]


_NUMBER = {"anyOf": [{"type": "number"}, {"type": "string", "maxLength": 5000}, {"type": "null"}]}
_ROW = {
    "type": "object",
    "title": "MeasurementIn",
    "description": (
        "One team's figure for one indicator and month. `team` and `indicator` by id or by "
        "name; `period` as 2025-01 (or 2025-01-01, januar 2025, 202501); `numerator` and "
        "`denominator` for a proportion or rate, otherwise `value`; numbers as JSON numbers or "
        "as text (1234.5 or 1234,5)."
    ),
    "properties": {
        "team": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 5000}]},
        "indicator": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 5000}]},
        "period": {
            "anyOf": [{"type": "string", "maxLength": 5000}, {"type": "integer"}],
            "examples": ["2025-01"],
        },
        "numerator": _NUMBER,
        "denominator": _NUMBER,
        "value": _NUMBER,
        "comment": {"type": "string", "maxLength": 5000},
    },
    "required": ["team", "indicator", "period"],
    "additionalProperties": False,
}


def _request_body() -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                JSON: {
                    # No maxItems: a longer list is refused with 413 (as the upload's limit),
                    # which a schema's bound would promise as a validation error instead.
                    "schema": {
                        "type": "array",
                        "items": _ROW,
                        "minItems": 1,
                        "description": (
                            f"At most {max_rows():,} rows (LKT_UPLOAD_MAX_ROWS) and "
                            f"{max_bytes():,} bytes (LKT_UPLOAD_MAX_BYTES); more is a 413."
                        ),
                    },
                    "example": [
                        {
                            "team": "Lungemedicin AUH",
                            "indicator": "Andel med træningstilbud",
                            "period": "2025-01",
                            "numerator": 17,
                            "denominator": 20,
                            "comment": "",
                        }
                    ],
                }
            },
        }
    }


@router.post(
    "",
    response={200: WriteResult, 201: WriteResult, **BODY_PROBLEMS, 422: RowProblem},
    summary="Send målinger",
    openapi_extra=_request_body(),
)
def write_measurements(request: HttpRequest) -> Status[dict[str, int]]:
    """Create or correct many measurements at once, with the upload's checks: every row is
    written, or none (422 naming each row's problems). A row that already holds what is sent
    is left alone, so the same list sent twice changes nothing. 201 when a row was created,
    otherwise 200. At most `LKT_UPLOAD_MAX_ROWS` rows and `LKT_UPLOAD_MAX_BYTES` bytes (413)."""
    require_write(request)
    if request.content_type != JSON:
        raise ProblemError(415, _("Send data som application/json."))
    if not writable_teams(request.user):
        raise PermissionDenied
    try:
        items = items_from_json(_body(request))
    except BulkTooLarge as error:
        raise ProblemError(413, error.message) from None
    except BulkUnreadable as error:
        raise ProblemError(400, error.message) from None
    try:
        with set_actor(request.user):
            result = measurements_bulk_write(items=items, by=request.user)
    except BulkRefused as error:
        raise ProblemError(422, _refused_detail(error), errors=_listed(error)) from None
    except BulkConflict:
        raise ProblemError(
            409,
            _("Intet er gemt, fordi de samme tal blev gemt samtidig et andet sted. Prøv igen."),
        ) from None
    return Status(201 if result.created else 200, asdict(result))


def _body(request: HttpRequest) -> bytes:
    """The body, read no further than the limit; a larger one is drained (so that the client
    gets its 413 rather than a broken connection) and refused."""
    limit = max_bytes()
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced <= limit:
        data = request.read(limit + 1)
        if len(data) <= limit:
            return data
    drained = 0
    while drained < _DRAIN_LIMIT and (chunk := request.read(_DRAIN_CHUNK)):
        drained += len(chunk)
    raise ProblemError(413, too_large_message(max(announced, limit + 1)))


def _refused_detail(error: BulkRefused) -> str:
    rows = len({problem.row for problem in error.problems})
    detail = ngettext(
        "Intet er gemt: %(rows)s række har fejl. Ret den, og send listen igen.",
        "Intet er gemt: %(rows)s rækker har fejl. Ret dem, og send listen igen.",
        rows,
    ) % {"rows": grouped(rows)}
    if len(error.problems) > PROBLEMS_LISTED:
        detail += " " + _("De første %(n)s fejl er vist.") % {"n": grouped(PROBLEMS_LISTED)}
    return detail


def _listed(error: BulkRefused) -> list[dict[str, Any]]:
    return [asdict(problem) for problem in error.problems[:PROBLEMS_LISTED]]
