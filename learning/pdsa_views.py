"""The team's PDSA cycles in the browser: the list (filtered), one cycle, and the form that
creates or edits one. Readers are everyone in the programme; writers the team's own members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from core.paging import paginate
from learning.pdsa_access import get_cycle_for_user, get_pdsa_team_for_user
from learning.pdsa_forms import CycleFilter, CycleForm
from learning.pdsa_selectors import cycle_followers, team_cycles
from learning.pdsa_services import cycle_create, cycle_update
from teams.models import PDSACycle


@require_GET
@login_required
def list_cycles(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_pdsa_team_for_user(request.user, pk)
    cycles = CycleFilter(request.GET, queryset=team_cycles(team), team=team)
    context = {
        "team": team,
        "programme": team.programme,
        "filter": cycles,
        "filtered": any(request.GET.get(name) for name in cycles.filters),
        **paginate(request, cycles.qs),
    }
    return render(request, "learning/pdsa_list.html", context)


@require_GET
@login_required
def show_cycle(request: AuthenticatedRequest, pk: int, cycle_pk: int) -> HttpResponse:
    cycle = get_cycle_for_user(request.user, pk, cycle_pk)
    context = {
        "team": cycle.team,
        "programme": cycle.team.programme,
        "cycle": cycle,
        "indicators": list(cycle.indicators.order_by("order", "name")),
        "followers": list(cycle_followers(cycle)),
    }
    return render(request, "learning/pdsa_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def create_cycle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_pdsa_team_for_user(request.user, pk, write=True)
    earlier = request.GET.get("bygger_paa", "")
    initial: dict[str, object] = {"started_on": timezone.localdate()}
    if earlier.isdigit() and len(earlier) < 12:
        initial["builds_on"] = int(earlier)
    form = CycleForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        propose = bool(data.pop("propose_idea", False))
        try:
            cycle = cycle_create(team=team, by=request.user, propose_idea=propose, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Cyklussen “%(title)s” er gemt.") % {"title": cycle.title})
            return redirect("teams:pdsa_detail", team.pk, cycle.pk)
    context = {"team": team, "programme": team.programme, "form": form}
    return render(request, "learning/pdsa_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def edit_cycle(request: AuthenticatedRequest, pk: int, cycle_pk: int) -> HttpResponse:
    cycle = get_cycle_for_user(request.user, pk, cycle_pk, write=True)
    team, title = cycle.team, cycle.title
    form = CycleForm(request.POST or None, instance=cycle, team=team)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        propose = bool(data.pop("propose_idea", False))
        try:
            cycle_update(cycle=cycle, by=request.user, propose_idea=propose, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("teams:pdsa_detail", team.pk, cycle.pk)
    # The form has written its (refused) input onto the instance; the page names the saved one.
    saved = PDSACycle(pk=cycle.pk, team=team, title=title)
    context = {"team": team, "programme": team.programme, "form": form, "cycle": saved}
    return render(request, "learning/pdsa_form.html", context)
