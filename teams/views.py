"""Pages for improvement teams: list, detail, create/edit, and the members (an htmx partial)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from core.paging import paginate
from programmes.access import get_programme_for_user
from teams.access import get_member_for_user, get_team_for_user
from teams.forms import TeamFilter, TeamForm, TeamMemberForm
from teams.models import ImprovementTeam, SustainmentPlan, TeamMember
from teams.selectors import (
    member_candidates,
    programmes_with_visible_teams,
    regions_for_new_team,
    team_list,
    team_members,
    team_organisations_by_sector,
    team_pdsa_cycles,
    team_seminars,
)
from teams.services import (
    team_add_member,
    team_change_member_role,
    team_create,
    team_remove_member,
    team_update,
)

CYCLES_ON_TEAM_PAGE = 5


@require_GET
@login_required
def list_teams(request: AuthenticatedRequest) -> HttpResponse:
    programmes = programmes_with_visible_teams(request.user)
    teams = TeamFilter(request.GET, queryset=team_list(request.user), programmes=programmes)
    context = {"filter": teams, **paginate(request, teams.qs)}
    return render(request, "teams/team_list.html", context)


@require_GET
@login_required
def show_team(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk)
    return render(request, "teams/team_detail.html", _detail_context(request, team))


@require_http_methods(["GET", "POST"])
@login_required
def create_team(request: AuthenticatedRequest, programme_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_pk, "teams.add_team")
    form = TeamForm(
        request.POST or None,
        instance=ImprovementTeam(programme=programme),
        programme=programme,
        regions=regions_for_new_team(request.user, programme),
        initial={"region": request.GET.get("region")} if "region" in request.GET else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Teamet “%(name)s” er oprettet.") % {"name": team.name})
            return redirect("teams:detail", team.pk)
    return render(request, "teams/team_form.html", {"form": form, "programme": programme})


@require_http_methods(["GET", "POST"])
@login_required
def edit_team(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk, "teams.change_team")
    original_name = team.name
    form = TeamForm(request.POST or None, instance=team, programme=team.programme)
    if request.method == "POST" and form.is_valid():
        try:
            team_update(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("teams:detail", team.pk)
    team.name = original_name  # the form has written its (refused) input onto the instance
    context = {"form": form, "programme": team.programme, "team": team}
    return render(request, "teams/team_form.html", context)


@require_POST
@login_required
def add_member(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk, "teams.manage_team_members")
    form = TeamMemberForm(request.POST, team=team, by=request.user)
    if form.is_valid():
        try:
            member = team_add_member(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s er tilføjet som %(role)s.")
                % {"person": member.user, "role": member.get_role_display().lower()},
            )
            return _members_changed(request, team)
    return _members_changed(request, team, form)


@require_GET
@login_required
def search_people(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: the first few people matching the search whom the user may add to the team."""
    team = get_team_for_user(request.user, pk, "teams.manage_team_members")
    query = request.GET.get("q", "")[:100]
    context = {"people": member_candidates(request.user, team, query), "query": query}
    return render(request, "includes/_person_results.html", context)


@require_POST
@login_required
def change_member_role(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, member_pk)
    try:
        team_change_member_role(member=member, by=request.user, role=request.POST.get("role", ""))
    except ValidationError:
        messages.error(request, _("Vælg en af rollerne på listen."))
    else:
        messages.success(
            request,
            _("Rollen for %(person)s er ændret til %(role)s.")
            % {"person": member.user, "role": member.get_role_display().lower()},
        )
    return _members_changed(request, member.team)


@require_POST
@login_required
def remove_member(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, member_pk)
    team_remove_member(member=member, by=request.user)
    messages.success(request, _("%(person)s er fjernet fra teamet.") % {"person": member.user})
    return _members_changed(request, member.team)


def _members_changed(
    request: AuthenticatedRequest, team: ImprovementTeam, form: TeamMemberForm | None = None
) -> HttpResponse:
    """htmx: the member list again; otherwise back to the team (or the page with the errors)."""
    if request.htmx:
        context = _members_context(request, team, form)
        return render(request, "teams/_members.html", context)
    if form is not None:
        return render(request, "teams/team_detail.html", _detail_context(request, team, form))
    return redirect(reverse("teams:detail", args=[team.pk]) + "#team-members")


def _members_context(
    request: AuthenticatedRequest, team: ImprovementTeam, form: TeamMemberForm | None = None
) -> dict:
    may_manage = request.user.has_perm("teams.manage_team_members", team)
    return {
        "team": team,
        "members": team_members(team),
        "member_form": (form or TeamMemberForm(team=team, by=request.user)) if may_manage else None,
        "roles": TeamMember.Role.choices,
    }


def _detail_context(
    request: AuthenticatedRequest, team: ImprovementTeam, form: TeamMemberForm | None = None
) -> dict:
    return {
        **_members_context(request, team, form),
        "programme": team.programme,
        "sectors": team_organisations_by_sector(team),
        # The newest few; the PDSA page (learning) lists and filters them all.
        "pdsa_cycles": team_pdsa_cycles(team)[:CYCLES_ON_TEAM_PAGE],
        "seminars": team_seminars(team),
        "sustainment_plan": SustainmentPlan.objects.filter(team=team).first(),
    }
