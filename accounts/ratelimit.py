"""Rate limits on what costs the server or an inbox: PDFs, exports, reset and invitation mails.

Counted in the "ratelimit" cache (Redis in production, so every web worker shares the count) rather
than with django-ratelimit, whose refusals are 403s (our trail would count them as permission
denials) without a Retry-After, and whose windows are fixed to the clock, so a burst on a boundary
gets twice the limit. Here a window opens with a client's first request and lasts its period.
Limits: `settings.LKT_RATE_LIMITS`, scope → (requests, seconds).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import SecurityEvent
from accounts.security import client_ip, record

logger = logging.getLogger(__name__)

Key = Callable[[HttpRequest], str]
View = Callable[..., HttpResponse]


def by_person(request: HttpRequest) -> str:
    """The signed-in person (their own budget wherever they sign in from), else the client."""
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else by_client(request)


def by_client(request: HttpRequest) -> str:
    return f"ip:{client_ip(request)}"


def by_posted_email(request: HttpRequest) -> str:
    """The e-mail address asked for, as the portal compares them (case and spaces do not count)."""
    address = (request.POST.get("email") or "").strip().lower()
    return "email:" + hashlib.sha256(address.encode()).hexdigest()


def seconds_to_wait(scope: str, key: str) -> int:
    """Count one request; 0 while within the limit, else the seconds until the window closes."""
    count_limit, period = settings.LKT_RATE_LIMITS[scope]
    cache = caches["ratelimit"]
    name = f"rl:{scope}:{key}"
    now = time.time()
    try:
        cache.add(f"{name}:since", now, period)
        cache.add(name, 0, period)
        try:
            count = cache.incr(name)
        except ValueError:  # the window closed between the two calls
            cache.set(name, 1, period)
            count = 1
        if count <= count_limit:
            return 0
        since = cache.get(f"{name}:since") or now
    except Exception:  # a broken cache must not take the portal down with it: let the request in
        logger.exception("Rate limit %s not checked", scope)
        return 0
    return max(1, int(since + period - now + 0.999))


def rate_limited(scope: str, key: Key = by_person, methods: tuple[str, ...] = ()) -> Any:
    """Answer 429 (a Danish page with Retry-After) once `key`'s requests exceed `scope`'s limit.

    Only `methods` count when given (a form's page is free, sending it is not).
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not methods or request.method in methods:
                wait = seconds_to_wait(scope, key(request))
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    record(SecurityEvent.Kind.RATE_LIMITED, request)
    minutes = max(1, (wait + 59) // 60)
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response
