"""Charts drawn once per version of their series, not on every request.

A drawn chart (its SVG and caption, `indicators/_chart.html`) depends on the series' figures,
the indicator's settings, the national project lead's baselines and splits, the annotations
(PDSA cycles, definition changes), the chart kind, the months shown and the language. The
figures are stood for by the series' `SeriesSummary`: `refresh_summaries` writes a new one
(a new id and `computed_at`) at the end of every write of measurements, and its `signature`
names the settings its verdict was computed with. Everything else is put into the key itself,
so any change of it draws the chart anew; nothing has to be invalidated. A series without a
stored summary (not refreshed yet, or stale) is drawn on every request, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from indicators.models import ChartChange, Indicator, SeriesSummary

CHART_CACHE_SECONDS = 7 * 24 * 3600
Key = tuple[int, int | None]  # (indicator id, team id or None for the LKT level)


def series_versions(
    indicator_ids: Iterable[int], *, team_ids: Iterable[int] = (), lkt: bool = True
) -> dict[Key, str]:
    """The version of each stored series of the indicators (their LKT level and `team_ids`'
    series), in one query of a few small columns."""
    teams = list(team_ids)
    wanted = (Q(team__isnull=True) if lkt else Q(pk__in=[])) | Q(team_id__in=teams)
    rows = (
        SeriesSummary.objects.filter(wanted, indicator_id__in=list(indicator_ids))
        .order_by()
        .values_list("indicator_id", "team_id", "pk", "computed_at", "signature")
    )
    return {(i, t): f"{pk}:{at.isoformat()}:{sig}" for i, t, pk, at, sig in rows}


def indicator_state(indicator: Indicator) -> tuple:
    """What a chart shows of the indicator itself."""
    return (
        indicator.pk,
        indicator.name,
        indicator.unit,
        indicator.measure,
        indicator.chart,
        indicator.better_direction,
        indicator.target,
        indicator.multiplier,
    )


def changes_state(changes: Iterable[ChartChange]) -> tuple:
    """The baselines and splits as drawn (and described under the chart)."""
    return tuple((c.pk, c.kind, c.period_start, c.reason, c.team_id) for c in changes)


def drawing_key(versions: Iterable[str | None], inputs: Iterable[Any]) -> str | None:
    """The cache key (and ETag) of a drawing of the series' `versions` and the other `inputs`
    in the active language; None when a series has no stored version."""
    versions = list(versions)
    if any(version is None for version in versions):
        return None
    key = repr((translation.get_language(), versions, list(inputs)))
    return "lkt-chart:" + hashlib.sha256(key.encode()).hexdigest()


def drawn_once(key: str | None, draw: Callable[[], str]) -> SafeString:
    """`draw()`'s HTML, kept under `key` (`drawing_key`); drawn every time without a key."""
    if key is None:
        return mark_safe(draw())  # noqa: S308 -- our own rendered template
    html = cache.get(key)
    if html is None:
        html = draw()
        cache.set(key, html, CHART_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own rendered template


def drawn_once_each(drawings: Iterable[tuple[str | None, Callable[[], str]]]) -> list[SafeString]:
    """`drawn_once` for several drawings, with one round trip to the cache for all of them."""
    drawings = list(drawings)
    found = cache.get_many([key for key, _ in drawings if key is not None])
    fresh = {}
    figures = []
    for key, draw in drawings:
        html = found.get(key) if key is not None else None
        if html is None:
            html = draw()
            if key is not None:
                fresh[key] = html
        figures.append(mark_safe(html))  # noqa: S308 -- our own rendered template
    if fresh:
        cache.set_many(fresh, CHART_CACHE_SECONDS)
    return figures
