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

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.cache import versioned_get, versioned_get_many, versioned_set, versioned_set_many
from indicators.models import ChartChange, Indicator, IndicatorVersion, SeriesSummary
from programmes.models import Programme, Region
from teams.models import ImprovementTeam, PDSACycle, ProgressScore

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
    html = versioned_get(key)
    if html is None:
        html = draw()
        versioned_set(key, html, CHART_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own rendered template


def drawn_once_each(drawings: Iterable[tuple[str | None, Callable[[], str]]]) -> list[SafeString]:
    """`drawn_once` for several drawings, with one round trip to the cache for all of them."""
    drawings = list(drawings)
    found = versioned_get_many(key for key, _ in drawings if key is not None)
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
        versioned_set_many(fresh, CHART_CACHE_SECONDS)
    return figures


# What a team's page (and its API series) and a programme's LKT series are built from, read as
# rows of text in one query: every column of the programme's indicators, their baselines and
# splits and definition changes, and (for a team) its PDSA cycles with the indicators they aim
# at and its progress scores; the versions of the stored series. Any write to any of them, a
# deletion included, changes the rows and so the stamp; nothing has to be invalidated.
Part = tuple[str, type[models.Model], str, tuple[str, ...] | None]


def _row_text(model: type[models.Model], alias: str, columns: tuple[str, ...] | None) -> str:
    names = columns or tuple(f.column for f in model._meta.concrete_fields)
    qn = connection.ops.quote_name
    cells = [f"COALESCE(CAST({alias}.{qn(name)} AS TEXT), '~')" for name in names]
    return " || '|' || ".join(cells)


def _part_sql(
    tag: str, model: type[models.Model], where: str, columns: tuple[str, ...] | None
) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    # Names from the models' meta, quoted; the values are always query parameters.
    return f"SELECT '{tag}', {_row_text(model, 'x', columns)} FROM {table} x WHERE {where}"  # noqa: S608


SUMMARY_COLUMNS = ("id", "indicator_id", "team_id", "computed_at", "signature")


def _programme_parts() -> list[Part]:
    indicator = connection.ops.quote_name(Indicator._meta.db_table)
    of_programme = f"x.indicator_id IN (SELECT id FROM {indicator} WHERE programme_id = %(p)s)"  # noqa: S608
    return [
        ("P", Programme, "x.id = %(p)s", None),
        ("i", Indicator, "x.programme_id = %(p)s", None),
        ("c", ChartChange, of_programme, None),
        ("v", IndicatorVersion, of_programme, ("id", "indicator_id", "month", "changes")),
    ]


def _stamp(
    parts: list[Part], unsummarised: str, params: dict[str, int], inputs: Iterable[Any]
) -> str | None:
    """The hash of the parts' rows; None when an active indicator has no stored series (its
    figures could change unseen, so it is built every time, as `drawing_key` does)."""
    sql = " UNION ALL ".join(_part_sql(*part) for part in parts)
    table = connection.ops.quote_name(SeriesSummary._meta.db_table)
    sql += (
        f" UNION ALL SELECT '-', CAST(x.id AS TEXT) FROM {_table(Indicator)} x"  # noqa: S608
        f" WHERE x.programme_id = %(p)s AND x.is_active AND NOT EXISTS"
        f" (SELECT 1 FROM {table} s WHERE s.indicator_id = x.id AND {unsummarised})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall())
    if rows and rows[0][0] == "-":
        return None
    key = repr((translation.get_language(), timezone.localdate(), rows, list(inputs)))
    return hashlib.sha256(key.encode()).hexdigest()


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def team_stamp(team: ImprovementTeam, *inputs: Any) -> str | None:
    """The version of everything a team's charts show (see above), with `inputs`, the
    language and the day, in one query."""
    cycle = connection.ops.quote_name(PDSACycle._meta.db_table)
    aims = PDSACycle.indicators.through
    parts: list[Part] = [
        *_programme_parts(),
        ("T", ImprovementTeam, "x.id = %(t)s", None),
        ("s", SeriesSummary, "x.team_id = %(t)s", SUMMARY_COLUMNS),
        ("p", PDSACycle, "x.team_id = %(t)s", None),
        ("a", aims, f"x.pdsacycle_id IN (SELECT id FROM {cycle} WHERE team_id = %(t)s)", None),  # noqa: S608
        ("g", ProgressScore, "x.team_id = %(t)s", None),
    ]
    params = {"p": team.programme_id, "t": team.pk}
    return _stamp(parts, "s.team_id = %(t)s", params, ["team", team.pk, *inputs])


def programme_stamp(programme: Programme, *inputs: Any) -> str | None:
    """The version of everything a programme's LKT series show, in one query: as `team_stamp`,
    with the LKT-level stored series and the programme's teams (their order and status)."""
    indicator = connection.ops.quote_name(Indicator._meta.db_table)
    team = connection.ops.quote_name(ImprovementTeam._meta.db_table)
    parts: list[Part] = [
        *_programme_parts(),
        (
            "s",
            SeriesSummary,
            f"x.team_id IS NULL AND x.indicator_id IN "  # noqa: S608
            f"(SELECT id FROM {indicator} WHERE programme_id = %(p)s)",  # noqa: S608
            SUMMARY_COLUMNS,
        ),
        ("t", ImprovementTeam, "x.programme_id = %(p)s", None),
        ("r", Region, f"x.id IN (SELECT region_id FROM {team} WHERE programme_id = %(p)s)", None),  # noqa: S608
    ]
    params = {"p": programme.pk}
    return _stamp(parts, "s.team_id IS NULL", params, ["lkt", programme.pk, *inputs])
