"""Charts drawn once per version of their series; parts of the results page; ETags."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.months import add_months
from indicators.definitions import indicator_update
from indicators.models import ChartChange, Indicator
from indicators.services import chart_change_add, measurement_record
from indicators.summaries import refresh_summaries
from teams.models import PDSACycle, ProgressScore
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory
from tests.lazy import with_lazy_parts

pytestmark = pytest.mark.clock


@pytest.fixture
def kol(cast, clock):
    """KOL for the last 12 months: a proportion with a year of data from two teams."""
    last = clock.month(-1)
    cast.kol.start_date = add_months(last, -11)
    cast.kol.end_date = add_months(last, 12)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol,
        name="Andel med inhalationstjek",
        measure=Indicator.Measure.PROPORTION,
        better_direction="up",
    )
    for team in (cast.kol_rm, cast.kol_rsd):
        for i in range(11):  # the last month is left for the test to register
            MeasurementFactory(
                team=team,
                indicator=share,
                period_start=add_months(cast.kol.start_date, i),
                numerator=10 + i,
                denominator=40,
            )
    refresh_summaries([share.pk])
    return cast, share, last


def _measurement_reads(client, url: str, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    reads = sum('FROM "indicators_measurement"' in q["sql"] for q in captured)
    return reads, response.content.decode()


def test_the_team_page_draws_its_charts_once_per_version_of_the_series(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    first_reads, first = _measurement_reads(client, url)
    again_reads, again = _measurement_reads(client, url)
    assert first_reads == 1 and again_reads == 0
    assert re.findall(r"<svg.*?</svg>", again, re.S) == re.findall(r"<svg.*?</svg>", first, re.S)
    assert "39 %" not in again  # 39 of 100 is not registered yet

    measurement_record(
        team=cast.kol_rm, indicator=share, period_start=last, numerator=39, denominator=100, by=None
    )
    reads, page = _measurement_reads(client, url)
    assert reads == 1  # a new version of the series: drawn anew
    assert page != again


def test_a_new_pdsa_cycle_is_drawn_on_the_chart_at_once(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    client.get(url)
    cycle = PDSACycle.objects.create(
        team=cast.kol_rm, title="Tjekliste ved udskrivelse", started_on=last
    )
    cycle.indicators.add(share)
    assert "PDSA: Tjekliste ved udskrivelse" in client.get(url).content.decode()


def test_the_charts_are_drawn_in_the_language_of_the_person(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    danish = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Seriediagram" in danish and "Seriediagram" not in english
    assert "Run chart" in english


def test_the_results_page_shows_the_first_indicator_and_fetches_the_rest(client, kol) -> None:
    cast, share, last = kol
    second = IndicatorFactory(programme=cast.kol, name="Genindlæggelser", order=5)
    client.force_login(cast.steering)
    url = reverse("indicators:programme_results", args=[cast.kol.pk])
    page = client.get(url).content.decode()
    part = reverse("indicators:programme_results_part", args=[cast.kol.pk, second.pk, "lkt"])
    teams = reverse("indicators:programme_results_part", args=[cast.kol.pk, share.pk, "teams"])
    assert f'hx-get="{part}" hx-trigger="revealed"' in page
    assert f'hx-get="{teams}" hx-trigger="intersect once"' in page
    assert "Lungemedicin OUH</a></h4>" not in page  # the small multiples come later
    whole = with_lazy_parts(client, url)
    assert "Lungemedicin OUH</a></h4>" in whole
    assert whole.count("<svg") > page.count("<svg")


def test_a_part_without_htmx_is_a_page_of_its_own(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.steering)
    url = reverse("indicators:programme_results_part", args=[cast.kol.pk, share.pk, "teams"])
    page = client.get(url).content.decode()
    assert "<html" in page and "Lungemedicin OUH</a></h4>" in page


@pytest.mark.parametrize("part", ["lkt%0D%0A", "teams%00", "x" * 20_000, "LKT", "..", "-1"])
def test_an_unknown_part_is_not_found(client, kol, part) -> None:
    cast, share, last = kol
    client.force_login(cast.steering)
    url = f"/data/program/{cast.kol.pk}/indikator/{share.pk}/{part}/"
    assert client.get(url).status_code == 404


def test_an_indicator_of_another_programme_is_not_found_under_this_one(client, kol) -> None:
    cast, share, last = kol
    other = IndicatorFactory(programme=cast.adhd)
    inactive = IndicatorFactory(programme=cast.kol, is_active=False)
    client.force_login(cast.administrator)
    for indicator in (other, inactive):
        url = reverse("indicators:programme_results_part", args=[cast.kol.pk, indicator.pk, "lkt"])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", ["spc", "run", "x\r\ny", "9" * 5000, ""])
def test_a_part_survives_any_chart_kind(client, kol, kind) -> None:
    cast, share, last = kol
    client.force_login(cast.steering)
    url = reverse("indicators:programme_results_part", args=[cast.kol.pk, share.pk, "lkt"])
    assert client.get(url, {"kort": kind}, headers={"HX-Request": "true"}).status_code == 200


def test_a_part_answers_304_while_its_drawing_is_unchanged(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.steering)
    url = reverse("indicators:programme_results_part", args=[cast.kol.pk, share.pk, "teams"])
    first = client.get(url, headers={"HX-Request": "true"})
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert not any('FROM "indicators_measurement"' in q["sql"] for q in captured)

    measurement_record(
        team=cast.kol_rsd, indicator=share, period_start=last, numerator=5, denominator=50, by=None
    )
    changed = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_an_export_answers_304_while_its_data_is_unchanged(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.steering)
    url = reverse("indicators:export_programme", args=[cast.kol.pk])
    first = client.get(url)
    body = b"".join(first.streaming_content)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified and b"Lungemedicin AUH" in body
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, {"format": "xlsx"}, headers={"If-None-Match": etag}).status_code == 200

    cast.kol_rm.name = "Lungemedicin Aarhus"
    cast.kol_rm.save()
    renamed = client.get(url, headers={"If-None-Match": etag})
    assert renamed.status_code == 200 and renamed["ETag"] != etag

    etag = renamed["ETag"]
    measurement = cast.kol_rsd.measurements.order_by("period_start").first()
    measurement.delete()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_a_team_without_a_stored_series_is_drawn_on_every_request(client, kol) -> None:
    cast, share, last = kol
    newcomer = TeamFactory(programme=cast.kol, region=cast.regions["rm"], name="Ny afdeling")
    MeasurementFactory(team=newcomer, indicator=share, period_start=last - dt.timedelta(days=0))
    client.force_login(cast.administrator)
    url = reverse("indicators:team_results", args=[newcomer.pk])
    first_reads, _ = _measurement_reads(client, url)
    again_reads, _ = _measurement_reads(client, url)
    assert first_reads == again_reads == 1


def test_a_figure_corrected_in_the_admin_is_drawn_on_the_next_request(client, kol, rf) -> None:
    from django.contrib import admin

    from indicators.models import Measurement

    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    before = client.get(url).content.decode()
    measurement = Measurement.objects.filter(team=cast.kol_rm).order_by("period_start").last()
    measurement.numerator = 1
    request = rf.post("/admin/")
    request.user = cast.administrator
    admin.site._registry[Measurement].save_model(request, measurement, None, True)
    reads, after = _measurement_reads(client, url)
    assert reads == 1 and after != before


def test_the_status_page_draws_the_lkt_charts_anew_when_the_series_changes(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.steering)
    url = reverse("status:programme", args=[cast.kol.pk])
    svgs = re.compile(r'<div class="spc-scroll">(<svg.*?</svg>)', re.S)
    first = svgs.findall(client.get(url).content.decode())
    assert first and svgs.findall(client.get(url).content.decode()) == first
    for team in (cast.kol_rm, cast.kol_rsd):
        measurement_record(
            team=team, indicator=share, period_start=last, numerator=40, denominator=40, by=None
        )
    assert svgs.findall(client.get(url).content.decode()) != first


# The team page's chart section is kept whole per version of what it shows (`team_stamp`).


def _sections(client, url: str) -> list[str]:
    """The page's chart section as drawn (the page around it carries a fresh CSRF token)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r"<section.*?</section>", response.content.decode(), re.S)


