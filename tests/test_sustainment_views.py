"""Sustainment in the portal: registering after the end date (months and quarters, form and
upload), the team chart's sustainment phase, who holds the gains on the steering overview and
the status page, the yearly sustainment PDF, and hostile input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.months import add_months
from indicators.importer.checking import check_rows
from indicators.importer.rows import parse_rows
from indicators.importer.table import read_table
from indicators.models import Indicator, Measurement
from programmes.models import Programme
from status.selectors.overview import annotated_programmes, status_rows
from teams.models import ProgressScore, SustainmentPlan
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ProgrammeFactory,
    TeamFactory,
    TeamMemberFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

LKT_MONTHS = 25  # a two-year LKT from the 1st: its end date is the 1st of month 25


def _enter(team, month: dt.date) -> str:
    return reverse("indicators:enter_month", args=[team.pk, month.strftime("%Y-%m")])


def _in_sustainment(programme: Programme, start: dt.date, frequency: str = "monthly") -> None:
    programme.start_date = start
    programme.end_date = start.replace(year=start.year + 2)
    programme.status = Programme.Status.SUSTAINMENT
    programme.sustainment_start = add_months(programme.end_date, 1)
    programme.sustainment_frequency = frequency
    programme.save()


@pytest.fixture
def counts(cast):
    """KOL with a count indicator (fewer is better)."""
    return IndicatorFactory(
        programme=cast.kol,
        name="Genindlæggelser",
        measure=Indicator.Measure.COUNT,
        better_direction="down",
        multiplier=1,
        unit="",
    )


# --- Registering after the end date --------------------------------------------------------------


def test_in_sustainment_a_team_registers_a_month_after_the_end(client, cast, clock, counts) -> None:
    _in_sustainment(cast.kol, clock.month(-30))  # ended on the 1st of month -6
    client.force_login(cast.local_lead)
    last_month = clock.month(-1)

    grid = client.get(reverse("indicators:enter", args=[cast.kol_rm.pk]))
    response = client.post(_enter(cast.kol_rm, last_month), {f"val_{counts.pk}": "4"})

    assert grid.status_code == 200 and _enter(cast.kol_rm, last_month) in grid.content.decode()
    assert response.status_code == 302
    saved = Measurement.objects.get(team=cast.kol_rm, indicator=counts)
    assert saved.period_start == last_month and saved.value == 4


def test_without_sustainment_no_month_after_the_end_can_be_registered(
    client, cast, clock, counts
) -> None:
    _in_sustainment(cast.kol, clock.month(-30))
    cast.kol.status = Programme.Status.COMPLETED
    cast.kol.save()
    client.force_login(cast.local_lead)
    last_month = clock.month(-1)

    response = client.post(_enter(cast.kol_rm, last_month), {f"val_{counts.pk}": "4"})
    late = Measurement(team=cast.kol_rm, indicator=counts, period_start=last_month, value=4)

    assert response.status_code == 404
    with pytest.raises(ValidationError, match="uden for programmets periode"):
        late.full_clean()
    assert not Measurement.objects.exists()


def test_a_progress_score_after_the_end_needs_sustainment(cast, clock) -> None:
    _in_sustainment(cast.kol, clock.month(-30))
    score = ProgressScore(team=cast.kol_rm, month=clock.month(-1), rater="team", score="4.5")
    score.full_clean()  # in sustainment: fine
    cast.kol.status = Programme.Status.COMPLETED
    cast.kol.save()
    with pytest.raises(ValidationError, match="efter programmets slutning"):
        score.full_clean()


@pytest.fixture
def quarterly(cast, clock, counts):
    """Today 10 May 2027; KOL ran 1 August 2024 to 1 August 2026 and is measured quarterly:
    September 2026 is bridged as a month, then Q4 2026 and Q1 2027 have ended (Q2 has not)."""
    clock.move_to("2027-05-10T12:00")
    _in_sustainment(cast.kol, dt.date(2024, 8, 1), "quarterly")
    return counts


def test_quarters_show_in_the_grid_and_a_quarter_is_saved_by_its_first_day(
    client, cast, quarterly
) -> None:
    client.force_login(cast.local_lead)

    grid = client.get(reverse("indicators:enter", args=[cast.kol_rm.pk])).content.decode()
    response = client.post(_enter(cast.kol_rm, dt.date(2027, 1, 1)), {f"val_{quarterly.pk}": "7"})

    def column(label: str) -> str:
        return f'<span class="visually-hidden">{label}</span>'

    assert column("4. kvt. 2026") in grid and column("1. kvt. 2027") in grid
    assert column("september 2026") in grid
    assert column("2. kvt. 2027") not in grid  # not ended yet
    assert response.status_code == 302
    assert Measurement.objects.get().period_start == dt.date(2027, 1, 1)
    page = client.get(response.url).content.decode()
    assert "Data for 1. kvt. 2027 er gemt." in page


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2027-02", "angiv kvartalets første måned, januar 2027"),
        ("2027-04", "er ikke slut endnu"),
        ("2026-11", "angiv kvartalets første måned, oktober 2026"),
    ],
)
def test_a_month_inside_or_a_quarter_not_ended_is_refused(
    client, cast, quarterly, month, message
) -> None:
    client.force_login(cast.local_lead)
    day = dt.date(int(month[:4]), int(month[5:]), 1)

    response = client.post(_enter(cast.kol_rm, day), {f"val_{quarterly.pk}": "7"})
    row = Measurement(team=cast.kol_rm, indicator=quarterly, period_start=day, value=7)

    assert response.status_code == 404
    with pytest.raises(ValidationError, match=message):
        row.full_clean()


def test_the_upload_takes_quarters_in_sustainment(cast, quarterly) -> None:
    TeamMemberFactory(team=cast.kol_rm, user=cast.member)
    lines = [
        "team;indikator;periode;tæller;nævner;værdi;kommentar",
        f"{cast.kol_rm.name};Genindlæggelser;2026-Q4;;;5;",
        f"{cast.kol_rm.name};Genindlæggelser;1. kvt. 2027;;;6;",
        f"{cast.kol_rm.name};Genindlæggelser;2027-02;;;6;",
        f"{cast.kol_rm.name};Genindlæggelser;2027-Q2;;;6;",
    ]
    table = read_table("\r\n".join(lines).encode(), "data.csv")

    rows = check_rows(parse_rows(table), cast.member)

    assert [row.status for row in rows[:2]] != ["error", "error"]
    assert not rows[0].errors and not rows[1].errors
    assert any("kvartalets første måned" in e for e in rows[2].errors)
    assert any("ikke slut endnu" in e for e in rows[3].errors)


def test_a_quarter_deadline_falls_after_the_quarter_even_across_new_year(cast, quarterly) -> None:
    cast.kol.refresh_from_db()
    # Q4 2026 ends 31 December; the deadline day (15) of the month after is 15 January 2027.
    assert cast.kol.period_deadline(dt.date(2026, 10, 1)) == dt.date(2027, 1, 15)
    assert cast.kol.period_deadline(dt.date(2026, 9, 1)) == dt.date(2026, 10, 15)


def test_on_a_leap_day_the_last_quarter_of_the_year_before_has_ended(cast, clock, counts) -> None:
    clock.move_to("2028-02-29T12:00")
    _in_sustainment(cast.kol, dt.date(2024, 8, 1), "quarterly")
    periods = cast.kol.sustainment_periods(timezone.localdate())
    # Sep 2026, then Q4 2026 … Q4 2027 (five quarters); Q1 2028 ends 31 March.
    assert periods == [
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 4, 1),
        dt.date(2027, 7, 1),
        dt.date(2027, 10, 1),
    ]


@pytest.mark.parametrize(
    "month", ["2027-13", "0000-01", "99999-01", "-1-01", "2027-00", "x" * 20000, "2027-01\x00"]
)
def test_hostile_months_are_404_not_500(client, cast, quarterly, month) -> None:
    client.force_login(cast.local_lead)
    url = reverse("indicators:enter", args=[cast.kol_rm.pk]) + month.replace("\x00", "%00") + "/"
    assert client.get(url).status_code == 404
    assert client.post(url, {f"val_{quarterly.pk}": "1"}).status_code == 404


# --- Holding the gains on the charts and the status pages ----------------------------------------


def _count(value: int) -> dict:
    return {"numerator": None, "denominator": None, "value": Decimal(value)}


@pytest.fixture
def sustained(cast, clock, counts):
    """KOL ended 8 months ago; 25 LKT months (5, then 6 and 4 alternating: median 5) for both
    teams. After
    the end, kol_rm's readmissions sit at 9 for 8 months (above: fewer is better → slipping);
    kol_rsd's go on alternating (holding); a third team has nothing; kol_rsd and the third team
    have approved plans, kol_rm a draft."""
    start = clock.month(-(LKT_MONTHS + 8))
    _in_sustainment(cast.kol, start)
    third = TeamFactory(programme=cast.kol, region=cast.regions["rm"], name="Lunge Viborg")
    for team in (cast.kol_rm, cast.kol_rsd):
        for i in range(LKT_MONTHS):
            MeasurementFactory(
                team=team,
                indicator=counts,
                period_start=add_months(start, i),
                **_count(5 if i == 0 else 4 + 2 * (i % 2)),
            )
    for i in range(8):
        month = add_months(start, LKT_MONTHS + i)
        MeasurementFactory(team=cast.kol_rm, indicator=counts, period_start=month, **_count(9))
        MeasurementFactory(
            team=cast.kol_rsd, indicator=counts, period_start=month, **_count(4 + 2 * (i % 2))
        )
    now = timezone.now()
    SustainmentPlan.objects.create(programme=cast.kol, team=cast.kol_rm)
    for team in (cast.kol_rsd, third):
        SustainmentPlan.objects.create(
            programme=cast.kol, team=team, state="approved", approved_at=now
        )
    return cast, counts, third


def test_the_team_chart_shows_the_sustainment_phase_and_the_relapse(client, sustained) -> None:
    cast, _, _ = sustained
    client.force_login(cast.local_lead)

    page = client.get(reverse("indicators:team_results", args=[cast.kol_rm.pk])).content.decode()

    assert "Fastholdelse" in page
    assert "Tilbagefald siden LKT&#x27;et sluttede" in page
    assert "centerlinje (5)." in page  # the LKT's median, kept


def test_the_holding_team_chart_says_the_gains_hold(client, sustained) -> None:
    cast, _, _ = sustained
    client.force_login(cast.member)

    page = client.get(reverse("indicators:team_results", args=[cast.kol_rsd.pk])).content.decode()

    assert "Forbedringerne holder" in page
    assert "Tilbagefald" not in page


def test_the_overview_shows_the_share_holding_and_the_plan_coverage(client, sustained) -> None:
    cast, _, _ = sustained
    client.force_login(cast.steering)

    page = client.get(reverse("status:overview")).content.decode()

    # 1 of 3 teams holds (kol_rsd); kol_rm slips; the third has no data. 2 of 3 plans approved.
    assert "33&nbsp;%" in page and "(1 af 3 teams)" in page
    assert "67&nbsp;%" in page and "(2 af 3 teams)" in page
    assert "1 team med tilbagefald" in page


def test_the_status_page_lists_each_team_with_its_state(client, sustained) -> None:
    cast, counts, third = sustained
    client.force_login(cast.steering)

    page = client.get(reverse("status:programme", args=[cast.kol.pk])).content.decode()

    section = page[page.index('id="sustainment"') :]
    rows = {
        team.name: section[section.index(team.name) :][:900]
        for team in (cast.kol_rm, cast.kol_rsd, third)
    }
    assert 'data-holding="slipping"' in rows[cast.kol_rm.name]
    assert counts.name in rows[cast.kol_rm.name] and "Udkast" in rows[cast.kol_rm.name]
    assert 'data-holding="holding"' in rows[cast.kol_rsd.name]
    assert 'data-holding="no_data"' in rows[third.name]


def test_the_lkt_chart_on_the_status_page_has_the_sustainment_phase(client, sustained) -> None:
    cast, counts, _ = sustained
    client.force_login(cast.steering)

    page = client.get(reverse("status:programme", args=[cast.kol.pk])).content.decode()

    # The LKT level plots the mean per reporting team: 25 months with mean 5 (5 + 12 x 6 +
    # 12 x 4 over 25), then (9 + 4) / 2 and (9 + 6) / 2, all above: readmissions went back up.
    # Last month is provisional (2 of 3 teams, deadline not passed); the 7 before it are all
    # above the LKT's mean, 0 crossings < 1 expected: a signal on the bad side.
    charts = page[page.index('aria-labelledby="indicators"') :]
    assert "Tilbagefald siden LKT&#x27;et sluttede" in charts
    assert "Fastholdelse" in charts


def test_completeness_in_sustainment_counts_the_latest_sustainment_periods(
    sustained, clock
) -> None:
    cast, _, _ = sustained
    (programme,) = annotated_programmes().filter(pk=cast.kol.pk)
    (row,) = status_rows([programme], [])
    # Three latest periods past their deadline, 3 teams x 1 indicator; kol_rm and kol_rsd have
    # all of them (every month through last month), the third team none: 6 of 9.
    assert len(row.periods) == 3 and all(p > programme.end_date for p in row.periods)
    assert (row.registered, row.expected) == (6, 9)


def _programmes_in_sustainment(n: int, clock) -> list[Programme]:
    made = []
    for i in range(n):
        programme = ProgrammeFactory(name=f"LKT {i}", slug=f"lkt-{i}")
        _in_sustainment(programme, clock.month(-(LKT_MONTHS + 7)))
        indicator = IndicatorFactory(programme=programme, better_direction="up")
        for j in range(2):
            team = TeamFactory(programme=programme, name=f"Team {i}.{j}")
            SustainmentPlan.objects.create(programme=programme, team=team)
            for k in range(LKT_MONTHS + 6):
                MeasurementFactory(
                    team=team,
                    indicator=indicator,
                    period_start=add_months(programme.start_date, k),
                    numerator=Decimal(k % 5),
                    denominator=Decimal(10),
                    value=None,
                )
        made.append(programme)
    return made


def test_the_overview_queries_do_not_grow_with_the_lkts_in_sustainment(cast, clock) -> None:
    made = _programmes_in_sustainment(3, clock)

    def queries(programmes: list[Programme]) -> int:
        listed = list(annotated_programmes().filter(pk__in=[p.pk for p in programmes]))
        with CaptureQueriesContext(connection) as captured:
            status_rows(listed, [])
        return len(captured)

    assert queries(made[:1]) == queries(made)


def test_the_overview_page_stays_within_its_query_budget(
    client, cast, clock, django_assert_max_num_queries
) -> None:
    _programmes_in_sustainment(3, clock)
    client.force_login(cast.steering)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("status:overview")).status_code == 200


def test_the_yearly_sustainment_pdf(client, sustained) -> None:
    cast, _, _ = sustained
    client.force_login(cast.steering)

    response = client.get(reverse("status:sustainment_pdf", args=[cast.kol.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="lkt-fastholdelse-kol-' in response["Content-Disposition"]


def test_no_sustainment_pdf_for_an_lkt_not_in_sustainment(client, cast) -> None:
    client.force_login(cast.steering)
    assert client.get(reverse("status:sustainment_pdf", args=[cast.kol.pk])).status_code == 404


def test_the_sustainment_pdf_is_rate_limited(client, sustained, settings) -> None:
    from django.core.cache import caches

    cast, _, _ = sustained
    caches["ratelimit"].clear()
    settings.LKT_RATE_LIMITS = {**settings.LKT_RATE_LIMITS, "pdf": (1, 60)}
    client.force_login(cast.steering)
    url = reverse("status:sustainment_pdf", args=[cast.kol.pk])

    answers = [client.get(url).status_code for _ in range(2)]

    caches["ratelimit"].clear()
    assert answers == [200, 429]
