"""Registering a month of data in the browser, the team's charts, progress scores, baselines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.months import add_months
from indicators.models import ChartChange, Indicator, Measurement
from indicators.summaries import refresh_summaries
from teams.models import PDSACycle, ProgressScore
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory
from tests.lazy import with_lazy_parts

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def last_month(clock) -> dt.date:
    return clock.month(-1)


@pytest.fixture
def kol(cast, last_month):
    """KOL running for the last 14 months, with a proportion and a count indicator."""
    cast.kol.start_date = add_months(last_month, -13)
    cast.kol.end_date = add_months(last_month, 10)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol,
        name="Andel med inhalationstjek",
        measure=Indicator.Measure.PROPORTION,
        better_direction="up",
        target=90,
        numerator_definition="Patienter med tjek",
    )
    count = IndicatorFactory(
        programme=cast.kol,
        name="Genindlæggelser",
        measure=Indicator.Measure.COUNT,
        better_direction="down",
        multiplier=1,
        unit="",
    )
    return cast, share, count


def _url(team, month: dt.date) -> str:
    return reverse("indicators:enter_month", args=[team.pk, month.strftime("%Y-%m")])


def test_a_team_member_registers_a_month_with_decimal_commas(client, kol, last_month) -> None:
    cast, share, count = kol
    client.force_login(cast.local_lead)

    response = client.post(
        _url(cast.kol_rm, last_month),
        {
            f"num_{share.pk}": "12",
            f"den_{share.pk}": "15,0",
            f"val_{count.pk}": "3",
            f"comment_{count.pk}": "Ny rutine",
        },
    )

    assert response.status_code == 302
    saved = Measurement.objects.get(team=cast.kol_rm, indicator=share)
    assert (saved.numerator, saved.denominator, saved.registered_by) == (12, 15, cast.local_lead)
    assert Measurement.objects.get(indicator=count).comment == "Ny rutine"


def test_a_correction_keeps_the_old_value_in_the_history(client, kol, last_month) -> None:
    cast, share, _ = kol
    client.force_login(cast.local_lead)
    client.post(_url(cast.kol_rm, last_month), {f"num_{share.pk}": "12", f"den_{share.pk}": "15"})
    client.post(_url(cast.kol_rm, last_month), {f"num_{share.pk}": "13", f"den_{share.pk}": "15"})

    measurement = Measurement.objects.get(team=cast.kol_rm, indicator=share)
    versions = list(measurement.history.order_by("history_date"))
    assert [v.numerator for v in versions] == [Decimal(12), Decimal(13)]
    assert versions[-1].history_user == cast.local_lead
    assert versions[-1].history_type == "~"


def test_an_impossible_figure_saves_nothing_of_the_month(client, kol, last_month) -> None:
    cast, share, count = kol
    client.force_login(cast.local_lead)

    response = client.post(
        _url(cast.kol_rm, last_month),
        {f"num_{share.pk}": "16", f"den_{share.pk}": "15", f"val_{count.pk}": "3"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Tælleren (16) er større end nævneren (15)" in page
    assert "Intet er gemt" in page
    assert not Measurement.objects.exists()


def test_text_input_gets_a_danish_message(client, kol, last_month) -> None:
    cast, share, _ = kol
    client.force_login(cast.local_lead)
    response = client.post(
        _url(cast.kol_rm, last_month), {f"num_{share.pk}": "tolv", f"den_{share.pk}": "15"}
    )
    assert "Indtast et tal" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_cpr_number_in_a_comment_is_refused(client, kol, last_month) -> None:
    cast, _, count = kol
    client.force_login(cast.local_lead)
    response = client.post(
        _url(cast.kol_rm, last_month),
        {f"val_{count.pk}": "2", f"comment_{count.pk}": "pt. 0101701234"},
    )
    assert "CPR-nummer" in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_data_ladder(client, kol, last_month) -> None:
    cast, share, _ = kol
    url = _url(cast.kol_rm, last_month)
    data = {f"num_{share.pk}": "1", f"den_{share.pk}": "2"}

    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.member)  # same programme, other team: reads, cannot write
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(cast.steering)
    assert "Kun teamets egne medlemmer" in client.get(url).content.decode()
    assert client.post(url, data).status_code == 403
    assert not Measurement.objects.exists()


def test_a_month_outside_the_programme_is_not_found(client, kol, last_month) -> None:
    cast, _, _ = kol
    client.force_login(cast.local_lead)
    assert client.get(_url(cast.kol_rm, add_months(last_month, 1))).status_code == 404
    assert (
        client.get(reverse("indicators:enter_month", args=[cast.kol_rm.pk, "x"])).status_code == 404
    )


def test_the_grid_shows_registered_and_missing_months(client, kol, last_month) -> None:
    cast, share, _ = kol
    MeasurementFactory(team=cast.kol_rm, indicator=share, period_start=last_month)
    client.force_login(cast.local_lead)
    response = client.get(reverse("indicators:enter", args=[cast.kol_rm.pk]))
    assert "1 af 28 forventede målinger er registreret" in response.content.decode()


def test_the_team_results_show_a_chart_per_indicator_with_pdsa_and_verdict(client, kol) -> None:
    cast, share, count = kol
    # Six low months, then eight high ones: a run of 8 above the median (limit 7 for 14 points).
    numerators = [4, 5, 6, 5, 4, 6, 12, 13, 14, 13, 12, 14, 13, 12]
    for i, numerator in enumerate(numerators):
        MeasurementFactory(
            team=cast.kol_rm,
            indicator=share,
            period_start=add_months(cast.kol.start_date, i),
            numerator=numerator,
            denominator=15,
        )
    PDSACycle.objects.create(
        team=cast.kol_rm,
        title="Tjekliste",
        started_on=add_months(cast.kol.start_date, 6),
    ).indicators.add(share)
    client.force_login(cast.member)

    page = client.get(reverse("indicators:team_results", args=[cast.kol_rm.pk])).content.decode()

    assert page.count("<svg") >= 2
    assert "PDSA: Tjekliste" in page
    assert "Forbedring" in page
    assert "For få data" in page  # the count indicator has no data


def test_the_local_lead_sets_the_progress_score(client, kol, last_month) -> None:
    cast, _, _ = kol
    url = reverse("indicators:progress_score", args=[cast.kol_rm.pk])
    client.force_login(cast.member)
    assert client.post(url, {"own-month": "2025-03-01", "own-score": "2.5"}).status_code == 403
    client.force_login(cast.local_lead)

    data = {"own-month": last_month.isoformat(), "own-score": "2.5", "own-comment": "Test"}
    client.post(url, data)

    score = ProgressScore.objects.get(team=cast.kol_rm)
    assert (score.score, score.set_by) == (Decimal("2.5"), cast.local_lead)


def test_the_national_lead_sets_a_baseline_that_shows_on_the_charts(client, kol) -> None:
    cast, share, _ = kol
    url = reverse("indicators:chart_changes", args=[share.pk])
    data = {
        "kind": "baseline",
        "period_start": add_months(cast.kol.start_date, 5).isoformat(),
        "reason": "Før kick-off",
    }
    client.force_login(cast.expert)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.lead)

    assert client.post(url, data).status_code == 302
    change = ChartChange.objects.get()
    assert (change.created_by, change.reason) == (cast.lead, "Før kick-off")
    page = client.get(reverse("indicators:team_results", args=[cast.kol_rm.pk])).content.decode()
    assert "Baseline (centerlinje fastfrosset)" in page


def test_a_baseline_needs_a_reason(client, kol) -> None:
    cast, share, _ = kol
    client.force_login(cast.lead)
    response = client.post(
        reverse("indicators:chart_changes", args=[share.pk]),
        {"kind": "split", "period_start": cast.kol.start_date.isoformat(), "reason": ""},
    )
    assert response.status_code == 200
    assert "Dette felt er påkrævet" in response.content.decode()
    assert not ChartChange.objects.exists()


def _results_queries(client, cast, share) -> list[int]:
    """Queries of the results page and of each part it fetches later (charts drawn anew)."""
    cache.clear()
    url = reverse("indicators:programme_results", args=[cast.kol.pk])
    counts = []
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    counts.append(len(captured))
    for part in ("lkt", "teams"):
        part_url = reverse("indicators:programme_results_part", args=[cast.kol.pk, share.pk, part])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(part_url, headers={"HX-Request": "true"}).status_code == 200
        counts.append(len(captured))
    assert 'hx-trigger="revealed"' in page or 'hx-trigger="intersect once"' in page
    return counts


def test_programme_results_query_count_does_not_grow(client, kol) -> None:
    cast, share, count = kol
    client.force_login(cast.steering)
    refresh_summaries([share.pk, count.pk])
    before = _results_queries(client, cast, share)
    for n in range(6):
        team = TeamFactory(programme=cast.kol, name=f"Ekstra {n}")
        for i in range(12):
            month = add_months(cast.kol.start_date, i)
            MeasurementFactory(
                team=team, indicator=share, period_start=month, numerator=n, denominator=10
            )
            MeasurementFactory(
                team=team,
                indicator=count,
                period_start=month,
                numerator=None,
                denominator=None,
                value=i,
            )
    refresh_summaries([share.pk, count.pk])
    assert _results_queries(client, cast, share) == before
    # The page with its first indicator drawn anew (and the version of the programme's data).
    assert max(before) <= 18, before
    page = with_lazy_parts(client, reverse("indicators:programme_results", args=[cast.kol.pk]))
    assert "Tragtdiagram" in page
    assert "Ekstra 5" in page
    # 0/10 to 5/10 a month: far more spread than binomial, so the funnel is widened by τ².
    assert "grænserne er udvidet med variansen mellem teams, τ² = " in page


def test_programme_results_are_hidden_outside_the_programme(client, kol) -> None:
    cast, _, _ = kol
    client.force_login(cast.outsider)
    assert (
        client.get(reverse("indicators:programme_results", args=[cast.kol.pk])).status_code == 404
    )
