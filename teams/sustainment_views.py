"""Pages for sustainment (fastholdelse): the programme's national plan with its review dates
and the teams' plans, and each team's local plan with its approval and review log.

Both pages live here (mounted in the `programmes` and `teams` namespaces, see
`teams/sustainment_urls.py`): the programme's page lists the teams' plans, and programmes
does not import teams.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from accounts.roles import may_approve_sustainment_plan
from core.forms import add_errors
from programmes.access import get_programme_for_user
from programmes.forms import SustainmentReviewForm
from programmes.models import Programme, SustainmentReview
from programmes.services import (
    sustainment_review_add,
    sustainment_review_remove,
    sustainment_review_update,
)
from teams.access import get_team_for_user
from teams.models import ImprovementTeam, SustainmentPlan, TeamMember
from teams.sustainment import (
    national_plan_of,
    section_title,
    sustainment_log_add,
    sustainment_plan_approve,
    sustainment_plan_save,
    team_plan_of,
)
from teams.sustainment_forms import SECTION_HELP, SustainmentLogForm, SustainmentPlanForm


def _programme(request: AuthenticatedRequest, pk: int, change: bool = False) -> Programme:
    """The programme, 404 outside the LKT, 403 when the person may not keep its plan."""
    programme = get_programme_for_user(request.user, pk)
    if not request.user.has_perm("programmes.view_sustainment", programme):
        raise Http404
    if change and not request.user.has_perm("programmes.change_sustainment", programme):
        raise PermissionDenied
    return programme


@require_http_methods(["GET", "POST"])
@login_required
def programme_sustainment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, change=request.method == "POST")
    can_change = request.user.has_perm("programmes.change_sustainment", programme)
    plan = national_plan_of(programme)
    form = SustainmentPlanForm(request.POST or None, instance=national_plan_of(programme))
    if request.method == "POST" and form.is_valid() and _save_plan(request, form, plan):
        return redirect("programmes:sustainment", programme.pk)
    review_form = SustainmentReviewForm(instance=SustainmentReview(programme=programme))
    review_form.helper.form_action = reverse("programmes:add_sustainment_review", args=[pk])
    context = {
        "programme": programme,
        "plan": plan,
        "form": form if can_change else None,
        "review_form": review_form if can_change else None,
        "can_change": can_change,
        "sections": _sections(plan),
        "reviews": programme.sustainment_reviews.all(),
        "teams": ImprovementTeam.objects.filter(programme=programme)
        .select_related("region", "sustainment_plan__approved_by")
        .order_by("region__name", "name"),
    }
    return render(request, "teams/programme_sustainment.html", context)


@require_POST
@login_required
def add_sustainment_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, change=True)
    form = SustainmentReviewForm(request.POST, instance=SustainmentReview(programme=programme))
    if form.is_valid():
        try:
            sustainment_review_add(
                programme=programme, due_on=form.cleaned_data["due_on"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("Opfølgningen er planlagt."))
    return redirect(reverse("programmes:sustainment", args=[pk]) + "#reviews")


@require_http_methods(["GET", "POST"])
@login_required
def edit_sustainment_review(request: AuthenticatedRequest, pk: int, review_pk: int) -> HttpResponse:
    programme = _programme(request, pk, change=True)
    review = get_object_or_404(SustainmentReview, pk=review_pk, programme=programme)
    # The form works on a copy: a refused form must not leave its values on the review.
    form = SustainmentReviewForm(
        request.POST or None, instance=SustainmentReview.objects.get(pk=review.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            sustainment_review_update(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Opfølgningen er gemt."))
            return redirect(reverse("programmes:sustainment", args=[pk]) + "#reviews")
    context = {"programme": programme, "review": review, "form": form}
    return render(request, "teams/sustainment_review_form.html", context)


@require_POST
@login_required
def remove_sustainment_review(
    request: AuthenticatedRequest, pk: int, review_pk: int
) -> HttpResponse:
    programme = _programme(request, pk, change=True)
    review = get_object_or_404(SustainmentReview, pk=review_pk, programme=programme)
    sustainment_review_remove(review=review, by=request.user)
    messages.success(request, _("Opfølgningen er fjernet."))
    return redirect(reverse("programmes:sustainment", args=[pk]) + "#reviews")


@require_http_methods(["GET", "POST"])
@login_required
def team_sustainment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    permission = "teams.change_sustainment_plan" if request.method == "POST" else None
    team = get_team_for_user(request.user, pk, permission)
    can_change = request.user.has_perm("teams.change_sustainment_plan", team)
    plan = team_plan_of(team)
    form = SustainmentPlanForm(request.POST or None, instance=team_plan_of(team))
    if request.method == "POST" and form.is_valid() and _save_plan(request, form, plan):
        return redirect("teams:sustainment", team.pk)
    log_form = SustainmentLogForm()
    log_form.helper.form_action = reverse("teams:add_sustainment_log", args=[team.pk])
    context = {
        "team": team,
        "programme": team.programme,
        "plan": plan,
        "form": form if can_change else None,
        "log_form": log_form if can_change else None,
        "can_change": can_change,
        "can_approve": plan.pk
        and plan.state == SustainmentPlan.State.DRAFT
        and may_approve_sustainment_plan(request.user, team),
        "sections": _sections(plan),
        "log": plan.log.select_related("written_by") if plan.pk else [],
        "reviews": team.programme.sustainment_reviews.all(),
        "key_people": TeamMember.objects.filter(
            team=team, role__in=[TeamMember.Role.FORMAL_LEADER, TeamMember.Role.QUALITY_COORDINATOR]
        )
        .select_related("user")
        .order_by("role", "user__first_name"),
    }
    return render(request, "teams/team_sustainment.html", context)


@require_POST
@login_required
def approve_sustainment_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk)
    if not may_approve_sustainment_plan(request.user, team):
        raise PermissionDenied
    try:
        sustainment_plan_approve(plan=team_plan_of(team), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Fastholdelsesplanen er godkendt."))
    return redirect("teams:sustainment", team.pk)


@require_POST
@login_required
def add_sustainment_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request.user, pk, "teams.change_sustainment_plan")
    form = SustainmentLogForm(request.POST)
    if form.is_valid():
        try:
            sustainment_log_add(plan=team_plan_of(team), by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("Opfølgningen er skrevet i loggen."))
    return redirect(reverse("teams:sustainment", args=[team.pk]) + "#log")


def _save_plan(
    request: AuthenticatedRequest, form: SustainmentPlanForm, plan: SustainmentPlan
) -> bool:
    """Save the plan's sections from the form; say so, and say when it went back to draft."""
    try:
        reopened = sustainment_plan_save(plan=plan, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return False
    if reopened:
        messages.warning(
            request,
            _(
                "Planen er gemt og er nu et udkast igen: den var godkendt, men er ændret "
                "siden. Den formelle leder skal godkende den på ny."
            ),
        )
    else:
        messages.success(request, _("Planen er gemt."))
    return True


def _sections(plan: SustainmentPlan) -> list[tuple[str, str, str]]:
    """(title, advice, text) of each section, for reading."""
    return [
        (section_title(name), str(advice), getattr(plan, name))
        for name, advice in SECTION_HELP.items()
    ]
