"""The security trail: logins, failures, lockouts and denials are written as `SecurityEvent`s."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

from accounts.models import SecurityEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, as the outermost of the AXES_IPWARE_PROXY_COUNT proxies saw it.

    Each proxy appends the address it was reached from to X-Forwarded-For, and the innermost one is
    REMOTE_ADDR; so of N proxies the N-th entry from the right is the client, and whatever a client
    wrote into the header itself stays further left and is never taken. django-ipware counts only
    the proxies listed in the header (one fewer) and, not strict, ignores extra entries on the
    left. Without proxies the header is ignored. django-axes asks this function too
    (AXES_CLIENT_IP_CALLABLE), so the trail, the audit log and the lockouts agree.
    """
    if request is None:
        return None
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    if proxies:
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None


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
