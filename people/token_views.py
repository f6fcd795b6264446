"""One's API tokens and calendar address, on the profile page: made (shown once) and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import AccessTokenForm
from accounts.http import AuthenticatedRequest
from accounts.models import AccessToken
from accounts.tokens import calendar_feed_create, calendar_feed_revoke, token_create, token_revoke
from core.forms import add_errors
from people.views import profile_page


@require_POST
@login_required
def create_token(request: AuthenticatedRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            # Shown on this answer only: the secret is stored nowhere, not even in the session.
            return render(request, "accounts/secret_shown.html", {"token": token, "secret": secret})
    return profile_page(request, token_form=form)


@require_POST
@login_required
def revoke_token(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, _("Nøglen “%(name)s” er tilbagekaldt.") % {"name": token.name})
    return redirect(reverse("accounts:profile") + "#api-tokens")


@require_POST
@login_required
def create_calendar_feed(request: AuthenticatedRequest) -> HttpResponse:
    _feed, secret = calendar_feed_create(user=request.user)
    url = request.build_absolute_uri(reverse("api:seminar_feed", kwargs={"secret": secret}))
    return render(request, "accounts/secret_shown.html", {"calendar_url": url})


@require_POST
@login_required
def revoke_calendar_feed(request: AuthenticatedRequest) -> HttpResponse:
    calendar_feed_revoke(user=request.user)
    messages.success(request, _("Din kalenderadresse virker ikke længere."))
    return redirect(reverse("accounts:profile") + "#calendar-feed")
