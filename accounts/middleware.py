"""Session timeouts, two-factor enforcement and the trail of permission denials."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import auditlog.middleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import SecurityEvent
from accounts.security import client_ip, record
from accounts.two_factor import HAS_DEVICE_KEY, needs_two_factor

Handler = Callable[[HttpRequest], HttpResponse]


class SessionTimeoutMiddleware:
    """Log out after LKT_SESSION_IDLE_SECONDS idle, or LKT_SESSION_ABSOLUTE_SECONDS in all."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get("lkt_login_at", now)  # set at login (accounts.signals)
            last = session.get("lkt_last_seen", started)
            idle = now - last > settings.LKT_SESSION_IDLE_SECONDS
            too_long = now - started > settings.LKT_SESSION_ABSOLUTE_SECONDS
            if idle or too_long:
                logout(request)
                messages.info(
                    request,
                    _("Du er logget ud, fordi du ikke har brugt portalen i et stykke tid.")
                    if idle
                    else _("Du er logget ud, fordi du har været logget ind længe. Log ind igen."),
                )
                return redirect(
                    f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if now - last >= 30:  # save the session at most every half minute
                session["lkt_last_seen"] = now
        return self.get_response(request)


# Pages a person must reach before their second factor is confirmed.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/logout/", "/brugere/totrin/")


class TwoFactorMiddleware:
    """Administrators and national project leads must use a second factor; anyone may."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            next_query = urlencode({"next": request.get_full_path()})
            if request.session.get(HAS_DEVICE_KEY):
                return redirect(f"{reverse('accounts:two_factor_verify')}?{next_query}")
            if settings.LKT_ENFORCE_2FA and _needs_two_factor(request, user):
                return redirect(f"{reverse('accounts:two_factor_setup')}?{next_query}")
        return self.get_response(request)


NEEDS_TWO_FACTOR_KEY = "lkt_needs_2fa"  # [person, roles_version, answer]


def _needs_two_factor(request: HttpRequest, user: Any) -> bool:
    """`needs_two_factor`, remembered in the session for the version of the person's roles it
    was asked for: the roles are not fetched from the cache on every page of someone who has no
    second factor, and a new post (which moves `roles_version`) asks again on the next request."""
    if user.is_superuser:
        return True
    known = request.session.get(NEEDS_TWO_FACTOR_KEY)
    if isinstance(known, list) and len(known) == 3 and known[:2] == [user.pk, user.roles_version]:
        return bool(known[2])
    answer = needs_two_factor(user)
    request.session[NEEDS_TWO_FACTOR_KEY] = [user.pk, user.roles_version, answer]
    return answer


class DeniedTrailMiddleware:
    """Every 403 answer (a refused permission) is written to the security trail."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            record(SecurityEvent.Kind.PERMISSION_DENIED, request)
        return response


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's, with the client's address from `client_ip` (not the spoofable header)."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
