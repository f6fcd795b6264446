"""The API object: authentication, the JSON-only parser, problem+json for every error, routers.

Each router (api/endpoints/) adds its operations; `PROBLEMS` lists the error answers every
authenticated operation documents. An operation that writes calls `require_write(request)`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from api.auth import TokenAuth
from api.problems import CONTENT_TYPE, ProblemError, problem

log = logging.getLogger(__name__)

JSON = "application/json"


class JsonOnly(Parser):
    """Bodies are JSON: another content type is a 415, unreadable JSON a 400."""

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != JSON:
            raise ProblemError(415, _("Send data som application/json."))
        try:
            return json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ProblemError(400, _("Indholdet er ikke gyldig JSON: %s") % error) from error


class PortalAPI(NinjaAPI):
    """Errors documented as `application/problem+json`, the type they are sent with."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and JSON in content:
                        content[CONTENT_TYPE] = content.pop(JSON)
        return schema

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)


api = PortalAPI(
    title="LKT-portalen API",
    version="1",
    description=(
        "Læs programmer, indikatorer, teams, seminarer og serier med SPC-analyse; send målinger. "
        "Send en personlig API-nøgle (fra *Min profil*) som `Authorization: Bearer <nøgle>`. "
        "Fejl besvares som RFC 9457 `application/problem+json`."
    ),
    auth=TokenAuth(),
    parser=JsonOnly(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)


def _errors(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors as `{loc, msg}` (without the input echoed back)."""
    return [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in raw
    ]


@api.exception_handler(ProblemError)
def _problem(request: HttpRequest, error: ProblemError) -> HttpResponse:
    return problem(
        error.status,
        error.detail,
        instance=request.path[:500],
        errors=error.errors,
        headers=error.headers,
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    # A path or query parameter of the wrong type addresses nothing that exists.
    locations = {str(e.get("loc", ("",))[0]) for e in error.errors}
    status = 422 if locations & {"body"} else 400
    return problem(
        status,
        _("Forespørgslen har fejl i de nævnte felter."),
        instance=request.path[:500],
        errors=_errors(error.errors),
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem(
        401,
        _("Send en gyldig, ikke udløbet API-nøgle som Authorization: Bearer <nøgle>."),
        instance=request.path[:500],
        headers={"WWW-Authenticate": 'Bearer realm="LKT-portalen"'},
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(404, _("Findes ikke, eller du har ikke adgang."), instance=request.path[:500])


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return problem(403, _("Din rolle giver ikke adgang til dette."), instance=request.path[:500])


@api.exception_handler(DjangoValidationError)
def _rejected(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
    fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    errors = [{"loc": [field], "msg": msg} for field, msgs in fields.items() for msg in msgs]
    return problem(422, _("Data er ikke gyldige."), instance=request.path[:500], errors=errors)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return problem(413, _("Del data op i mindre portioner."), instance=request.path[:500])


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error.__cause__, ProblemError):  # ninja wraps the body parser's own problem
        return _problem(request, error.__cause__)
    return problem(error.status_code, str(error), instance=request.path[:500])


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    log.exception("API request %s %s failed", request.method, request.path)
    return problem(500, instance=request.path[:500])
