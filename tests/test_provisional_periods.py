"""Complete and provisional LKT-level months (issue 2/9, point 1; SPC.md "Incomplete periods"):
the one rule, the per-team figure for counts, and their effect on charts, cached summaries,
status pages and PDFs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.months import add_months
from indicators.charting import build_chart
from indicators.completeness import (
    Provisional,
    expected_teams,
    is_complete,
    open_since,
    provisional_months,
)
from indicators.models import ChartChange, Measure, SeriesSummary
from indicators.programme_results import aggregate_points
from indicators.selectors import Point, programme_points
from indicators.services import Entry, chart_change_add, measurements_record_many
from indicators.summaries import (
    points_of,
    provisional_of,
    refresh_summaries,
    summaries_for,
    summarise,
)
from status.selectors.series import SeriesStatus
from tests.factories import IndicatorFactory, ProgrammeFactory, TeamFactory
from tests.lazy import with_lazy_parts

# --- The rule itself (pure Python) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "expected", "passed", "complete"),
    [
        (7, 7, False, True),  # every team has reported
        (8, 7, False, True),  # a team that was not expected reported too
        (3, 7, False, False),  # waiting for four teams
        (3, 7, True, True),  # the deadline has passed: what is there counts
        (0, 0, False, True),  # nobody expected
    ],
)
def test_the_rule(reported: int, expected: int, passed: bool, complete: bool) -> None:
    assert is_complete(reported, expected, passed) is complete


JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def test_a_month_is_provisional_until_every_expected_team_has_reported() -> None:
    months = [JAN, FEB]
    starts = [None, None, None]
    today = dt.date(2025, 3, 5)  # January's deadline (10 February) has passed, February's not
    found = provisional_months(months, {JAN: 2, FEB: 2}, starts, deadline_day=10, today=today)
    assert found == {FEB: Provisional(FEB, 2, 3)}
    found = provisional_months(months, {JAN: 2, FEB: 3}, starts, deadline_day=10, today=today)
    assert found == {}


def test_the_deadline_day_itself_is_still_open() -> None:
    def provisional_on(today: dt.date) -> bool:
        found = provisional_months([FEB], {FEB: 1}, [None, None], deadline_day=10, today=today)
        return FEB in found

    assert provisional_on(dt.date(2025, 3, 10))
    assert not provisional_on(dt.date(2025, 3, 11))


def test_a_team_is_expected_from_the_month_it_started() -> None:
    starts = [None, dt.date(2025, 2, 17)]
    assert expected_teams(starts, JAN) == 1
    assert expected_teams(starts, FEB) == 2
    found = provisional_months(
        [JAN, FEB], {JAN: 1, FEB: 1}, starts, deadline_day=10, today=dt.date(2025, 2, 3)
    )
    assert found == {FEB: Provisional(FEB, 1, 2)}  # January is complete with its one team


def test_a_month_no_team_has_reported_has_nothing_to_draw() -> None:
    found = provisional_months([FEB], {}, [None], deadline_day=10, today=dt.date(2025, 3, 1))
    assert found == {}


@pytest.mark.parametrize(
    ("today", "first_open"),
    [
        (dt.date(2025, 3, 15), FEB),  # February's deadline is today: still open
        (dt.date(2025, 3, 16), MAR),
        (dt.date(2025, 1, 1), dt.date(2024, 12, 1)),  # over the new year
        (dt.date(2024, 12, 31), dt.date(2024, 12, 1)),
        (dt.date(2024, 2, 29), dt.date(2024, 2, 1)),  # leap day: January is past
        (dt.date(2024, 2, 15), dt.date(2024, 1, 1)),
    ],
)
def test_the_first_open_month(today: dt.date, first_open: dt.date) -> None:
    assert open_since(15, today) == first_open


# --- An LKT with a provisional month ----------------------------------------------------------

MONTHS = 20
TEAMS = 3
DEADLINE_DAY = 27
PER_TEAM = [40, 42, 38, 41, 39, 40, 43, 37, 40, 41, 39, 42, 38, 40, 41, 39, 40, 42, 38, 41]


def the_second_of_this_month(clock) -> None:
    """Noon on the 2nd: last month's deadline (the 27th) is still to come, on any date."""
    clock.move_to(f"{clock.month(0):%Y-%m}-02T12:00")


