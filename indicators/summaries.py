"""Every series analysed once, when its data changes, so status pages never run SPC on request.

A series is one team's measurements of one indicator, or the LKT-level aggregate (team None):
the sum of numerators over the sum of denominators per month (for counts and values the mean per
reporting team), as on the programme's results page. The LKT level's provisional months
(`indicators.completeness`) are stored with it but left out of its analysis and latest value.
Each is analysed as the indicator's control chart (p, u, c or i), with the national project
lead's baselines and splits taken from `indicators.charting.chart_options` as the drawn chart
takes them, and stored as a `SeriesSummary`.

`refresh_summaries` is called at the end of every write of measurements and chart changes
(indicators/services.py), by the demo loader and by `manage.py refresh_summaries`.
`summaries_for` reads them back and analyses on the fly, in one batch, any series whose summary
is missing or was computed with other indicator settings (say, a target changed in the admin)
or, at the LKT level, before a data deadline passed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from core.months import RECENT_PERIODS, months_between, parse_month
from indicators import spc
from indicators.charting import chart_options, series
from indicators.completeness import Provisional, open_since, provisional_months
from indicators.models import ChartChange, Indicator, Measurement, SeriesSummary
from indicators.selectors import Point, programme_months
from teams.models import ImprovementTeam

Key = tuple[int, int | None]  # (indicator id, team id or None for the LKT level)


def signature(indicator: Indicator, *, lkt: bool = False, today: dt.date | None = None) -> str:
    """The indicator settings a verdict depends on; a summary with another one is stale.

    The LKT level's also names the first month whose data deadline has not passed: when a
    deadline passes, a provisional month may have become complete without any new data.
    """
    parts: list[object] = [
        indicator.measure,
        indicator.better_direction,
        "" if indicator.target is None else float(indicator.target),
        indicator.multiplier,
    ]
    if lkt:
        today = today or timezone.localdate()
        parts.append(f"open:{open_since(indicator.programme.data_deadline_day, today):%Y-%m}")
    return "|".join(str(part) for part in parts)


# --- Analysis --------------------------------------------------------------------------------


def analyse_series(
    indicator: Indicator,
    months: Sequence[dt.date],
    points: dict[dt.date, Point],
    changes: Iterable[ChartChange] = (),
    *,
    lkt: bool = False,
) -> tuple[list[spc.Analysis], list[float | None]]:
    """The control chart's analyses (one per part) and the plotted values, without drawing:
    the options of `build_chart(kind="spc")`, from the same `chart_options` (`lkt`: the LKT
    level, drawn as a Laney chart for proportions and rates)."""
    months = list(months)
    options = chart_options(indicator, months, changes, kind="spc", lkt=lkt)
    analysis, parts = options.analyse(*series(indicator, months, points))
    if parts:
        analyses = [part.analysis for part in parts]
    else:
        assert analysis is not None  # a series without splits has its one analysis
        analyses = [analysis]
    plotted = [y for part in analyses for y in part.y]
    return analyses, plotted


def summarise(
    indicator: Indicator,
    team_id: int | None,
    months: Sequence[dt.date],
    points: dict[dt.date, Point],
    counts: dict[dt.date, int],
    changes: Iterable[ChartChange] = (),
    provisional: Mapping[dt.date, Provisional] | None = None,
) -> SeriesSummary:
    """An (unsaved) summary of one series; `provisional` months are stored, not analysed."""
    months = list(months)
    provisional = provisional or {}
    counted = {m: p for m, p in points.items() if m not in provisional}
    if months:
        parts, plotted = analyse_series(indicator, months, counted, changes, lkt=team_id is None)
        latest = parts[-1]
    else:
        latest, plotted = None, []
    registered = [counts.get(m, 0) for m in months]
    return SeriesSummary(
        indicator=indicator,
        team_id=team_id,
        first_month=indicator.programme.start_date.replace(day=1),
        points=[_point_json(points.get(m)) for m in months],
        sparkline=[None if y is None else round(y, 6) for y in plotted],
        counts=registered,
        verdict=latest.overall_verdict if latest else "too_few_data",
        versus_previous_phase=latest.versus_previous_phase if latest else False,
        previous_phase_cl=_previous_cl(latest),
        latest_phase_cl=latest.cl if latest and latest.versus_previous_phase else None,
        assurance=(latest.assurance or "") if latest else "",
        signal_side=latest.signal_side if latest else 0,
        n_useful=latest.n_useful if latest else 0,
        last_value=next((y for y in reversed(latest.y) if y is not None), None) if latest else None,
        registered_recent=sum(registered[-RECENT_PERIODS:]),
        provisional=[
            [f"{p.month:%Y-%m}", p.reported, p.expected] for _, p in sorted(provisional.items())
        ],
        signature=signature(indicator, lkt=team_id is None),
        computed_at=timezone.now(),
    )


def _previous_cl(latest: spc.Analysis | None) -> float | None:
    """The previous phase's centre line when the verdict is the change from it."""
    if latest is None or latest.phase_change is None or not latest.versus_previous_phase:
        return None
    return latest.phase_change.previous_cl


