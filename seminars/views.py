"""Pages for seminars: calendar, plan/edit, cancel, invite teams, register and unregister."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from accounts.roles import roles_of
from core.forms import add_errors
from core.paging import paginate
from programmes.access import get_programme_for_user
from seminars.access import (
    get_seminar_for_user,
    may_register,
    may_unregister,
    registrable_teams,
    registration_choices,
)
from seminars.forms import (
    CalendarFilterForm,
    CancelSeminarForm,
    InviteTeamsForm,
    RegistrationForm,
    SeminarForm,
)
from seminars.models import Registration, Seminar
from seminars.selectors import (
    seminar_calendar,
    seminar_invitations,
    seminar_materials,
    seminar_registrations,
    seminars_registered_for,
)
from seminars.services import (
    seminar_cancel,
    seminar_invite_teams,
    seminar_plan,
    seminar_register,
    seminar_unregister,
    seminar_update,
)
from teams.models import TeamMember

PARTICIPANTS_PER_PAGE = 50


@require_GET
@login_required
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    filters = CalendarFilterForm(request.GET)
    options = filters.filters()
    page = paginate(request, seminar_calendar(**options))
    others = request.GET.copy()
    for key in ("page", "when"):
        others.pop(key, None)
    context = {
        "filter": filters,
        "past": options["past"],
        "filter_query": others.urlencode(),
        "registered": seminars_registered_for(request.user, page["object_list"]),
        **page,
    }
    return render(request, "seminars/seminar_calendar.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def create_seminar(request: AuthenticatedRequest, programme_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_pk, "seminars.manage_seminar")
    form = SeminarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seminar = seminar_plan(programme=programme, by=request.user, **form.seminar_fields())
        except ValidationError as error:
            add_errors(form, error, field_for=_FIELD_FOR)
        else:
            messages.success(
                request, _("Seminaret “%(seminar)s” er planlagt.") % {"seminar": seminar}
            )
            return redirect("seminars:detail", seminar.pk)
    return render(request, "seminars/seminar_form.html", {"form": form, "programme": programme})


@require_http_methods(["GET", "POST"])
@login_required
def edit_seminar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk, "seminars.manage_seminar")
    if seminar.is_cancelled:
        messages.error(request, _("Et aflyst seminar kan ikke redigeres."))
        return redirect("seminars:detail", seminar.pk)
    form = SeminarForm(request.POST or None, initial=SeminarForm.initial_for(seminar))
    if request.method == "POST" and form.is_valid():
        try:
            seminar_update(seminar=seminar, by=request.user, **form.seminar_fields())
        except ValidationError as error:
            add_errors(form, error, field_for=_FIELD_FOR)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("seminars:detail", seminar.pk)
    context = {"form": form, "programme": seminar.programme, "seminar": seminar}
    return render(request, "seminars/seminar_form.html", context)


@require_GET
@login_required
def show_seminar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_seminar_for_user(request.user, pk))


@require_POST
@login_required
def cancel_seminar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk, "seminars.manage_seminar")
    form = CancelSeminarForm(request.POST)
    if form.is_valid():
        try:
            seminar_cancel(seminar=seminar, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render_detail(request, seminar)
        messages.success(request, _("Seminaret er aflyst."))
        return redirect("seminars:detail", seminar.pk)
    return _render_detail(request, seminar, cancel_form=form)


@require_POST
@login_required
def invite_teams(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk, "seminars.manage_seminar")
    invited = [invitation.team for invitation in seminar_invitations(seminar)]
    form = InviteTeamsForm(request.POST, seminar=seminar, invited=invited)
    if form.is_valid():
        try:
            added, removed = seminar_invite_teams(
                seminar=seminar, teams=form.cleaned_data["teams"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error, field_for=_FIELD_FOR)
        else:
            messages.success(
                request,
                _("Invitationerne er gemt: %(added)s inviteret, %(removed)s trukket tilbage.")
                % {"added": len(added), "removed": len(removed)},
            )
            return redirect("seminars:detail", seminar.pk)
    return _render_detail(request, seminar, invite_form=form)


@require_POST
@login_required
def register_participant(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk)
    invited = [invitation.team for invitation in seminar.invitations.select_related("team")]
    if not registration_choices(request.user, seminar, invited).exists():
        raise PermissionDenied
    members = TeamMember.objects.filter(team__in=invited).select_related("user", "team")
    form = RegistrationForm(request.POST, members=members)
    if not form.is_valid():
        problems = form.errors.get("member", [_("Vælg en deltager.")])
        messages.error(request, " ".join(str(problem) for problem in problems))
        return _render_detail(request, seminar)
    member = form.cleaned_data["member"]
    if not may_register(request.user, member):
        raise PermissionDenied
    try:
        seminar_register(seminar=seminar, user=member.user, team=member.team, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_detail(request, seminar)
    messages.success(request, _("%(person)s er tilmeldt.") % {"person": member.user})
    return redirect("seminars:detail", seminar.pk)


@require_POST
@login_required
def unregister_participant(
    request: AuthenticatedRequest, pk: int, registration_pk: int
) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("user", "team"), pk=registration_pk, seminar=seminar
    )
    if not may_unregister(request.user, registration):
        raise PermissionDenied
    try:
        seminar_unregister(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_detail(request, seminar)
    messages.success(request, _("%(person)s er afmeldt.") % {"person": registration.user})
    return redirect("seminars:detail", seminar.pk)


def _render_detail(
    request: AuthenticatedRequest,
    seminar: Seminar,
    *,
    cancel_form: CancelSeminarForm | None = None,
    invite_form: InviteTeamsForm | None = None,
) -> HttpResponse:
    """The seminar page; the POST views re-render it with their form's errors."""
    user = request.user
    programme = seminar.programme
    may_manage = user.has_perm("seminars.manage_seminar", programme)
    sees_participants = user.has_perm("teams.view_teams", programme)
    invitations = seminar_invitations(seminar)
    invited = [invitation.team for invitation in invitations]
    is_open = not seminar.is_cancelled and seminar.starts_at > timezone.now()
    my_registration = seminar.registrations.filter(user=user, cancelled_at__isnull=True).first()
    context = {
        "seminar": seminar,
        "programme": programme,
        "may_edit": may_manage and not seminar.is_cancelled,
        "sees_participants": sees_participants,
        "invitations": invitations if sees_participants else None,
        "invited_count": len(invitations),
        "is_open": is_open,
        "my_registration": my_registration,
        "materials": seminar_materials(seminar),
        "may_manage": may_manage,
    }
    if sees_participants:
        page = paginate(request, seminar_registrations(seminar), PARTICIPANTS_PER_PAGE)
        for registration in page["object_list"]:
            registration.may_unregister = is_open and may_unregister(user, registration)
        context.update(page)
    if is_open:
        offered = list(registration_choices(user, seminar, invited))
        registered = set(
            seminar.registrations.filter(cancelled_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
        own_teams = roles_of(user).teams
        context["own_memberships"] = [
            member
            for member in offered
            if member.user_id == user.pk and member.team_id in own_teams
        ]
        if registrable_teams(user, invited):
            form = RegistrationForm(members=TeamMember.objects.none())
            form.offer(offered, registered)
            context["register_form"] = form
    if may_manage and is_open:  # cancelling or inviting ends when the seminar begins
        context["cancel_form"] = cancel_form or CancelSeminarForm()
        context["invite_form"] = invite_form or InviteTeamsForm(seminar=seminar, invited=invited)
    return render(request, "seminars/seminar_detail.html", context)


# Service errors name the seminar's fields; the form splits the times into separate inputs.
_FIELD_FOR = {"starts_at": "date", "ends_at": "end_time", "cancel_reason": "reason"}