@pytest.fixture
def lkt(db, clock):
    """Three teams, a proportion and a count indicator, 20 months of data from every team up to
    the month before last; last month so far only from the first team, with figures far off."""
    the_second_of_this_month(clock)
    start = clock.month(-MONTHS - 1)
    programme = ProgrammeFactory(
        start_date=start, end_date=add_months(start, 36), data_deadline_day=DEADLINE_DAY
    )
    teams = [TeamFactory(programme=programme, name=f"Team {n}") for n in range(TEAMS)]
    share = IndicatorFactory(programme=programme, name="Andel", better_direction="up")
    admissions = IndicatorFactory(
        programme=programme,
        name="Akutte indlæggelser",
        measure=Measure.COUNT,
        unit="indlæggelser",
        better_direction="down",
    )
    months = [add_months(start, i) for i in range(MONTHS + 1)]
    entries = []
    for i, month in enumerate(months[:-1]):
        for team in teams:
            numerator = Decimal(50 + i % 3)
            entries.append(Entry(team, share, month, numerator=numerator, denominator=100))
            entries.append(Entry(team, admissions, month, value=Decimal(PER_TEAM[i])))
    early = teams[0]
    entries.append(Entry(early, share, months[-1], numerator=Decimal(99), denominator=100))
    entries.append(Entry(early, admissions, months[-1], value=Decimal(5)))
    measurements_record_many(entries=entries, by=None)
    return programme, teams, share, admissions, months


def lkt_summary(indicator) -> SeriesSummary:
    return SeriesSummary.objects.get(indicator=indicator, team__isnull=True)


@pytest.mark.clock
def test_the_lkt_count_is_the_mean_per_reporting_team(lkt) -> None:
    programme, teams, share, admissions, months = lkt
    points = programme_points(programme)
    found = aggregate_points(admissions, [t.pk for t in teams], points, months)
    assert found[months[0]] == Point(None, None, PER_TEAM[0])  # three teams of 40
    assert found[months[-1]] == Point(None, None, 5)  # one team: its own figure, not 5/3
    summary = lkt_summary(admissions)
    assert points_of(summary, months)[months[0]].value == PER_TEAM[0]
    assert points_of(summary, months)[months[-1]].value == 5
    # The proportion stays Σ numerators / Σ denominators.
    shares = aggregate_points(share, [t.pk for t in teams], points, months)
    assert shares[months[1]] == Point(3 * 51, 300, None)
    assert shares[months[-1]] == Point(99, 100, None)


@pytest.mark.clock
def test_a_provisional_month_is_stored_but_left_out_of_the_summary(lkt) -> None:
    programme, teams, share, admissions, months = lkt
    for indicator in (share, admissions):
        summary = lkt_summary(indicator)
        assert provisional_of(summary) == {months[-1]: Provisional(months[-1], 1, TEAMS)}
        assert summary.sparkline[-1] is None
        assert summary.n_useful == MONTHS
    assert lkt_summary(admissions).last_value == PER_TEAM[-1]
    assert lkt_summary(share).last_value == pytest.approx(100 * (50 + (MONTHS - 1) % 3) / 100)
    assert lkt_summary(admissions).verdict == "common_cause"
    assert lkt_summary(share).verdict == "common_cause"


