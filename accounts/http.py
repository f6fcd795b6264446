"""The request a signed-in page receives, typed for mypy (django-stubs' documented pattern)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request in a `login_required` view: `user` is a signed-in `User`, never anonymous.

    `htmx` is set on every request by django-htmx's `HtmxMiddleware`.
    """

    user: User
    htmx: HtmxDetails