def _point_json(point: Point | None) -> list[float | None] | None:
    return None if point is None else [point.numerator, point.denominator, point.value]


def points_of(summary: SeriesSummary, months: Sequence[dt.date]) -> dict[dt.date, Point]:
    """The stored monthly figures back as chart points for `months`."""
    result = {}
    for month in months:
        offset = months_between(summary.first_month, month)
        if 0 <= offset < len(summary.points) and summary.points[offset] is not None:
            result[month] = Point(*summary.points[offset])
    return result


def provisional_of(summary: SeriesSummary) -> dict[dt.date, Provisional]:
    """The provisional months stored with an LKT-level summary, by month."""
    result = {}
    for text, reported, expected in summary.provisional or []:
        month = parse_month(text)
        if month is not None:
            result[month] = Provisional(month, reported, expected)
    return result


def lkt_provisional(
    indicator: Indicator,
    months: Sequence[dt.date],
    counts: Mapping[dt.date, int],
    team_starts: Sequence[dt.date | None],
) -> dict[dt.date, Provisional]:
    """The LKT-level months that do not count yet, as of today."""
    return provisional_months(
        months,
        counts,
        team_starts,
        deadline_day=indicator.programme.data_deadline_day,
        today=timezone.localdate(),
    )


def registered_in(summary: SeriesSummary, months: Iterable[dt.date]) -> int:
    """Registrations (for the LKT level: teams that registered) in `months`."""
    total = 0
    for month in months:
        offset = months_between(summary.first_month, month)
        if 0 <= offset < len(summary.counts):
            total += summary.counts[offset]
    return total


def _f(number: Decimal | float | None) -> float | None:
    return None if number is None else float(number)


