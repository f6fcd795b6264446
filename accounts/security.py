"""The security trail: logins, failures, lockouts and denials are written as `SecurityEvent`s."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import SecurityEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; behind the proxy, the first X-Forwarded-For entry it set."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return address or None


def record(
    kind: str, request: HttpRequest | None = None, *, user: Any = None, username: str = ""
) -> SecurityEvent:
    """Write one event; the request gives the address, path and (unless given) the user."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if isinstance(user, User) else None,
        username=(username or (user.email if isinstance(user, User) else ""))[:254],
        ip_address=client_ip(request),
        path=(request.get_full_path() if request is not None else "")[:500],
        method=(request.method or "") if request is not None else "",
    )
