"""Two-factor authentication with time-based one-time codes (TOTP, django-otp).

Everyone may turn it on from their profile; administrators, national project leads and regional
coordinators must (`needs_two_factor`), enforced by `accounts.middleware.TwoFactorMiddleware`.
Confirming the app also makes ten one-time recovery codes (django-otp's static device), shown
once; each lets one in once at the code step when the phone is lost.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.http import AuthenticatedRequest
from accounts.models import SecurityEvent
from accounts.roles import roles_of
from accounts.security import record
from accounts.services import two_factor_confirm, two_factor_device, two_factor_recovery_codes

ISSUER = "LKT-portalen"
HAS_DEVICE_KEY = "lkt_has_2fa"  # in the session from login on, so no request asks the database
NEW_CODES_KEY = "lkt_new_recovery_codes"  # shown on the next page, then gone


def needs_two_factor(user: Any) -> bool:
    """Administrators, national project leads and regional coordinators must use a second factor.

    Coordinators administer the personal data of everyone in their regions' teams.
    """
    roles = roles_of(user)
    return bool(user.is_superuser or roles.lead_programmes or roles.regions)


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
            request.session[NEW_CODES_KEY] = two_factor_recovery_codes(user)
            next_query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('accounts:two_factor_recovery_codes')}?{next_query}")
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
            if isinstance(device, StaticDevice):
                record(SecurityEvent.Kind.RECOVERY_CODE_USED, request)
                text = _("Du brugte en reservekode; den virker ikke igen. "
                         "Lav nye reservekoder, hvis du er ved at løbe tør.")  # fmt: skip
                messages.warning(request, text)
            return redirect(_next_url(request))
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request)
        messages.error(request, _("Koden passede ikke. Prøv igen med den kode, appen viser nu."))
    return render(request, "accounts/two_factor_verify.html", {"next": _next_url(request)})


@require_http_methods(["GET", "POST"])
@login_required
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """New recovery codes are shown here once; a verified person may make new ones."""
    if request.method == "POST":
        if not request.user.is_verified():
            next_query = urlencode({"next": request.path})
            return redirect(f"{reverse('accounts:two_factor_verify')}?{next_query}")
        request.session[NEW_CODES_KEY] = two_factor_recovery_codes(request.user)
        return redirect("accounts:two_factor_recovery_codes")
    context = {
        "codes": request.session.pop(NEW_CODES_KEY, []),
        "remaining": StaticToken.objects.filter(device__user=request.user).count(),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_recovery_codes.html", context)
