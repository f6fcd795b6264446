"""A chart (indicators.charting.Chart) as the API reports it: the numbers the chart draws."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from api.schemas import SeriesOut
from core.cache import versioned_get, versioned_set
from indicators.chart_cache import CHART_CACHE_SECONDS, programme_stamp, team_stamp
from indicators.charting import Chart
from indicators.programme_results import lkt_charts
from indicators.team_results import team_charts
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
    request: HttpRequest, stamp: str | None, compute: Callable[[], list[dict[str, Any]]]
) -> HttpResponse:
    """The analysed series as the API's JSON, built once per `stamp` (the version of everything
    they are computed from, `indicators.chart_cache.team_stamp`/`programme_stamp`) and kept as
    the response's bytes; the stamp is also the ETag, and a client that sends it back in
    `If-None-Match` gets 304 Not Modified. Without a stamp, built every time."""
    if stamp is None:
        return HttpResponse(series_json(compute()), content_type=JSON_TYPE)
    etag = f'"{stamp[:32]}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        unchanged = HttpResponseNotModified()
        unchanged["ETag"] = etag
        return unchanged
    key = "lkt-api-series:" + stamp
    content = versioned_get(key)
    if content is None:
        content = series_json(compute())
        versioned_set(key, content, CHART_CACHE_SECONDS)
    response = HttpResponse(content, content_type=JSON_TYPE)
    response["ETag"] = etag
    return response


JSON_TYPE = "application/json; charset=utf-8"  # as django-ninja's JSON renderer answers


def series_json(series: list[dict[str, Any]]) -> bytes:
    """`series` validated by `SeriesOut` and written as django-ninja writes a response."""
    data = SERIES_LIST.dump_python(SERIES_LIST.validate_python(series))
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


SERIES_LIST = TypeAdapter(list[SeriesOut])


def team_series(request: HttpRequest, team: ImprovementTeam, kind: str) -> HttpResponse:
    """The team's series of every active indicator (`team_charts`), once per version."""
    return series_once(
        request,
        team_stamp(team, "api", kind),
        lambda: [chart_out(chart, kind) for chart in team_charts(team, kind=kind, draw=False)],
    )


def programme_series(request: HttpRequest, programme: Programme, kind: str) -> HttpResponse:
    """The LKT-level series of every active indicator (`lkt_charts`), once per version."""
    return series_once(
        request,
        programme_stamp(programme, "api", kind),
        lambda: [chart_out(chart, kind) for chart in lkt_charts(programme, kind=kind, draw=False)],
    )
