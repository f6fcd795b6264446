"""The LKT's learning library: what the teams tested and decided per change idea, the feed of what
they learned ("Hvad andre teams har lært"), its handout for the next seminar, and "det vil vi også
prøve", which gives the person's team a planned cycle of its own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from accounts.ratelimit import rate_limited
from accounts.roles import roles_of
from core.paging import paginate
from core.pdf import pdf_response
from learning.library_access import (
    get_learned_cycle,
    get_library_for_user,
    get_library_idea,
    own_teams,
)
from learning.library_cache import cached_library
from learning.library_forms import FeedFilterForm, TryTooForm
from learning.library_selectors import idea_choices, idea_rows, learned_cycles, planned_try
from learning.pdsa_services import cycle_try_too
from programmes.models import ChangeIdea, Programme
from seminars.models import Seminar
from teams.models import PDSACycle

FEED_PAGE = 20
LATEST = 5  # cycles shown on the library's front page
HANDOUT_CYCLES = 200  # the most a handout lists (a seminar's worth, and then some)


@require_GET
@login_required
def list_libraries(request: AuthenticatedRequest) -> HttpResponse:
    """The libraries the person reads; straight into it when there is one."""
    user, mine = request.user, roles_of(request.user).programmes
    programmes: QuerySet[Programme] = Programme.objects.order_by("name")
    if not (user.is_superuser or user.is_steering_group_member or roles_of(user).regions):
        if len(mine) == 1:
            return redirect("programmes:learning", next(iter(mine)))
        programmes = programmes.filter(pk__in=mine)
    return render(request, "learning/library_index.html", {"programmes": programmes})


@require_GET
@login_required
def show_library(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_library_for_user(request.user, pk)
    my_teams = own_teams(request.user, programme)

    def body(csrf_token: str) -> str:
        context = {
            "programme": programme,
            "rows": idea_rows(programme),
            "latest": list(learned_cycles(programme)[:LATEST]),
            "my_teams": my_teams,
            "csrf_token": csrf_token,
        }
        return render_to_string("learning/_library_body.html", context)

    team_ids = [team.pk for team in my_teams]
    html = cached_library(programme, team_ids, get_token(request) if my_teams else "", body)
    return render(request, "learning/library.html", {"programme": programme, "body": html})


def _feed(request: AuthenticatedRequest, programme: Programme) -> dict:
    ideas = list(idea_choices(programme))
    form = FeedFilterForm(request.GET or None, ideas=ideas)
    filters = form.filters()
    cycles = learned_cycles(programme, query=filters["query"], idea_id=filters["idea_id"])
    return {"programme": programme, "form": form, "cycles": cycles, "filters": filters}


@require_GET
@login_required
def show_feed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_library_for_user(request.user, pk)
    context = _feed(request, programme)
    context.update(paginate(request, context["cycles"], per_page=FEED_PAGE))
    context["my_teams"] = own_teams(request.user, programme)
    return render(request, "learning/library_feed.html", context)


@require_GET
@login_required
@rate_limited("pdf")
def library_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The handout for the next learning seminar: the ideas and what was learned (as filtered)."""
    programme = get_library_for_user(request.user, pk)
    context = _feed(request, programme)
    context.update(
        rows=idea_rows(programme),
        cycles=list(context["cycles"][:HANDOUT_CYCLES]),
        seminar=Seminar.objects.filter(programme=programme)
        .upcoming()
        .order_by("starts_at")
        .first(),
        now=timezone.now(),
    )
    html = render_to_string("learning/library_pdf.html", context, request)
    return pdf_response(request, html, f"laering-{programme.slug}")


@require_POST
@login_required
def try_cycle(request: AuthenticatedRequest, pk: int, cycle_pk: int) -> HttpResponse:
    programme = get_library_for_user(request.user, pk)
    source = get_learned_cycle(programme, cycle_pk)
    return _try_too(request, programme, source_cycle=source)


@require_POST
@login_required
def try_idea(request: AuthenticatedRequest, pk: int, idea_pk: int) -> HttpResponse:
    programme = get_library_for_user(request.user, pk)
    idea = get_library_idea(programme, idea_pk)
    return _try_too(request, programme, idea=idea)


def _try_too(
    request: AuthenticatedRequest,
    programme: Programme,
    *,
    source_cycle: PDSACycle | None = None,
    idea: ChangeIdea | None = None,
) -> HttpResponse:
    """A planned cycle for the chosen team of the person's own; then on to its edit page."""
    teams = own_teams(request.user, programme)
    if not teams:
        raise PermissionDenied
    form = TryTooForm(request.POST, teams=teams)
    back = redirect(
        "programmes:learning_feed" if source_cycle else "programmes:learning", programme.pk
    )
    if not form.is_valid():
        for error in form.errors.get("team", []):
            messages.error(request, str(error))
        return back
    team = form.cleaned_data["team"]
    if not request.user.has_perm("teams.change_pdsa", team):
        raise PermissionDenied
    earlier = planned_try(team, source_cycle=source_cycle, idea=idea)
    if earlier is not None:
        messages.info(
            request, _("%(team)s har allerede planlagt at prøve det.") % {"team": team.name}
        )
        return redirect("teams:pdsa_edit", team.pk, earlier.pk)
    try:
        cycle = cycle_try_too(source_cycle=source_cycle, idea=idea, team=team, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request,
        _("%(team)s har fået en planlagt cyklus. Skriv jeres plan og forudsigelse.")
        % {"team": team.name},
    )
    return redirect("teams:pdsa_edit", team.pk, cycle.pk)
