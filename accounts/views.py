"""Pages for one's own account: accepting an invitation (setting the first password)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.access import get_invitation_by_token
from accounts.forms import AcceptInvitationForm
from accounts.models import Invitation
from accounts.services import invitation_accept


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation_by_token(token)
    if invitation is None or not invitation.can_be_accepted:
        return _invalid_invitation(request, invitation)
    form = AcceptInvitationForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["new_password1"]
        try:
            person = invitation_accept(invitation=invitation, password=password)
        except ValidationError:  # used or withdrawn since the page was opened
            return _invalid_invitation(request, invitation)
        login(request, person, backend="accounts.backends.CachedModelBackend")
        messages.success(
            request,
            _("Velkommen til LKT-portalen, %(name)s! Din bruger er aktiveret, og du er logget ind.")
            % {"name": person.first_name or person},
        )
        return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _invalid_invitation(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """A friendly page for an unknown (404), used or expired (410) invitation link."""
    status = 404 if invitation is None else 410
    return render(request, "accounts/invitation_invalid.html", {"invitation": invitation},
                  status=status)  # fmt: skip