# --- Writing ---------------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def refresh_summaries(
    indicator_ids: Iterable[int],
    team_ids: Iterable[int] | Mapping[int, Iterable[int]] | None = None,
) -> int:
    """Re-analyse the indicators' LKT-level series and their teams' series; returns how many
    summaries were written.

    `team_ids` None: every team of the indicator's programme (one query of the indicator's
    rows each). Otherwise only those teams (or, as a mapping, those teams per indicator), in a
    fixed number of queries however many indicators: the touched teams' rows and one query
    grouped by indicator and month for the LKT-level series. The indicators stay locked until
    the transaction ends, so two writers to one indicator refresh in turn and never race.
    """
    ids = sorted(set(indicator_ids))
    if not ids:
        return 0
    indicators = list(
        Indicator.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    changes = _changes_by_indicator(ids)
    programme_teams, starts = _programme_teams(indicators)
    if team_ids is None:
        wanted = programme_teams
    elif isinstance(team_ids, Mapping):
        wanted = {i: sorted(set(team_ids.get(i, ()))) for i in ids}
    else:
        chosen = sorted(set(team_ids))
        wanted = dict.fromkeys(ids, chosen)
    if team_ids is not None:
        touched = _team_rows(ids, sorted({t for teams in wanted.values() for t in teams}))
        aggregates = _aggregate_rows(indicators)
    written = []
    for indicator in indicators:
        months = programme_months(indicator.programme)
        own_changes = changes.get(indicator.pk, [])
        if team_ids is None:
            by_team, lkt, lkt_counts = _all_rows(indicator)
        else:
            by_team = touched.get(indicator.pk, {})
            lkt, lkt_counts = aggregates.get(indicator.pk, ({}, {}))
        general = [c for c in own_changes if c.team_id is None]
        provisional = lkt_provisional(indicator, months, lkt_counts, starts[indicator.pk])
        written.append(summarise(indicator, None, months, lkt, lkt_counts, general, provisional))
        for team_id in wanted[indicator.pk]:
            points = by_team.get(team_id, {})
            relevant = [c for c in own_changes if c.team_id in (None, team_id)]
            counts = dict.fromkeys(points, 1)
            written.append(summarise(indicator, team_id, months, points, counts, relevant))
    _store(written, wanted)
    return len(written)


def _programme_teams(
    indicators: Iterable[Indicator],
) -> tuple[dict[int, list[int]], dict[int, list[dt.date | None]]]:
    """Each indicator's programme's teams and when each started (None: with the programme),
    by indicator id, in one query: whose series to refresh and who must report a month."""
    indicators = list(indicators)
    teams_of: dict[int, list[int]] = defaultdict(list)
    starts_of: dict[int, list[dt.date | None]] = defaultdict(list)
    for team_id, programme_id, started_on in ImprovementTeam.objects.filter(
        programme_id__in={i.programme_id for i in indicators}
    ).values_list("pk", "programme_id", "started_on"):
        teams_of[programme_id].append(team_id)
        starts_of[programme_id].append(started_on)
    return (
        {i.pk: teams_of[i.programme_id] for i in indicators},
        {i.pk: starts_of[i.programme_id] for i in indicators},
    )


def _store(summaries: list[SeriesSummary], wanted: dict[int, list[int]]) -> None:
    """Replace the indicators' LKT-level summaries and the wanted teams' ones (two queries)."""
    stale = Q()
    for indicator_id, team_ids in wanted.items():
        stale |= Q(indicator_id=indicator_id) & (Q(team__isnull=True) | Q(team_id__in=team_ids))
    SeriesSummary.objects.filter(stale).delete()
    SeriesSummary.objects.bulk_create(summaries, batch_size=1000)


def _changes_by_indicator(ids: Iterable[int]) -> dict[int, list[ChartChange]]:
    changes: dict[int, list[ChartChange]] = defaultdict(list)
    for change in ChartChange.objects.filter(indicator_id__in=list(ids)):
        changes[change.indicator_id].append(change)
    return changes


_FIELDS = ("team_id", "period_start", "numerator", "denominator", "value")


def _team_rows(
    indicator_ids: list[int], team_ids: list[int]
) -> dict[int, dict[int, dict[dt.date, Point]]]:
    """The teams' monthly figures by indicator, team and month, in one query."""
    found: dict[int, dict[int, dict[dt.date, Point]]] = defaultdict(lambda: defaultdict(dict))
    # The figures come as floats from the database (as float() of the decimal would make
    # them): 100,000 rows read back without a Decimal each.
    as_float = [Cast(name, FloatField()) for name in ("numerator", "denominator", "value")]
    rows = Measurement.objects.filter(
        indicator_id__in=indicator_ids, team_id__in=team_ids
    ).values_list("indicator_id", "team_id", "period_start", *as_float)
    for indicator_id, team_id, month, num, den, value in rows:
        found[indicator_id][team_id][month] = Point(num, den, value)
    return found


def lkt_series(
    indicators: list[Indicator],
) -> dict[int, tuple[dict[dt.date, Point], dict[dt.date, int]]]:
    """Every period's LKT-level point and reporting teams by indicator, straight from the
    measurements (the sustainment periods, which the summaries do not hold)."""
    return _aggregate_rows(indicators)


def _aggregate_rows(
    indicators: list[Indicator],
) -> dict[int, tuple[dict[dt.date, Point], dict[dt.date, int]]]:
    """The LKT-level series of each indicator: one query grouped by indicator and month."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    rows = (
        Measurement.objects.filter(indicator_id__in=list(by_id))
        .values("indicator_id", "period_start")
        .annotate(
            num=Sum("numerator"),
            den=Sum("denominator"),
            mean=Avg("value"),
            n=Count("id"),
        )
        .order_by()
    )
    result: dict[int, tuple[dict, dict]] = {}
    for row in rows:
        points, counts = result.setdefault(row["indicator_id"], ({}, {}))
        month = row["period_start"]
        counts[month] = row["n"]
        points[month] = _aggregate_point(
            by_id[row["indicator_id"]], row["num"], row["den"], row["mean"]
        )
    return result


def _aggregate_point(indicator: Indicator, num, den, mean) -> Point:
    """Σ numerators / Σ denominators, or for counts and values the mean per reporting team
    (a sum would fall whenever a team has not reported yet)."""
    if indicator.has_denominator:
        return Point(_f(num or 0), _f(den or 0), None)
    return Point(None, None, _f(mean))


def _all_rows(indicator: Indicator):
    """Every team's series and the LKT-level series from one query of the indicator's rows."""
    rows = Measurement.objects.filter(indicator=indicator).values_list(*_FIELDS)
    return _split_rows(indicator, rows)


def _split_rows(indicator: Indicator, rows: Iterable[tuple]):
    by_team: dict[int, dict[dt.date, Point]] = defaultdict(dict)
    sums: dict[dt.date, list] = {}
    for team_id, month, num, den, value in rows:
        by_team[team_id][month] = Point(_f(num), _f(den), _f(value))
        acc = sums.setdefault(month, [0.0, 0.0, 0.0, 0, 0])  # num, den, value, n values, n
        acc[4] += 1
        if num is not None and den is not None:
            acc[0] += float(num)
            acc[1] += float(den)
        if value is not None:
            acc[2] += float(value)
            acc[3] += 1
    lkt, counts = {}, {}
    for month, (num, den, total, n_values, n) in sums.items():
        counts[month] = n
        mean = total / n_values if n_values else None
        lkt[month] = _aggregate_point(indicator, num, den, mean)
    return by_team, lkt, counts


# --- Reading ---------------------------------------------------------------------------------


def summaries_for(
    indicators: Sequence[Indicator],
    *,
    team_ids: Iterable[int] | None = None,
    lkt: bool = True,
    with_points: bool = True,
    only: Sequence[str] = (),
) -> dict[Key, SeriesSummary]:
    """The summaries of the indicators' LKT-level series (and of `team_ids`' series).

    A fixed number of queries: one for the stored summaries (all fields, all but the monthly
    figures, or `only` some) and, only when some are missing or stale, two more (their
    measurements and chart changes) to analyse those on the fly. Each indicator must have its
    programme loaded (`select_related("programme")` or set by hand).
    """
    by_id = {indicator.pk: indicator for indicator in indicators}
    if not by_id:
        return {}
    today = timezone.localdate()
    teams = sorted(set(team_ids or ()))
    wanted_teams: Q = Q(team_id__in=teams) if teams else Q(pk__in=[])
    query = SeriesSummary.objects.filter(indicator_id__in=list(by_id))
    query = query.filter((Q(team__isnull=True) if lkt else Q(pk__in=[])) | wanted_teams)
    if only:  # e.g. a team table needs the verdicts and counts, not the monthly figures
        query = query.only("indicator", "team", "signature", "first_month", *only)
    elif not with_points:
        query = query.defer("points")
    found: dict[Key, SeriesSummary] = {}
    for summary in query:
        indicator = by_id[summary.indicator_id]
        summary.indicator = indicator
        expected = signature(indicator, lkt=summary.team_id is None, today=today)
        if summary.signature == expected and summary.first_month == (
            indicator.programme.start_date.replace(day=1)
        ):
            found[(summary.indicator_id, summary.team_id)] = summary
    keys: list[Key] = [(i, None) for i in by_id] if lkt else []
    keys += [(i, t) for i in by_id for t in teams]
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(_compute_on_the_fly(by_id, missing))
    return found


def _compute_on_the_fly(
    by_id: dict[int, Indicator], missing: list[Key]
) -> dict[Key, SeriesSummary]:
    """Analyse the missing series from their measurements (two queries in all); not saved."""
    lkt_ids = {i for i, t in missing if t is None}
    team_ids = {t for _, t in missing if t is not None}
    team_indicators = {i for i, t in missing if t is not None}
    condition = Q(indicator_id__in=lkt_ids) | Q(
        indicator_id__in=team_indicators, team_id__in=team_ids
    )
    rows_by_indicator: dict[int, list[tuple]] = defaultdict(list)
    for row in Measurement.objects.filter(condition).values_list("indicator_id", *_FIELDS):
        rows_by_indicator[row[0]].append(row[1:])
    changes = _changes_by_indicator({i for i, _ in missing})
    starts = _programme_teams(by_id[i] for i in lkt_ids)[1] if lkt_ids else {}
    result = {}
    for indicator_id in {i for i, _ in missing}:
        indicator = by_id[indicator_id]
        months = programme_months(indicator.programme)
        by_team, lkt, lkt_counts = _split_rows(indicator, rows_by_indicator[indicator_id])
        own_changes = changes.get(indicator_id, [])
        for key in [k for k in missing if k[0] == indicator_id]:
            team_id = key[1]
            if team_id is None:
                general = [c for c in own_changes if c.team_id is None]
                provisional = lkt_provisional(indicator, months, lkt_counts, starts[indicator_id])
                result[key] = summarise(
                    indicator, None, months, lkt, lkt_counts, general, provisional
                )
            else:
                points = by_team.get(team_id, {})
                relevant = [c for c in own_changes if c.team_id in (None, team_id)]
                counts = dict.fromkeys(points, 1)
                result[key] = summarise(indicator, team_id, months, points, counts, relevant)
    return result
