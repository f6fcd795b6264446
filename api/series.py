"""A chart (indicators.charting.Chart) as the API reports it: the numbers the chart draws."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone

from indicators import selectors
from indicators.chart_cache import (
    CHART_CACHE_SECONDS,
    changes_state,
    drawing_key,
    indicator_state,
    series_versions,
)
from indicators.charting import Chart
from indicators.programme_results import lkt_charts
from indicators.team_results import chart_frame, team_charts
from programmes.models import Programme
from teams.models import ImprovementTeam


def chart_out(chart: Chart, kind: str) -> dict[str, Any]:
    """The chart's analysis per part, its verdict and assurance, and its provisional months."""
    latest = chart.latest
    parts = []
    for start, analysis in chart.segments:
        months = chart.months[start : start + len(analysis.y)]
        points = [
            {
                "period": month,
                "value": analysis.y[i],
                "lcl": analysis.lcl[i],
                "ucl": analysis.ucl[i],
                "in_long_run": analysis.in_long_run[i],
                "outside_limits": analysis.outside_limits[i],
            }
            for i, month in enumerate(months)
        ]
        parts.append(
            {
                "start_period": chart.months[start],
                "chart": analysis.chart,
                "centre_line": analysis.cl,
                "baseline_points": analysis.baseline,
                "n_points": analysis.n_points,
                "n_useful": analysis.n_useful,
                "longest_run": analysis.longest_run,
                "longest_run_max": analysis.longest_run_max,
                "n_crossings": analysis.n_crossings,
                "n_crossings_min": analysis.n_crossings_min,
                "runs_signal": analysis.runs_signal,
                "sigma_signal": analysis.sigma_signal,
                "verdict": analysis.overall_verdict,
                "assurance": analysis.assurance,
                "points": points,
            }
        )
    return {
        "indicator_id": chart.indicator.pk,
        "title": chart.title,
        "unit": chart.indicator.unit,
        "kind": kind,
        "chart": latest.chart if latest else "",
        "per_team": chart.per_team,
        "verdict": chart.verdict,
        "verdict_label": chart.verdict_label,
        "assurance": latest.assurance if latest else None,
        "assurance_label": chart.assurance_label,
        "target": latest.target if latest else None,
        "last_value": chart.last_value,
        "parts": parts,
        "provisional": [
            {"period": p.month, "value": p.value, "reported": p.reported, "expected": p.expected}
            for p in chart.provisional
        ],
    }


def series_once(
    request: HttpRequest,
    versions: Iterable[str | None],
    inputs: Iterable[Any],
    compute: Callable[[], list[dict[str, Any]]],
) -> list[dict[str, Any]] | HttpResponse:
    """The analysed series, computed once per version of the stored series (`versions`, from
    `indicators.chart_cache.series_versions`) and the other `inputs`: kept in the cache under
    that key, which is also the response's ETag; a client that sends it back in `If-None-Match`
    gets 304 Not Modified. Without a stored version for every series, computed every time."""
    key = drawing_key(versions, inputs)
    if key is None:
        return compute()
    etag = f'"{key.rsplit(":", 1)[-1][:32]}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    key = "lkt-api-series:" + key
    series = cache.get(key)
    if series is None:
        series = compute()
        cache.set(key, series, CHART_CACHE_SECONDS)
    request.series_etag = etag  # type: ignore[attr-defined]
    return series


def team_series(
    request: HttpRequest, team: ImprovementTeam, kind: str
) -> list[dict] | HttpResponse:
    """The team's series of every active indicator (`team_charts`), once per version."""
    programme = team.programme
    indicators = list(selectors.active_indicators(programme))
    changes = selectors.chart_changes(programme)
    versions = series_versions([i.pk for i in indicators], team_ids=[team.pk], lkt=False)
    return series_once(
        request,
        [versions.get((i.pk, team.pk)) for i in indicators],
        [
            "team",
            team.pk,
            kind,
            timezone.localdate(),
            chart_frame(programme),
            [indicator_state(i) for i in indicators],
            [
                changes_state(c for c in changes.get(i.pk, []) if c.team_id in (None, team.pk))
                for i in indicators
            ],
        ],
        lambda: [chart_out(chart, kind) for chart in team_charts(team, kind=kind, draw=False)],
    )


def programme_series(
    request: HttpRequest, programme: Programme, kind: str
) -> list[dict] | HttpResponse:
    """The LKT-level series of every active indicator (`lkt_charts`), once per version."""
    indicators = list(selectors.active_indicators(programme))
    changes = selectors.chart_changes(programme)
    versions = series_versions([i.pk for i in indicators])
    teams = list(programme.teams.order_by("region__name", "name").values_list("pk", "status"))
    return series_once(
        request,
        [versions.get((i.pk, None)) for i in indicators],
        [
            "lkt",
            programme.pk,
            kind,
            timezone.localdate(),
            programme.start_date,
            programme.end_date,
            teams,
            [indicator_state(i) for i in indicators],
            [changes_state(changes.get(i.pk, [])) for i in indicators],
        ],
        lambda: [chart_out(chart, kind) for chart in lkt_charts(programme, kind=kind, draw=False)],
    )


def with_etag(
    response: HttpResponse, request: HttpRequest, series: list[dict] | HttpResponse
) -> list[dict] | HttpResponse:
    """`series` with the ETag `series_once` gave it set on ninja's (temporal) `response`."""
    etag = getattr(request, "series_etag", None)
    if etag is not None:
        response["ETag"] = etag
    return series
