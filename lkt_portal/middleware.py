"""Project-wide middleware: Danish first, and addresses the portal cannot read refused early."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

API_PREFIX = "/api/"
API_DOCS = "/api/v1/docs"


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but a browser's Accept-Language does not override Danish."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not chosen and request.path.startswith(API_PREFIX) and request.path != API_DOCS:
            # Programs have no language cookie: the API answers in the Accept-Language asked for
            # (the documentation page is the portal's, Danish first).
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response):  # noqa: ANN201 -- Django's type
        response = super().process_response(request, response)
        # Leave the thread in Danish: work after this request (or a test) must not inherit the
        # last visitor's choice.
        translation.activate(settings.LANGUAGE_CODE)
        return response


class RefuseNullBytesMiddleware:
    """A NUL byte in the address is never meant: answer 400 with a Danish page, before any view.

    Forms refuse NUL in their fields already (Django's CharField); this covers the query string,
    which views read directly (search boxes, filters) and PostgreSQL refuses in text. The body is
    left alone: reading it here would fix the upload handlers before the upload view sets them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pairs = ((key, value) for key, values in request.GET.lists() for value in values)
        if any("\x00" in key or "\x00" in value for key, value in pairs):
            return render(request, "400.html", status=400)
        return self.get_response(request)
