"""Cached series summaries: refreshed on every write, never trusted when stale."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.months import add_months
from indicators import services
from indicators.charting import build_chart
from indicators.models import ChartChange, SeriesSummary
from indicators.selectors import chart_changes, programme_months, team_points
from indicators.services import (
    Entry,
    chart_change_add,
    measurement_record,
    measurements_record_many,
)
from indicators.summaries import analyse_series, points_of, refresh_summaries, summaries_for
from tests.factories import IndicatorFactory, ProgrammeFactory, RegionFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

MONTHS = 24


@pytest.fixture
def world(clock):
    """A running LKT with two teams and one proportion indicator (higher is better)."""
    start = clock.month(-MONTHS)
    region = RegionFactory()
    programme = ProgrammeFactory(
        start_date=start, end_date=add_months(start, 36), lead_region=region
    )
    teams = [TeamFactory(programme=programme) for _ in range(2)]
    indicator = IndicatorFactory(programme=programme, kind="outcome", better_direction="up")
    months = [add_months(start, i) for i in range(MONTHS)]
    return programme, teams, indicator, months


def rising(i: int) -> int:
    return (20 if i < MONTHS // 2 else 80) + (i % 2) * 3


def fill(teams, indicator, months, numerator=rising) -> None:
    entries = [
        Entry(team, indicator, month, numerator=Decimal(numerator(i)), denominator=Decimal(100))
        for team in teams
        for i, month in enumerate(months)
    ]
    measurements_record_many(entries=entries, by=None)


def lkt_summary(indicator) -> SeriesSummary:
    return SeriesSummary.objects.get(indicator=indicator, team__isnull=True)


def test_recording_one_measurement_refreshes_the_team_and_the_lkt_series(world) -> None:
    programme, teams, indicator, months = world
    measurement_record(
        team=teams[0],
        indicator=indicator,
        period_start=months[0],
        numerator=3,
        denominator=10,
        by=None,
    )
    team_summary = SeriesSummary.objects.get(indicator=indicator, team=teams[0])
    assert team_summary.sparkline[0] == pytest.approx(30.0)
    assert team_summary.counts[0] == 1
    assert lkt_summary(indicator).counts[0] == 1
    assert team_summary.verdict == "too_few_data"

    measurement_record(
        team=teams[1],
        indicator=indicator,
        period_start=months[0],
        numerator=7,
        denominator=10,
        by=None,
    )
    lkt = lkt_summary(indicator)
    assert lkt.points[0] == [10.0, 20.0, None]  # sum of numerators over sum of denominators
    assert lkt.sparkline[0] == pytest.approx(50.0)
    assert lkt.counts[0] == 2
    assert SeriesSummary.objects.filter(indicator=indicator).count() == 3


def test_a_correction_changes_the_summary(world) -> None:
    programme, teams, indicator, months = world
    for numerator in (3, 9):
        measurement_record(
            team=teams[0],
            indicator=indicator,
            period_start=months[0],
            numerator=numerator,
            denominator=10,
            by=None,
        )
    assert SeriesSummary.objects.get(indicator=indicator, team=teams[0]).sparkline[0] == 90.0


def test_the_bulk_writer_refreshes_each_touched_series_in_one_call(world, monkeypatch) -> None:
    programme, teams, indicator, months = world
    other = IndicatorFactory(programme=programme)
    calls = []

    def spy(indicator_ids, team_ids=None):
        calls.append({i: sorted(t) for i, t in team_ids.items()})
        return refresh_summaries(indicator_ids, team_ids)

    monkeypatch.setattr(services, "refresh_summaries", spy)
    fill(teams, indicator, months)
    entries = [
        Entry(team, ind, month, numerator=Decimal(5), denominator=Decimal(10))
        for team, ind in ((teams[0], indicator), (teams[0], other), (teams[1], other))
        for month in months[:2]
    ]
    measurements_record_many(entries=entries, by=None)

    assert calls == [
        {indicator.pk: sorted(t.pk for t in teams)},
        {indicator.pk: [teams[0].pk], other.pk: sorted(t.pk for t in teams)},
    ]
    assert lkt_summary(indicator).n_useful == MONTHS
    assert lkt_summary(indicator).registered_recent == 2 * 3
    assert SeriesSummary.objects.get(indicator=other, team=teams[1]).counts[:3] == [1, 1, 0]
    assert (
        not SeriesSummary.objects.filter(indicator=other, team__isnull=False)
        .exclude(team__in=teams)
        .exists()
    )


def test_a_chart_change_refreshes_the_verdicts_as_the_charts_read_them(world) -> None:
    programme, teams, indicator, months = world
    fill(teams, indicator, months)
    assert lkt_summary(indicator).verdict == "improvement"

    # A new phase where the level changed: each part is its own baseline, stable at its level,
    # and the latest one's points lie far above the previous phase's centre line.
    chart_change_add(
        indicator=indicator,
        kind=ChartChange.Kind.SPLIT,
        period_start=months[MONTHS // 2],
        reason="Ny arbejdsgang indført",
        by=None,
    )
    summary = lkt_summary(indicator)
    aggregate_chart = build_chart(
        indicator,
        programme_months(programme),
        {m: p for (t, i, m), p in _aggregate(programme, indicator).items()},
        title="",
        kind="spc",
        changes=chart_changes(programme)[indicator.pk],
        lkt=True,
    )
    assert aggregate_chart.latest.verdict == "common_cause"
    assert summary.verdict == aggregate_chart.verdict == "improvement"
    assert summary.versus_previous_phase
    team_chart = build_chart(
        indicator,
        programme_months(programme),
        {m: p for (i, m), p in team_points(teams[0]).items()},
        title="",
        kind="spc",
        changes=chart_changes(programme)[indicator.pk],
    )
    team_summary = SeriesSummary.objects.get(indicator=indicator, team=teams[0])
    assert team_summary.verdict == team_chart.verdict


def _aggregate(programme, indicator):
    from indicators.programme_results import aggregate_points
    from indicators.selectors import programme_points

    months = programme_months(programme)
    team_ids = list(programme.teams.values_list("pk", flat=True))
    points = aggregate_points(indicator, team_ids, programme_points(programme), months)
    return {(None, indicator.pk, m): p for m, p in points.items()}


def test_a_team_only_chart_change_refreshes_that_team(world) -> None:
    programme, teams, indicator, months = world
    fill(teams, indicator, months)
    before = SeriesSummary.objects.get(indicator=indicator, team=teams[1]).computed_at
    chart_change_add(
        indicator=indicator,
        kind=ChartChange.Kind.BASELINE,
        period_start=months[5],
        reason="Baseline",
        team=teams[0],
        by=None,
    )
    assert SeriesSummary.objects.get(indicator=indicator, team=teams[1]).computed_at == before
    assert SeriesSummary.objects.get(indicator=indicator, team=teams[0]).computed_at > before


def test_a_stale_summary_is_analysed_on_the_fly_and_never_trusted(world) -> None:
    programme, teams, indicator, months = world
    fill(teams, indicator, months)
    # The direction changed outside the services (say, in the admin): the cache is stale.
    indicator.better_direction = "down"
    indicator.save()
    indicator.programme = programme
    found = summaries_for([indicator])[(indicator.pk, None)]
    assert found.pk is None  # computed, not read
    assert found.verdict == "deterioration"
    assert lkt_summary(indicator).verdict == "improvement"  # the page does not write


def test_a_missing_summary_is_analysed_on_the_fly_in_a_fixed_number_of_queries(
    world, django_assert_num_queries
) -> None:
    programme, teams, indicator, months = world
    fill(teams, indicator, months)
    SeriesSummary.objects.all().delete()
    indicator.programme = programme
    # stored summaries, measurements, chart changes, and the teams expected to report
    with django_assert_num_queries(4):
        found = summaries_for([indicator], team_ids=[t.pk for t in teams])
    assert found[(indicator.pk, None)].verdict == "improvement"
    assert all(found[(indicator.pk, t.pk)].n_useful == MONTHS for t in teams)


def test_the_command_refreshes_every_series(world) -> None:
    programme, teams, indicator, months = world
    fill(teams, indicator, months)
    SeriesSummary.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_summaries", stdout=out)
    assert "3 serier genberegnet for 1 indikatorer" in out.getvalue()
    assert lkt_summary(indicator).verdict == "improvement"


def test_the_demo_loader_leaves_every_series_summarised() -> None:
    from demo.loader import load_demo
    from indicators.models import Indicator

    load_demo()
    indicators = Indicator.objects.all()
    assert indicators.exists()
    assert SeriesSummary.objects.filter(team__isnull=True).count() == indicators.count()
    assert not SeriesSummary.objects.filter(verdict="").exists()


def test_the_bulk_refresh_takes_as_many_queries_for_many_indicators_as_for_one(world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme, teams, indicator, months = world
    others = [IndicatorFactory(programme=programme) for _ in range(4)]

    def queries(indicators) -> int:
        pairs = {i.pk: [t.pk for t in teams] for i in indicators}
        with CaptureQueriesContext(connection) as captured:
            refresh_summaries(pairs, pairs)
        return len(captured)

    fill(teams, indicator, months)
    for other in others:
        fill(teams, other, months)
    # 7 with the teams expected to report (their start dates)
    assert queries([indicator]) == queries([indicator, *others]) == 7


def test_the_drawn_chart_and_the_cached_summary_agree_on_baselines_and_splits(world) -> None:
    """Both take their options from `chart_options`: same parts, centre lines and verdicts."""
    programme, teams, indicator, months = world
    fill(teams, indicator, months)
    chart_change_add(
        indicator=indicator,
        kind=ChartChange.Kind.BASELINE,
        period_start=months[6],
        reason="Baseline før indsatsen",
        by=None,
    )
    chart_change_add(
        indicator=indicator,
        kind=ChartChange.Kind.SPLIT,
        period_start=months[MONTHS // 2],
        reason="Ny arbejdsgang indført",
        team=teams[0],
        by=None,
    )
    changes = chart_changes(programme)[indicator.pk]
    all_months = programme_months(programme)
    charts = {}
    for team in teams:
        relevant = [c for c in changes if c.team_id in (None, team.pk)]
        points = {m: p for (i, m), p in team_points(team).items() if i == indicator.pk}
        chart = build_chart(indicator, all_months, points, title="", kind="spc", changes=relevant)
        summary = SeriesSummary.objects.get(indicator=indicator, team=team)
        stored, plotted = analyse_series(
            indicator, all_months, points_of(summary, all_months), relevant
        )
        drawn = [part.analysis for part in chart.parts] or [chart.analysis]
        assert [a.cl for a in stored] == pytest.approx([a.cl for a in drawn])
        assert [a.baseline for a in stored] == [a.baseline for a in drawn]
        assert summary.verdict == chart.verdict
        assert summary.n_useful == chart.latest.n_useful
        assert summary.assurance == (chart.latest.assurance or "")
        assert summary.last_value == pytest.approx(chart.last_value)
        assert summary.sparkline == [None if y is None else round(y, 6) for y in plotted]
        assert plotted == [y for a in drawn for y in a.y]
        charts[team] = chart

    # The split team's chart has two parts, each its own baseline; the other keeps the frozen
    # centre line of the first seven months, which the new level rises far above.
    split, frozen = charts[teams[0]], charts[teams[1]]
    assert [part.start for part in split.parts] == [0, MONTHS // 2]
    assert split.latest.verdict == "common_cause"  # stable at its new level …
    assert split.verdict == "improvement"  # … far above the previous phase's centre line
    assert frozen.analysis.baseline == 7
    assert frozen.analysis.cl == pytest.approx(sum(rising(i) for i in range(7)) / 7)
    assert frozen.verdict == "improvement"