def test_the_kept_team_page_is_the_page_drawn_afresh(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    drawn = _sections(client, url)
    with CaptureQueriesContext(connection) as captured:
        kept = _sections(client, url)
    assert kept == drawn and len(drawn) == 2  # the chart and the progress score
    for table in ("teams_pdsacycle", "teams_progressscore", "indicators_chartchange"):
        assert sum(f'"{table}"' in q["sql"] for q in captured) == 1, table  # the stamp alone
    assert not any('"indicators_measurement"' in q["sql"] for q in captured)
    cache.clear()
    fresh = _sections(client, url)
    numbered = re.compile(r"spc-icon-\d+")  # the icons' ids count up per drawing
    assert [numbered.sub("", s) for s in fresh] == [numbered.sub("", s) for s in drawn]


def test_the_team_page_costs_the_same_queries_for_more_indicators_and_cycles(
    client, kol, django_assert_max_num_queries
) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])

    def counted() -> None:
        client.get(url)
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200

    counted()
    for n in range(4):
        more = IndicatorFactory(programme=cast.kol, name=f"Ekstra {n}")
        for i in range(11):
            MeasurementFactory(
                team=cast.kol_rm,
                indicator=more,
                period_start=add_months(cast.kol.start_date, i),
                numerator=5 + i,
                denominator=40,
            )
        cycle = PDSACycle.objects.create(team=cast.kol_rm, title=f"Cyklus {n}", started_on=last)
        cycle.indicators.add(more)
    refresh_summaries(list(cast.kol.indicators.values_list("pk", flat=True)), [cast.kol_rm.pk])
    counted()


