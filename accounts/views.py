"""Pages for people: the user list, invitations, (de)activation and one's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import (
    check_may_invite_to,
    deactivation_refusal,
    get_invitation_by_token,
    get_person_for_user,
)
from accounts.forms import (
    AcceptInvitationForm,
    InviteForm,
    ProfileForm,
    UserSearchForm,
)
from accounts.models import Invitation
from accounts.selectors import invite_targets, roles_overview, status_of, user_list
from accounts.services import (
    invitation_accept,
    invitation_resend,
    user_deactivate,
    user_invite,
    user_reactivate,
)
from accounts.two_factor import HAS_DEVICE_KEY
from lkt_portal.paging import paginate
from lkt_portal.roles import roles_of


@require_GET
@login_required
@permission_required("accounts.invite_user", raise_exception=True)
def list_users(request: HttpRequest) -> HttpResponse:
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
def invite_user(request: HttpRequest) -> HttpResponse:
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
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
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
def deactivate_user(request: HttpRequest, pk: int) -> HttpResponse:
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
def reactivate_user(request: HttpRequest, pk: int) -> HttpResponse:
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
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    try:
        invitation_resend(person=person, by=request.user, site_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("En ny invitation er sendt til %(email)s.")
                         % {"email": person.email})  # fmt: skip
    return redirect("accounts:list")


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
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Velkommen til LKT-portalen, %(name)s! Din bruger er aktiveret, og du er logget ind.")
            % {"name": person.first_name or person},
        )
        return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Din profil er gemt."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "has_two_factor": request.session.get(HAS_DEVICE_KEY, False),
        **roles_overview(request.user),
    }
    return render(request, "accounts/profile.html", context)


def _invalid_invitation(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """A friendly page for an unknown (404), used or expired (410) invitation link."""
    status = 404 if invitation is None else 410
    return render(request, "accounts/invitation_invalid.html", {"invitation": invitation},
                  status=status)  # fmt: skip
