"""Two-factor authentication with time-based one-time codes (TOTP, django-otp).

Everyone may turn it on from their profile; administrators and national project leads must
(`needs_two_factor`), enforced by `accounts.middleware.TwoFactorMiddleware`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.http import AuthenticatedRequest
from accounts.models import SecurityEvent
from accounts.roles import roles_of
from accounts.security import record
from accounts.services import two_factor_confirm, two_factor_device

ISSUER = "LKT-portalen"
HAS_DEVICE_KEY = "lkt_has_2fa"  # in the session from login on, so no request asks the database


def needs_two_factor(user: Any) -> bool:
    """Administrators and national project leads must use a second factor."""
    return bool(user.is_superuser or roles_of(user).lead_programmes)


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/"


def _qr_svg(device: TOTPDevice, email: str) -> str:
    uri = device.config_url.replace(quote(device.name), quote(f"{ISSUER}:{email}"))
    return segno.make(uri, error="m").svg_inline(scale=5, title=_("QR-kode til din app"))


@require_http_methods(["GET", "POST"])
@login_required
def setup_two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Show a QR code for an authenticator app and confirm it with the first code."""
    user = request.user
    if has_device(user) and not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = two_factor_device(user)
    if request.method == "POST":
        if device.verify_token((request.POST.get("token") or "").replace(" ", "")):
            two_factor_confirm(device)
            otp_login(request, device)
            request.session[HAS_DEVICE_KEY] = True
            record(SecurityEvent.Kind.TWO_FACTOR_ENABLED, request)
            messages.success(request, _("Totrinsbekræftelse er slået til for din bruger."))
            return redirect(_next_url(request))
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request)
        messages.error(
            request, _("Koden passede ikke. Tjek uret på telefonen, og prøv med den nye kode.")
        )
    context = {
        "qr": mark_safe(_qr_svg(device, user.email)),  # noqa: S308 -- segno's own SVG
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "required": needs_two_factor(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def verify_two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for the current code after the password."""
    if request.method == "POST":
        device = match_token(request.user, (request.POST.get("token") or "").replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request)
        messages.error(request, _("Koden passede ikke. Prøv igen med den kode, appen viser nu."))
    return render(request, "accounts/two_factor_verify.html", {"next": _next_url(request)})
