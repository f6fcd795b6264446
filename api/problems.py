"""RFC 9457 problem details: every error of the API is `application/problem+json`.

`problem()` writes one; `ProblemError` is raised by endpoints and helpers to answer with one;
`Problem` is its schema in the OpenAPI document. `type` is "about:blank" (the status says it all)
unless a more specific URI is given; `title` is the status's meaning in the client's language,
`detail` what went wrong this time, and `errors` the fields (or rows) at fault.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema

CONTENT_TYPE = "application/problem+json"


class FieldError(Schema):
    """One thing wrong with the request: where (`loc`) and what (`msg`)."""

    loc: list[str | int]
    msg: str


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise to answer with a problem: `status`, a `detail` and optional field errors/headers."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or str(status))
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def title_for(status: int) -> str:
    """The status's meaning, in the language of the request."""
    titles = {
        400: _("Forespørgslen kan ikke læses"),
        401: _("Der mangler en gyldig API-nøgle"),
        403: _("Adgang nægtet"),
        404: _("Findes ikke"),
        405: _("Metoden er ikke tilladt"),
        409: _("Konflikt med det, portalen har i forvejen"),
        413: _("Forespørgslen er for stor"),
        415: _("Indholdstypen understøttes ikke"),
        422: _("Data er ikke gyldige"),
        429: _("For mange forespørgsler"),
        500: _("Der skete en fejl på serveren"),
        503: _("Tjenesten er ikke tilgængelig lige nu"),
    }
    if status in titles:
        return titles[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def problem(
    status: int,
    detail: str | None = None,
    *,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An `application/problem+json` response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title_for(status), "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(CONTENT_TYPE)


# The error answers every operation with a token may give (documented in the schema) ...
PROBLEMS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem}
# ... and those of an operation with a JSON body.
BODY_PROBLEMS: dict[int, Any] = {**PROBLEMS, 409: Problem, 413: Problem, 415: Problem, 422: Problem}
