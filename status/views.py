"""The steering group's status pages: the national overview, one LKT, one indicator, regions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from accounts.ratelimit import rate_limited
from core.forms import add_errors
from core.paging import paginate
from core.pdf import pdf_response
from indicators.selectors import active_indicators
from programmes.models import Programme
from programmes.services import programme_rate_status
from status import exports
from status.access import (
    get_indicator_for_status,
    get_programme_for_status,
    get_region_for_status,
    require_status_access,
    visible_teams,
)
from status.cache import cached_block
from status.forms import OverviewFilterForm, RatingForm
from status.selectors.overview import filter_choices, status_programmes, status_rows
from status.selectors.programme import indicator_status, programme_status
from status.selectors.regions import region_rows, region_team_statuses, region_teams
from status.selectors.sustainment import by_indicator
from status.traffic import RULE

OVERVIEW_PAGE = 50  # every LKT on one page at national scale (30), still a paginated list
TEAMS_PAGE = 50


def overview_context(request: HttpRequest) -> dict:
    """The filtered overview: the form, the rows (every LKT that matches) and the rule."""
    regions, areas = filter_choices()
    region_choices = [(str(region.pk), region.name) for region in regions]
    form = OverviewFilterForm(request.GET or None, regions=region_choices, areas=areas)
    filters = form.filters()
    programmes = status_programmes(
        status=filters["status"], region=filters["region"], area=filters["area"]
    )
    rows = status_rows(programmes, regions)
    if filters["light"]:
        rows = [
            row for row in rows if row.light is not None and row.light.colour == filters["light"]
        ]
    return {
        "form": form,
        "rows": rows,
        "rule": RULE,
        "now": timezone.now(),
        "region_choices": region_choices,
        "areas": areas,
    }


def _overview_block(request: HttpRequest) -> dict:
    """The filters, the rule and the table of one page of the overview, rendered."""
    context = overview_context(request)
    page = paginate(request, context["rows"], per_page=OVERVIEW_PAGE)
    body = render_to_string(
        "status/_overview_body.html",
        {**context, **page, "count": len(context["rows"])},
        request,
    )
    return {"body": body, "count": len(context["rows"]), "now": context["now"]}


@require_GET
@login_required
def show_overview(request: AuthenticatedRequest) -> HttpResponse:
    require_status_access(request.user)
    block = cached_block("overview", request.GET.urlencode(), lambda: _overview_block(request))
    context = {"body": block["body"], "now": block["now"]}
    context.update(paginate(request, range(block["count"]), per_page=OVERVIEW_PAGE))
    return render(request, "status/overview.html", context)


@require_GET
@login_required
@rate_limited("export")
def export_overview(request: AuthenticatedRequest) -> HttpResponse:
    require_status_access(request.user)
    return exports.overview_file(request, overview_context(request)["rows"])


@require_GET
@login_required
@rate_limited("pdf")
def overview_pdf(request: AuthenticatedRequest) -> HttpResponse:
    require_status_access(request.user)
    context = {**overview_context(request), "open_rule": True}
    html = render_to_string("status/overview_pdf.html", context, request)
    return pdf_response(request, html, "lkt-status")


@require_GET
@login_required
def show_programme(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_status(request.user, pk, annotated=False)
    return _programme_page(request, programme, RatingForm())


def _programme_blocks(request: HttpRequest, programme: Programme) -> dict:
    """The summary, the latest ratings and everything below them (indicators, charts, the team
    table, the seminars and the rule), rendered: the same for everyone with the same roles."""
    context = programme_status(programme)
    context.update(paginate(request, context["teams"], per_page=TEAMS_PAGE))
    context.update(rule=RULE)
    return {
        "summary": render_to_string("status/_programme_summary.html", context, request),
        "ratings": render_to_string("status/_programme_ratings.html", context, request),
        "body": render_to_string("status/_programme_body.html", context, request),
    }


def _programme_page(
    request: AuthenticatedRequest, programme: Programme, form: RatingForm, status: int = 200
) -> HttpResponse:
    """The rendered blocks are kept per data version (`status.cache`) and per version of the
    person's roles (which teams' data links they see); the rating form is live."""
    user = request.user
    joined = user.date_joined.timestamp() if user.date_joined else 0
    who = f"{user.pk}:{joined:.6f}:{user.roles_version}"
    params = "\x00".join([str(programme.pk), who, request.GET.urlencode()])
    block = cached_block("programme", params, lambda: _programme_blocks(request, programme))
    context = {
        **block,
        "programme": programme,
        "form": form,
    }
    return render(request, "status/programme.html", context, status=status)


@require_GET
@login_required
@rate_limited("pdf")
def programme_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_status(request.user, pk)
    context = {**programme_status(programme), "rule": RULE, "now": timezone.now()}
    html = render_to_string("status/programme_pdf.html", context, request)
    return pdf_response(request, html, f"lkt-status-{programme.slug}")


@require_GET
@login_required
@rate_limited("pdf")
def sustainment_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The yearly sustainment report of an LKT in sustainment: who holds the gains, and the
    LKT's charts with the sustainment phase."""
    programme = get_programme_for_status(request.user, pk)
    if not programme.in_sustainment:
        raise Http404
    status = programme_status(programme)
    summary = status["row"].sustainment
    assert summary is not None  # every programme in sustainment has one
    today = timezone.localdate()
    periods = [p for p in summary.periods if p > programme.end_date][-12:]
    context = {
        **status,
        "s": summary,
        "indicators": by_indicator(summary),
        "periods": periods,
        "first_label": programme.period_label(periods[0]) if periods else "",
        "last_label": programme.period_label(periods[-1]) if periods else "",
        "today": today,
        "now": timezone.now(),
    }
    html = render_to_string("status/sustainment_pdf.html", context, request)
    return pdf_response(request, html, f"lkt-fastholdelse-{programme.slug}")


