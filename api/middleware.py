"""Errors under /api/ that arise outside the API's own handlers become problem+json too.

The API's handlers (api/main.py) answer their own errors; this catches what is answered before or
around them: an unknown address (Django's 404 page), a refused method, a NUL byte in the query
string (lkt_portal's middleware), CSRF, a body too large, and the 500 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api.problems import is_problem, problem

PREFIX = "/api/"
KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow")


class ProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(PREFIX)
            or is_problem(response)
        ):
            return response
        kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return problem(response.status_code, instance=request.path[:500], headers=kept)
