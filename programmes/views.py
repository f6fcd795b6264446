"""Pages for programmes: list, detail, create/edit, status workflow, goals and expert group."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from core.paging import paginate
from programmes.access import get_programme_for_user
from programmes.filters import ProgrammeFilter
from programmes.forms import ExpertMemberForm, GoalForm, ProgrammeForm, StatusChangeForm
from programmes.models import ExpertMember, ImprovementGoal
from programmes.selectors import (
    expert_candidates,
    programme_list,
    sustainment_summary,
    teams_by_region,
)
from programmes.services import (
    expert_add,
    expert_change_role,
    expert_group_of,
    expert_remove,
    goal_add,
    goal_move,
    goal_remove,
    goal_update,
    programme_change_status,
    programme_create,
    programme_update,
)


@require_GET
@login_required
def list_programmes(request: AuthenticatedRequest) -> HttpResponse:
    programmes = ProgrammeFilter(request.GET, queryset=programme_list(request.user))
    context = {"filter": programmes, **paginate(request, programmes.qs)}
    return render(request, "programmes/programme_list.html", context)


@require_GET
@login_required
def show_programme(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    can_see_teams = request.user.has_perm("teams.view_teams", programme)
    context = {
        "programme": programme,
        "goals": programme.goals.select_related("indicator__programme"),
        "leads": programme.leads.select_related("user", "organisation"),
        "experts": ExpertMember.objects.filter(group__programme=programme)
        .select_related("user", "organisation")
        .order_by("role", "user__first_name"),
        "region_teams": teams_by_region(programme) if can_see_teams else None,
        "seminars": programme.seminars.order_by("starts_at"),
        "indicators": programme.indicators.filter(is_active=True),
        "history": programme.status_changes.select_related("changed_by")[:5],
        "goal_form": GoalForm(instance=ImprovementGoal(programme=programme)),
        "sustainment": sustainment_summary(programme) if can_see_teams else None,
    }
    return render(request, "programmes/programme_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("programmes.add_programme", raise_exception=True)
def create_programme(request: AuthenticatedRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items()}
        programme = programme_create(by=request.user, **fields)
        messages.success(request, _("Programmet “%(name)s” er oprettet.") % {"name": programme})
        return redirect("programmes:detail", programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def edit_programme(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.change_programme")
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme_update(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("programmes:detail", programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@require_http_methods(["GET", "POST"])
@login_required
def change_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    can_change = request.user.has_perm("programmes.change_programme_status", programme)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = StatusChangeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme_change_status(
                programme=programme,
                status=form.cleaned_data["status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                sustainment_start=form.cleaned_data.get("sustainment_start"),
                sustainment_frequency=form.cleaned_data.get("sustainment_frequency", ""),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Status er ændret til “%(status)s”.")
                % {"status": programme.get_status_display()},
            )
            return redirect("programmes:detail", programme.pk)
    context = {
        "programme": programme,
        "form": form if can_change else None,
        "history": programme.status_changes.select_related("changed_by"),
    }
    return render(request, "programmes/programme_status.html", context)


@require_POST
@login_required
def add_goal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.change_programme")
    form = GoalForm(request.POST, instance=ImprovementGoal(programme=programme))
    if form.is_valid():
        try:
            goal_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        messages.error(request, _("Målet blev ikke gemt: %(errors)s") % {"errors": _errors(form)})
    else:
        messages.success(request, _("Målet er tilføjet."))
    return redirect("programmes:detail", programme.pk)


@require_http_methods(["GET", "POST"])
@login_required
def edit_goal(request: AuthenticatedRequest, pk: int, goal_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.change_programme")
    goal = get_object_or_404(ImprovementGoal, pk=goal_pk, programme=programme)
    # The form works on a copy: a refused form must not leave its values on the goal.
    form = GoalForm(request.POST or None, instance=ImprovementGoal.objects.get(pk=goal.pk))
    if request.method == "POST" and form.is_valid():
        try:
            goal_update(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Målet er gemt."))
            return redirect(reverse("programmes:detail", args=[programme.pk]) + "#goals")
    context = {"programme": programme, "goal": goal, "form": form}
    return render(request, "programmes/goal_form.html", context)


@require_POST
@login_required
def move_goal(request: AuthenticatedRequest, pk: int, goal_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.change_programme")
    goal = get_object_or_404(ImprovementGoal, pk=goal_pk, programme=programme)
    goal_move(goal=goal, up=request.POST.get("retning") != "ned", by=request.user)
    return redirect(reverse("programmes:detail", args=[programme.pk]) + "#goals")


@require_POST
@login_required
def remove_goal(request: AuthenticatedRequest, pk: int, goal_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.change_programme")
    goal = get_object_or_404(ImprovementGoal, pk=goal_pk, programme=programme)
    goal_remove(goal=goal, by=request.user)
    messages.success(request, _("Målet er fjernet."))
    return redirect("programmes:detail", programme.pk)


@require_http_methods(["GET", "POST"])
@login_required
def manage_expert_group(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    can_manage = request.user.has_perm("programmes.manage_expert_group", programme)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    group = expert_group_of(programme)
    form = ExpertMemberForm(request.POST or None, instance=ExpertMember(group=group))
    if request.method == "POST" and form.is_valid():
        try:
            member = expert_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("%(person)s er tilføjet til ekspertgruppen.") % {"person": member.user}
            )
            return redirect("programmes:expert_group", programme.pk)
    members = group.members.select_related("user", "organisation").order_by("role", "user__email")
    context = {
        "programme": programme,
        "members": members,
        "form": form if can_manage else None,
        "roles": ExpertMember.Role.choices,
    }
    return render(request, "programmes/expert_group.html", context)


@require_GET
@login_required
def search_experts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: the first few people matching the search who could join the expert group."""
    programme = get_programme_for_user(request.user, pk, "programmes.manage_expert_group")
    query = request.GET.get("q", "")[:100]
    people = expert_candidates(expert_group_of(programme), query)
    return render(request, "includes/_person_results.html", {"people": people, "query": query})


@require_POST
@login_required
def change_expert_role(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.manage_expert_group")
    member = get_object_or_404(ExpertMember, pk=member_pk, group__programme=programme)
    try:
        expert_change_role(member=member, role=request.POST.get("role", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Rollen for %(person)s er ændret til %(role)s.")
            % {"person": member.user, "role": member.get_role_display()},
        )
    return redirect("programmes:expert_group", programme.pk)


@require_POST
@login_required
def remove_expert(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, "programmes.manage_expert_group")
    member = get_object_or_404(ExpertMember, pk=member_pk, group__programme=programme)
    expert_remove(member=member, by=request.user)
    messages.success(
        request, _("%(person)s er fjernet fra ekspertgruppen.") % {"person": member.user}
    )
    return redirect("programmes:expert_group", programme.pk)


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
