"""Pages for an indicator's definition: list, create, edit (or propose), deactivate, delete,
and the national project lead's decisions on the expert group's proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from indicators.access import get_indicator_for_user
from indicators.definition_forms import DecisionForm, IndicatorForm, ProposalForm
from indicators.definitions import (
    has_data,
    indicator_create,
    indicator_delete,
    indicator_set_active,
    indicator_update,
    proposal_accept,
    proposal_add,
    proposal_decline,
    readable_changes,
)
from indicators.models import Indicator, IndicatorProposal, ProposalStatus
from programmes.access import get_programme_for_user
from programmes.models import Programme

CHANGE = "indicators.change_indicator"
DECIDE = "indicators.decide_indicator_change"


def _programme_for_results(request: AuthenticatedRequest, pk: int) -> Programme:
    programme = get_programme_for_user(request.user, pk)
    if not request.user.has_perm("indicators.view_team_data", programme):
        raise Http404
    return programme


@require_GET
@login_required
def indicator_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _programme_for_results(request, pk)
    indicators = programme.indicators.annotate(
        pending=Count(
            "proposals", filter=Q(proposals__status=ProposalStatus.PENDING), distinct=True
        ),
    ).order_by("-is_active", "order", "name")
    context = {
        "programme": programme,
        "indicators": indicators,
        "may_change": request.user.has_perm(CHANGE, programme),
    }
    return render(request, "indicators/indicator_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def create_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk, CHANGE)
    form = IndicatorForm(request.POST or None, instance=Indicator(programme=programme))
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(
                programme=programme, by=request.user, **form.changed_fields()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Indikatoren “%(name)s” er oprettet.") % {"name": indicator}
            )
            return redirect("indicators:indicator_detail", indicator.pk)
    context = {"programme": programme, "form": form, "proposing": False}
    return render(request, "indicators/indicator_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def edit_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The lead edits directly; the expert group too until teams have registered data, and
    after that proposes the change with a reason for the lead to accept or decline."""
    indicator = get_indicator_for_user(request.user, pk, CHANGE)
    measured = has_data(indicator)
    proposing = measured and not request.user.has_perm(DECIDE, indicator.programme)
    form_class = ProposalForm if proposing else IndicatorForm
    # The form works on a copy: a refused form must not leave its values on the indicator.
    copy = Indicator.objects.get(pk=indicator.pk)
    form = form_class(request.POST or None, instance=copy, measure_locked=measured)
    if request.method == "POST" and form.is_valid():
        try:
            if proposing:
                proposal_add(
                    indicator=indicator,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    **form.changed_fields(),
                )
            else:
                indicator_update(indicator=indicator, by=request.user, **form.changed_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            if proposing:
                messages.success(request, _("Forslaget er sendt til den nationale projektleder."))
            else:
                messages.success(request, _("Indikatoren er gemt."))
            return redirect("indicators:indicator_detail", indicator.pk)
    context = {
        "programme": indicator.programme,
        "indicator": indicator,
        "form": form,
        "proposing": proposing,
    }
    return render(request, "indicators/indicator_form.html", context)


@require_GET
@login_required
def show_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk)
    versions = indicator.versions.select_related("changed_by")
    proposals = indicator.proposals.select_related("proposed_by", "decided_by")
    context = {
        "programme": indicator.programme,
        "indicator": indicator,
        "has_data": has_data(indicator),
        "versions": [(v, readable_changes(v.changes)) for v in versions],
        "proposals": [(p, readable_changes(p.changes)) for p in proposals],
        "may_change": request.user.has_perm(CHANGE, indicator.programme),
        "may_decide": request.user.has_perm(DECIDE, indicator.programme),
        "decision_form": DecisionForm(),
    }
    return render(request, "indicators/indicator_detail.html", context)


@require_POST
@login_required
def deactivate_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@require_POST
@login_required
def activate_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


def _set_active(request: AuthenticatedRequest, pk: int, *, active: bool) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk, DECIDE)
    indicator_set_active(indicator=indicator, active=active, by=request.user)
    if active:
        messages.success(request, _("Indikatoren er aktiv igen."))
    else:
        messages.success(request, _("Indikatoren er deaktiveret. Dens data og grafer er bevaret."))
    return redirect("indicators:indicator_detail", indicator.pk)


@require_POST
@login_required
def delete_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk, DECIDE)
    programme_pk = indicator.programme_id
    try:
        indicator_delete(indicator=indicator, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("indicators:indicator_detail", pk)
    messages.success(request, _("Indikatoren er slettet."))
    return redirect("indicators:indicator_list", programme_pk)


@require_GET
@login_required
def proposal_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _programme_for_results(request, pk)
    proposals = (
        IndicatorProposal.objects.filter(indicator__programme=programme)
        .select_related("indicator", "proposed_by", "decided_by")
        .order_by("-status", "-proposed_at")  # "pending" sorts before "declined", "accepted"
    )
    context = {
        "programme": programme,
        "proposals": [(p, readable_changes(p.changes)) for p in proposals],
        "may_decide": request.user.has_perm(DECIDE, programme),
        "decision_form": DecisionForm(),
    }
    return render(request, "indicators/proposal_list.html", context)


def _proposal_for_decision(request: AuthenticatedRequest, pk: int) -> IndicatorProposal:
    proposal = get_object_or_404(IndicatorProposal.objects.select_related("indicator"), pk=pk)
    get_indicator_for_user(request.user, proposal.indicator_id, DECIDE)
    return proposal


@require_POST
@login_required
def accept_proposal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@require_POST
@login_required
def decline_proposal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=False)


def _decide(request: AuthenticatedRequest, pk: int, *, accept: bool) -> HttpResponse:
    proposal = _proposal_for_decision(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Intet er besluttet: %(errors)s") % {"errors": errors})
        return redirect(_back(request, proposal))
    service = proposal_accept if accept else proposal_decline
    try:
        service(proposal=proposal, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accept:
            messages.success(request, _("Forslaget er accepteret, og indikatoren er ændret."))
        else:
            messages.success(request, _("Forslaget er afvist. Indikatoren er uændret."))
    return redirect(_back(request, proposal))


def _back(request: AuthenticatedRequest, proposal: IndicatorProposal) -> str:
    if request.POST.get("next") == "list":
        return reverse("indicators:proposal_list", args=[proposal.indicator.programme_id])
    return reverse("indicators:indicator_detail", args=[proposal.indicator_id])


urlpatterns = [
    path("program/<int:pk>/indikatorer/", indicator_list, name="indicator_list"),
    path("program/<int:pk>/indikatorer/ny/", create_indicator, name="indicator_create"),
    path("program/<int:pk>/forslag/", proposal_list, name="proposal_list"),
    path("indikator/<int:pk>/", show_indicator, name="indicator_detail"),
    path("indikator/<int:pk>/rediger/", edit_indicator, name="indicator_edit"),
    path("indikator/<int:pk>/deaktiver/", deactivate_indicator, name="indicator_deactivate"),
    path("indikator/<int:pk>/aktiver/", activate_indicator, name="indicator_activate"),
    path("indikator/<int:pk>/slet/", delete_indicator, name="indicator_delete"),
    path("forslag/<int:pk>/accepter/", accept_proposal, name="proposal_accept"),
    path("forslag/<int:pk>/afvis/", decline_proposal, name="proposal_decline"),
]