@pytest.mark.clock
def test_counted_the_early_month_would_have_moved_the_verdict(lkt) -> None:
    """The exclusion matters: analysed with the early team's month, the verdicts change."""
    programme, teams, share, admissions, months = lkt
    for indicator in (share, admissions):
        stored = lkt_summary(indicator)
        points = points_of(stored, months)
        counts = {m: TEAMS for m in months}
        counted = summarise(indicator, None, months, points, counts)
        assert counted.last_value != stored.last_value
        assert counted.verdict == "improvement"  # 99 % (up is better), 5 admissions (down)
        assert stored.verdict == "common_cause"


@pytest.mark.clock
def test_the_month_counts_once_every_team_has_reported(lkt) -> None:
    programme, teams, share, admissions, months = lkt
    measurements_record_many(
        entries=[Entry(t, admissions, months[-1], value=Decimal(44)) for t in teams[1:]], by=None
    )
    summary = lkt_summary(admissions)
    assert summary.provisional == []
    assert summary.last_value == pytest.approx((5 + 44 + 44) / 3)
    assert lkt_summary(share).provisional  # the other indicator still waits


@pytest.mark.clock
def test_the_month_counts_once_its_deadline_has_passed_without_new_data(lkt, clock) -> None:
    programme, teams, share, admissions, months = lkt
    stored = lkt_summary(admissions)
    clock.move_to(f"{clock.month(0):%Y-%m}-{DEADLINE_DAY + 1}T00:30")
    found = summaries_for([admissions])[(admissions.pk, None)]
    assert found.signature != stored.signature  # the cached verdict is stale now
    assert found.provisional == []
    assert found.last_value == 5
    refresh_summaries([admissions.pk])
    assert lkt_summary(admissions).signature == found.signature


@pytest.mark.clock
def test_the_chart_draws_the_provisional_month_apart(lkt) -> None:
    programme, teams, share, admissions, months = lkt
    summary = lkt_summary(admissions)
    chart = build_chart(
        admissions,
        months,
        points_of(summary, months),
        title="Akutte indlæggelser",
        kind="spc",
        lkt=True,
        provisional=provisional_of(summary),
    )
    assert chart.last_value == PER_TEAM[-1]
    assert chart.verdict == "common_cause"
    assert chart.latest is not None and chart.latest.y[-1] is None
    assert chart.latest.chart == "i"  # a mean per team, not a Poisson count
    assert [(p.month, p.value, p.label) for p in chart.provisional] == [
        (months[-1], 5, "foreløbig: 1 af 3 teams")
    ]
    assert chart.svg.count('class="spc-point provisional"') == 1
    assert "(foreløbig: 1 af 3 teams)</title>" in chart.svg
    assert chart.per_team_note.startswith("Gennemsnit pr. rapporterende team")
    with translation.override("en"):
        assert chart.provisional[0].label == "provisional: 1 of 3 teams"


@pytest.mark.clock
def test_the_results_page_marks_the_month_provisional(client, lkt, cast) -> None:
    programme, teams, share, admissions, months = lkt
    client.force_login(cast.administrator)
    html = with_lazy_parts(client, reverse("indicators:programme_results", args=[programme.pk]))
    assert html.count("foreløbig: 1 af 3 teams") >= 4  # two charts, each in SVG and caption
    assert "Gennemsnit pr. rapporterende team" in html


@pytest.mark.clock
def test_status_pages_show_the_complete_value_and_the_provisional_note(client, lkt, cast) -> None:
    programme, teams, share, admissions, months = lkt
    client.force_login(cast.steering)
    response = client.get(reverse("status:programme", args=[programme.pk]))
    rows = {s.indicator.pk: s for s in response.context["row"].indicators}
    assert rows[admissions.pk].last_value == f"{PER_TEAM[-1]} indlæggelser"
    assert rows[admissions.pk].provisional_note == "foreløbig: 1 af 3 teams"
    html = response.content.decode()
    assert "foreløbig: 1 af 3 teams" in html
    cells = re.findall(r'<td class="small text-end text-nowrap">([^<]*)<', html)
    assert f"{PER_TEAM[-1]} indlæggelser" in cells  # "Seneste værdi"
    assert "5 indlæggelser" not in cells