@require_POST
@login_required
def rate_programme(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_status(request.user, pk, "programmes.rate_status")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            programme_rate_status(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Jeres vurdering er gemt."))
            return redirect("status:programme", programme.pk)
    messages.error(request, _("Vurderingen blev ikke gemt. Ret fejlene nedenfor."))
    return _programme_page(request, programme, form)


@require_GET
@login_required
def list_ratings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_status(request.user, pk)
    ratings = programme.ratings.select_related("rated_by")
    context = {"programme": programme, **paginate(request, ratings)}
    return render(request, "status/ratings.html", context)


@require_GET
@login_required
def show_indicator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_status(request.user, pk)
    teams = indicator.programme.teams.select_related("region").order_by("region__name", "name")
    page = paginate(request, teams, per_page=TEAMS_PAGE)
    context = {
        "indicator": indicator,
        "programme": indicator.programme,
        "siblings": active_indicators(indicator.programme),
        **page,
        **indicator_status(indicator, list(page["object_list"])),
    }
    return render(request, "status/indicator.html", context)


@require_GET
@login_required
def list_regions(request: AuthenticatedRequest) -> HttpResponse:
    require_status_access(request.user)
    block = cached_block("regions", "", lambda: _regions_block(request))
    return render(request, "status/regions.html", block)


def _regions_block(request: HttpRequest) -> dict:
    """The regions table, rendered: the same for everyone who reaches the page."""
    context = {"regions": region_rows()}
    return {"body": render_to_string("status/_regions_table.html", context, request)}


@require_GET
@login_required
def show_region(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    region = get_region_for_status(request.user, pk)
    teams = visible_teams(request.user, region_teams(region))
    page = paginate(request, teams, per_page=TEAMS_PAGE)
    context = {
        "region": region,
        **page,
        "team_rows": region_team_statuses(list(page["object_list"])),
    }
    return render(request, "status/region.html", context)
