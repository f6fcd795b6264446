"""The people pages: the user list, invitations into teams and expert groups, (de)activation,
and one's profile with roles and the personal-data download (composed from several apps)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import AccessTokenForm, ProfileForm
from accounts.http import AuthenticatedRequest
from accounts.models import SecurityEvent
from accounts.ratelimit import rate_limited
from accounts.roles import roles_of
from accounts.security import record
from accounts.services import (
    invitation_resend,
    profile_update,
    user_deactivate,
    user_reactivate,
)
from accounts.two_factor import HAS_DEVICE_KEY
from core.forms import add_errors
from core.paging import paginate
from people.access import check_may_invite_to, deactivation_refusal, get_person_for_user
from people.forms import InviteForm, UserSearchForm
from people.personal_data import personal_data
from people.selectors import invite_targets, roles_overview, status_of, user_list
from people.services import user_invite


@require_GET
@login_required
@permission_required("accounts.invite_user", raise_exception=True)
def list_users(request: AuthenticatedRequest) -> HttpResponse:
    search = UserSearchForm(request.GET)
    search.is_valid()
    people = user_list(
        request.user,
        query=search.cleaned_data.get("q", ""),
        status=search.cleaned_data.get("status", ""),
    )
    context = {"search": search, "roles": roles_of(request.user), **paginate(request, people)}
    for person in context["object_list"]:
        person.status = status_of(person)
        person.refusal = deactivation_refusal(request.user, person)
    return render(request, "accounts/user_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("accounts.invite_user", raise_exception=True)
@rate_limited("invitation", methods=("POST",))
def invite_user(request: AuthenticatedRequest) -> HttpResponse:
    teams, groups = invite_targets(request.user)
    form = InviteForm(
        request.POST or None, initial={"target": request.GET.get("target", "")},
        teams=teams, groups=groups,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        check_may_invite_to(request.user, fields["target"])
        try:
            result = user_invite(by=request.user, site_url=request.build_absolute_uri("/"),
                                 **fields)  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            if result.was_attached:
                text = _("%(person)s har allerede en bruger og er tilføjet direkte. Vi har sendt "
                         "en e-mail om det til %(email)s.")  # fmt: skip
            else:
                text = _("Invitationen er sendt til %(email)s. Linket virker i 14 dage.")
            messages.success(
                request, text % {"person": result.person, "email": result.person.email}
            )
            return redirect("accounts:list")
    has_targets = len(form.fields["target"].widget.choices) > 1
    return render(request, "accounts/invite_form.html", {"form": form, "has_targets": has_targets})


@require_POST
@login_required
def deactivate_user(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    refusal = deactivation_refusal(request.user, person)
    if refusal:
        return render(request, "accounts/refused.html", {"reason": refusal}, status=403)
    user_deactivate(person=person, by=request.user)
    messages.success(request, _("%(person)s er deaktiveret og kan ikke længere logge ind.")
                     % {"person": person})  # fmt: skip
    return redirect("accounts:list")


@require_POST
@login_required
def reactivate_user(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    refusal = deactivation_refusal(request.user, person)
    if refusal:
        return render(request, "accounts/refused.html", {"reason": refusal}, status=403)
    try:
        user_reactivate(person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s er genaktiveret.") % {"person": person})
    return redirect("accounts:list")


@require_POST
@login_required
@rate_limited("invitation")
def resend_invitation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    try:
        invitation_resend(person=person, by=request.user, site_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("En ny invitation er sendt til %(email)s.")
                         % {"email": person.email})  # fmt: skip
    return redirect("accounts:list")


@require_http_methods(["GET", "POST"])
@login_required
def edit_profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(person=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Din profil er gemt."))
            return redirect("accounts:profile")
    return profile_page(request, form=form)


def profile_page(
    request: AuthenticatedRequest,
    *,
    form: ProfileForm | None = None,
    token_form: AccessTokenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The profile page, with the forms as sent (errors and all) or fresh."""
    context = {
        "form": form or ProfileForm(instance=request.user),
        "has_two_factor": request.session.get(HAS_DEVICE_KEY, False),
        "token_form": token_form or AccessTokenForm(),
        "tokens": request.user.access_tokens.all(),
        "calendar_feed": request.user.calendar_feeds.filter(revoked_at__isnull=True).first(),
        **roles_overview(request.user),
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_GET
@login_required
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """Everything the portal holds about the signed-in person, as a JSON download."""
    record(SecurityEvent.Kind.DATA_EXPORTED, request)
    body = json.dumps(
        personal_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mine-data-lkt-{stamp}.json"'
    return response