@pytest.mark.clock
def test_the_programme_pdf_reports_the_complete_value(client, lkt, cast) -> None:
    programme, teams, share, admissions, months = lkt
    client.force_login(cast.steering)
    response = client.get(reverse("status:programme_pdf", args=[programme.pk]))
    assert response.content.startswith(b"%PDF")
    rows = {s.indicator.pk: s for s in response.context["row"].indicators}  # what it printed
    assert rows[admissions.pk].last_value == f"{PER_TEAM[-1]} indlæggelser"
    assert rows[share.pk].verdict == "common_cause"


# --- Status page items ------------------------------------------------------------------------


@pytest.mark.clock
def test_the_overview_badge_names_the_change_from_the_previous_phase(
    client, cast, clock, db
) -> None:
    start = clock.month(-22)
    programme = ProgrammeFactory(name="Fasetest", start_date=start, end_date=add_months(start, 36))
    team = TeamFactory(programme=programme)
    indicator = IndicatorFactory(programme=programme, better_direction="up", name="Plan")
    months = [add_months(start, i) for i in range(22)]
    measurements_record_many(
        entries=[
            Entry(team, indicator, m, numerator=Decimal(15 if i < 12 else 21), denominator=25)
            for i, m in enumerate(months)
        ],
        by=None,
    )
    chart_change_add(
        indicator=indicator,
        kind=ChartChange.Kind.SPLIT,
        period_start=months[12],
        reason="Ny pakke",
        by=None,
    )
    summary = lkt_summary(indicator)
    assert summary.versus_previous_phase and summary.verdict == "improvement"
    assert SeriesStatus(indicator, summary).verdict_label == "Forbedret ift. forrige fase"
    client.force_login(cast.steering)
    html = client.get(reverse("status:overview")).content.decode()
    assert "Forbedret ift. forrige fase</span>" in html
    assert 'title="Forbedring i forhold til forrige fase (fra 60 % til 84 %)"' in html
    with translation.override("en"):
        assert SeriesStatus(indicator, summary).verdict_label == "Improved on previous phase"


@pytest.mark.clock
def test_the_team_rows_carry_the_variation_and_assurance_icons(client, lkt, cast) -> None:
    programme, teams, share, admissions, months = lkt
    client.force_login(cast.steering)
    html = client.get(reverse("status:programme", args=[programme.pk])).content.decode()
    table = html[html.index('id="teams"') :]
    table = table[: table.index("</table>")]
    for team in teams:
        row = table[table.index(team.name) :]
        row = row[: row.index("</tr>")]
        assert row.count('<svg class="spc-icon spc-icon-') >= 2  # at least one per indicator
        assert '<span class="visually-hidden">Akutte indlæggelser:</span>' in row
        assert '<span class="visually-hidden">Andel:</span>' in row
    # The later teams vary by chance only; the early one's own far-off month is a signal.
    quiet = table[table.index(teams[1].name) :]
    assert quiet[: quiet.index("</tr>")].count("spc-icon-common-cause") == 2


@pytest.mark.clock
def test_a_team_joining_changes_who_must_report(lkt, clock, django_capture_on_commit_callbacks):
    programme, teams, share, admissions, months = lkt
    with django_capture_on_commit_callbacks(execute=True):
        TeamFactory(programme=programme, name="Starter i denne måned", started_on=clock.today())
    assert provisional_of(lkt_summary(admissions)) == {months[-1]: Provisional(months[-1], 1, 3)}
    with django_capture_on_commit_callbacks(execute=True):
        late = TeamFactory(programme=programme, name="Med fra starten")
    assert provisional_of(lkt_summary(admissions)) == {months[-1]: Provisional(months[-1], 1, 4)}
    with django_capture_on_commit_callbacks(execute=True):
        late.delete()
    assert provisional_of(lkt_summary(share)) == {months[-1]: Provisional(months[-1], 1, 3)}
