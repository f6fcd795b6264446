"""The answer when a request fails: 503 while the database is unreachable, else a plain 500.

Django calls `handler500` inside the `except` block of the failed request, so `sys.exc_info()`
names the error (Django has logged it already, traceback and all). The pages are rendered
without the request: the `auth` context processor would look up the user, which needs the very
database that is gone. Should even that rendering fail, a fixed page goes out instead, never
gunicorn's bare "Internal Server Error".
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger(__name__)

# Django wraps psycopg's errors in its own; the originals are listed for code that uses psycopg
# directly (a raw COPY), where nothing wraps them.
UNREACHABLE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
try:
    import psycopg

    UNREACHABLE += (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover -- SQLite-only installations
    pass

RETRY_AFTER_SECONDS = 30

_FALLBACK = {
    503: (
        '<!doctype html><html lang="da"><meta charset="utf-8"><title>LKT-portalen</title>'
        "<h1>Portalen kan ikke nå sin database lige nu</h1>"
        "<p>Prøv igen om et øjeblik. Intet af det, du har gemt tidligere, er gået tabt.</p></html>"
    ),
    500: (
        '<!doctype html><html lang="da"><meta charset="utf-8"><title>LKT-portalen</title>'
        "<h1>Der skete en fejl</h1><p>Fejlen er logget. Prøv igen, eller kontakt "
        "portalens administrator, hvis den bliver ved.</p></html>"
    ),
}


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether the error (or one it was raised from) says the database cannot be reached."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, UNREACHABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: 503 with Retry-After when the database is down, else 500."""
    if not database_unreachable(sys.exc_info()[1]):
        return _page("500.html", 500)
    if request.path.startswith("/healthz"):
        # A probe that happened to send a session cookie still gets the health check's JSON.
        body = {"status": "error", "database": {"ok": False, "detail": "unavailable"}}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = _page("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page(template: str, status: int) -> HttpResponse:
    try:
        content = loader.get_template(template).render({"retry_after": RETRY_AFTER_SECONDS})
    except Exception:  # noqa: BLE001 -- the error page itself must not fail
        log.exception("The error page %s could not be rendered", template)
        content = _FALLBACK[status]
    return HttpResponse(content, status=status, content_type="text/html; charset=utf-8")