def test_a_changed_definition_and_target_show_at_once(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    assert "Tjek ved hvert besøg" not in " ".join(_sections(client, url))
    indicator_update(indicator=share, by=None, definition="Tjek ved hvert besøg", target=63)
    page = " ".join(_sections(client, url))
    assert "Tjek ved hvert besøg" in page and "mål 63 %" in page
    # A change that leaves no version behind (as in the admin) shows at once too.
    Indicator.objects.filter(pk=share.pk).update(name="Andel tjekket")
    assert "Andel tjekket" in " ".join(_sections(client, url))


def test_a_pdsa_decision_and_a_deleted_cycle_show_at_once(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    cycle = PDSACycle.objects.create(team=cast.kol_rm, title="Tjekliste", started_on=last)
    cycle.indicators.add(share)
    page = " ".join(_sections(client, url))
    assert "Tilstand: Planlagt" in page and "Beslutning" not in page
    PDSACycle.objects.filter(pk=cycle.pk).update(
        state=PDSACycle.State.DECIDED, decision=PDSACycle.Decision.ADOPT, study="Virkede"
    )  # no save(): the stamp reads the rows, not a changed-at field
    assert "Beslutning: Indfør (adopt)" in " ".join(_sections(client, url))
    cycle.delete()
    assert "Tjekliste" not in " ".join(_sections(client, url))


def test_a_new_phase_and_a_changed_reason_show_at_once(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    before = " ".join(_sections(client, url))
    change = chart_change_add(
        indicator=share,
        kind="split",
        period_start=add_months(cast.kol.start_date, 6),
        reason="Ny arbejdsgang i ambulatoriet",
        team=cast.kol_rm,
        by=None,
    )
    after = " ".join(_sections(client, url))
    assert "Ny arbejdsgang i ambulatoriet" in after and "Ny arbejdsgang" not in before
    ChartChange.objects.filter(pk=change.pk).update(reason="Nyt udstyr")
    assert "Nyt udstyr" in " ".join(_sections(client, url))


def test_a_progress_score_shows_at_once(client, kol) -> None:
    cast, share, last = kol
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    assert "Ingen fremdriftsscore sat endnu." in _sections(client, url)[-1]
    ProgressScore.objects.create(
        team=cast.kol_rm, month=last, rater=ProgressScore.Rater.TEAM, score=Decimal("3.0")
    )
    assert "Ingen fremdriftsscore sat endnu." not in _sections(client, url)[-1]


def test_a_cycle_aimed_at_another_indicator_moves_its_note_at_once(client, kol) -> None:
    cast, share, last = kol
    other = IndicatorFactory(programme=cast.kol, name="Andel med plan")
    for i in range(11):
        MeasurementFactory(
            team=cast.kol_rm,
            indicator=other,
            period_start=add_months(cast.kol.start_date, i),
            numerator=20,
            denominator=40,
        )
    refresh_summaries([other.pk], [cast.kol_rm.pk])
    cycle = PDSACycle.objects.create(
        team=cast.kol_rm, title="Plan ved udskrivelse", started_on=last
    )
    cycle.indicators.add(share)
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    charts = _sections(client, url)
    assert ["Plan ved udskrivelse" in chart for chart in charts[:2]] == [True, False]
    cycle.indicators.set([other])  # the cycle itself is not saved
    charts = _sections(client, url)
    assert ["Plan ved udskrivelse" in chart for chart in charts[:2]] == [False, True]


def test_a_kept_team_page_shows_nothing_of_another_team(client, kol) -> None:
    cast, share, last = kol
    cycle = PDSACycle.objects.create(team=cast.kol_rm, title="Kun hos AUH", started_on=last)
    cycle.indicators.add(share)
    client.force_login(cast.local_lead)
    rm = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    rsd = reverse("indicators:team_results", args=[cast.kol_rsd.pk])
    assert "Kun hos AUH" in " ".join(_sections(client, rm))
    client.force_login(cast.steering)
    assert "Kun hos AUH" not in " ".join(_sections(client, rsd))
    assert _sections(client, rm) != _sections(client, rsd)
    client.force_login(cast.outsider)
    assert client.get(rm).status_code == 404
