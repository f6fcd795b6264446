"""The programme's results page: the first indicator at once, the others as they come into view.

Each indicator's part (the LKT-level chart and the funnel) and its small multiples (every
team's chart, in a closed `<details>`) are fragments of their own, fetched by htmx when they
are scrolled to (or opened), and each is drawn once per version of its series
(`indicators.chart_cache`). The first screen and each fragment as sent are kept per version of
the programme's data (`indicators.page_cache`), so a request that finds them costs a few
lookups. Without JavaScript the placeholders are links to the same fragments as whole pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from indicators import selectors
from indicators.chart_cache import (
    changes_state,
    drawing_key,
    drawn_once,
    indicator_state,
    series_versions,
)
from indicators.charting import CHART_KINDS
from indicators.models import Indicator
from indicators.page_cache import cached_page_part
from indicators.programme_results import indicator_results, results_frame, results_page
from programmes.access import get_programme_for_user
from programmes.models import Programme
from teams.models import ImprovementTeam

PARTS = {"lkt": "indicators/_results_summary.html", "teams": "indicators/_small_multiples.html"}


def _programme(request: AuthenticatedRequest, pk: int) -> Programme:
    programme = get_programme_for_user(request.user, pk)
    if not request.user.has_perm("indicators.view_team_data", programme):
        raise Http404
    return programme


def _kind(request: HttpRequest) -> str:
    return request.GET.get("kort", "run") if request.GET.get("kort") in CHART_KINDS else "run"


def indicator_part(
    programme: Programme,
    indicator: Indicator,
    teams: list[ImprovementTeam],
    months: list,
    kind: str,
    part: str,
) -> tuple[str | None, Callable[[], SafeString]]:
    """One indicator's "lkt" part (LKT-level chart and funnel) or "teams" (small multiples):
    its key (`drawing_key`, also its ETag) and its HTML, drawn once per version of its series
    and of everything else it shows."""
    changes = selectors.chart_changes(programme, indicator).get(indicator.pk, [])
    notes = selectors.definition_notes([indicator.pk]).get(indicator.pk, [])
    versions = series_versions([indicator.pk], team_ids=[t.pk for t in teams])
    # The LKT level's summary must be stored; a team without one has had no data since.
    series = [versions.get((indicator.pk, None))]
    series += [versions.get((indicator.pk, t.pk), "-") for t in teams]
    inputs = [
        part,
        indicator_state(indicator),
        kind,
        months,
        changes_state(changes),
        notes,
        [(t.pk, t.name, str(t.region), t.started_on) for t in teams],
        programme.name,
        programme.data_deadline_day,
        timezone.localdate(),  # which months are still provisional
    ]

    def draw() -> str:
        points = selectors.programme_points(programme, indicator)
        result = indicator_results(
            programme,
            indicator,
            teams,
            months,
            points,
            changes,
            notes,
            kind=kind,
            small_multiples=part == "teams",
        )
        return render_to_string(PARTS[part], {"result": result, "programme": programme})

    key = drawing_key(series, inputs)
    return key, partial(drawn_once, key, draw)


@require_GET
@login_required
def show_programme_results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    kind = _kind(request)

    def body() -> str:
        page = results_page(programme)
        first = [
            indicator_part(programme, i, page["teams"], page["months"], kind, "lkt")[1]()
            for i in page["indicators"][:1]
        ]
        context = {"programme": programme, "kind": kind, **page, "first": first}
        return render_to_string("indicators/_programme_results_body.html", context)

    html = mark_safe(cached_page_part("results", programme, [kind], body))  # noqa: S308
    context = {"programme": programme, "kind": kind, "body": html}
    return render(request, "indicators/programme_results.html", context)


@require_GET
@login_required
def show_indicator_part(
    request: AuthenticatedRequest, pk: int, indicator_pk: int, part: str
) -> HttpResponse:
    """htmx: one indicator's part of the results page; otherwise the part as a page of its own."""
    if part not in PARTS:
        raise Http404
    programme = _programme(request, pk)
    kind = _kind(request)

    def drawn() -> tuple[str | None, dict]:
        """The drawing's key and what the part's templates show; 404 for an indicator that
        is not an active one of the programme."""
        indicator = get_object_or_404(selectors.active_indicators(programme), pk=indicator_pk)
        frame = results_frame(programme)
        key, html = indicator_part(
            programme, indicator, frame["teams"], frame["months"], kind, part
        )
        context = {"programme": programme, "indicator": indicator, "kind": kind, "part": part}
        return key, {**context, "teams": frame["teams"], "html": html()}

    if not request.htmx:  # a page of its own, with the person's own navigation
        return render(request, "indicators/programme_results_part.html", drawn()[1])

    def fragment() -> tuple[str | None, str]:
        key, context = drawn()
        return key, render_to_string("indicators/_results_part.html", context)

    # The part alone is the same for everyone who may see it (the indicator is looked up only
    # when it is drawn: a part kept for this version of the data is of an active indicator).
    # The browser may keep it and ask again with its ETag (304 when the drawing is unchanged).
    params = [indicator_pk, part, kind]
    key, html = cached_page_part("results-part", programme, params, fragment)
    etag = f'"{key.removeprefix("lkt-chart:")[:32]}"' if key else None
    unchanged = get_conditional_response(request, etag=etag) if etag else None
    if unchanged is not None:
        return unchanged
    response = HttpResponse(html)
    if etag:
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["HX-Request"])
    return response


urlpatterns = [
    path("program/<int:pk>/", show_programme_results, name="programme_results"),
    path(
        "program/<int:pk>/indikator/<int:indicator_pk>/<str:part>/",
        show_indicator_part,
        name="programme_results_part",
    ),
]
