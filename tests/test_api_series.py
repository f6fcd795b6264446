"""The API's series carry the same numbers as the charts: the team's and the LKT's results pages.

Each test reads the page (its own charts, from the page's context) and the API for the same
series and compares centre line, limits, signals, verdict, assurance and provisional months;
anchors computed here from the data entered (a median, a provisional month) keep the comparison
from agreeing on something wrong.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from pydantic import TypeAdapter

from accounts.tokens import token_create
from api.schemas import SeriesOut
from core.months import add_months
from indicators.models import Indicator, Measure
from indicators.services import Entry, chart_change_add, measurements_record_many
from tests.factories import (
    IndicatorFactory,
    ProgrammeFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

MONTHS = 16
DEADLINE_DAY = 27
# Team A's numerators out of 100: a shift upwards in the second half, so the runs rules signal.
TEAM_A = [40, 42, 38, 41, 39, 40, 37, 41, 52, 55, 54, 56, 53, 57, 55, 54]
TEAM_B = [45, 44, 46, 43, 45, 47, 44, 45, 46, 44, 45, 43, 46, 45, 44]  # last month missing


@pytest.fixture
def lkt(clock):
    """Two teams, a proportion (target 50 %) and a count; last month only from team A, on the
    2nd of this month, before its deadline: the LKT's last month is provisional."""
    clock.move_to(f"{clock.month(0):%Y-%m}-02T12:00")
    start = clock.month(-MONTHS)
    programme = ProgrammeFactory(
        start_date=start, end_date=add_months(start, 36), data_deadline_day=DEADLINE_DAY
    )
    team_a = TeamFactory(programme=programme, name="Team A", started_on=start)
    team_b = TeamFactory(programme=programme, name="Team B", started_on=start)
    share = IndicatorFactory(programme=programme, name="Andel", target=Decimal(50))
    count = IndicatorFactory(
        programme=programme,
        name="Fald",
        measure=Measure.COUNT,
        unit="fald",
        better_direction="down",
    )
    months = [add_months(start, i) for i in range(MONTHS)]
    entries = []
    for i, month in enumerate(months):
        entries.append(Entry(team_a, share, month, numerator=Decimal(TEAM_A[i]), denominator=100))
        entries.append(Entry(team_a, count, month, value=Decimal(TEAM_A[i] % 7)))
        if i < len(TEAM_B):
            entries.append(
                Entry(team_b, share, month, numerator=Decimal(TEAM_B[i]), denominator=100)
            )
            entries.append(Entry(team_b, count, month, value=Decimal(TEAM_B[i] % 5)))
    measurements_record_many(entries=entries, by=None)
    member = TeamMemberFactory(team=team_a).user
    _token, secret = token_create(user=member, name="t", scope="read", days=1)
    return {
        "programme": programme,
        "team": team_a,
        "months": months,
        "member": member,
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {secret}"},
    }


def assert_same(api: dict, chart, kind: str) -> None:
    """The API's series is the chart's: every number the chart draws or says."""
    assert api["title"] == chart.title
    assert api["kind"] == kind and api["chart"] == chart.latest.chart
    assert api["verdict"] == chart.verdict and api["verdict_label"] == chart.verdict_label
    assert api["assurance"] == chart.latest.assurance
    assert api["assurance_label"] == chart.assurance_label
    assert api["per_team"] == chart.per_team
    assert api["last_value"] == pytest.approx(chart.last_value)
    assert len(api["parts"]) == len(chart.segments)
    for part, (start, analysis) in zip(api["parts"], chart.segments, strict=True):
        assert part["start_period"] == chart.months[start].isoformat()
        assert part["centre_line"] == pytest.approx(analysis.cl)
        assert [p["value"] for p in part["points"]] == pytest.approx(analysis.y)
        assert [p["lcl"] for p in part["points"]] == pytest.approx(analysis.lcl)
        assert [p["ucl"] for p in part["points"]] == pytest.approx(analysis.ucl)
        assert [p["outside_limits"] for p in part["points"]] == analysis.outside_limits
        assert [p["in_long_run"] for p in part["points"]] == analysis.in_long_run
        for name in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
            assert part[name] == getattr(analysis, name), name
        assert part["runs_signal"] == analysis.runs_signal
        assert part["sigma_signal"] == analysis.sigma_signal
    assert [(p["period"], p["reported"], p["expected"]) for p in api["provisional"]] == [
        (p.month.isoformat(), p.reported, p.expected) for p in chart.provisional
    ]
    assert [p["value"] for p in api["provisional"]] == pytest.approx(
        [p.value for p in chart.provisional]
    )


def drawn(response, template: str, key: str) -> list:
    """What the page drew: the `key` of every rendering of `template` during the request (the
    charts are drawn with render_to_string, whose contexts the test client records too)."""
    return [
        context[key]
        for used, context in zip(response.templates, response.context, strict=True)
        if used.name == template
    ]


@pytest.mark.parametrize("kind", ["run", "spc"])
def test_a_teams_series_are_its_results_pages_charts(client, lkt, kind) -> None:
    client.force_login(lkt["member"])
    page = client.get(reverse("indicators:team_results", args=[lkt["team"].pk]), {"kort": kind})
    api = client.get(f"/api/v1/teams/{lkt['team'].pk}/series", {"kind": kind}, **lkt["auth"])
    assert api.status_code == 200
    charts, series = drawn(page, "indicators/_chart.html", "chart"), api.json()
    assert [s["indicator_id"] for s in series] == [c.indicator.pk for c in charts]
    for one, chart in zip(series, charts, strict=True):
        assert_same(one, chart, kind)
    share = series[0]
    assert share["parts"][0]["points"][0]["value"] == pytest.approx(TEAM_A[0])  # 40 of 100, in %
    if kind == "run":
        assert share["parts"][0]["centre_line"] == pytest.approx(statistics.median(TEAM_A))
        assert share["parts"][0]["runs_signal"] is True


@pytest.mark.parametrize("kind", ["run", "spc"])
def test_an_lkts_series_are_its_results_pages_charts(client, lkt, kind) -> None:
    client.force_login(lkt["member"])
    api = client.get(
        f"/api/v1/programmes/{lkt['programme'].pk}/series", {"kind": kind}, **lkt["auth"]
    )
    assert api.status_code == 200
    series = api.json()
    charts = []
    for one in series:  # each indicator's LKT chart, as the page fetches it into view
        url = reverse(
            "indicators:programme_results_part",
            args=[lkt["programme"].pk, one["indicator_id"], "lkt"],
        )
        part = client.get(url, {"kort": kind})
        assert part.status_code == 200
        charts += [r.aggregate for r in drawn(part, "indicators/_results_summary.html", "result")]
    assert [s["indicator_id"] for s in series] == [c.indicator.pk for c in charts]
    for one, chart in zip(series, charts, strict=True):
        assert_same(one, chart, kind)
    # Read after the parts: the page draws its first part from the cache the parts filled.
    page = client.get(reverse("indicators:programme_results", args=[lkt["programme"].pk]))
    assert [s["indicator_id"] for s in series] == [
        i.pk for i in drawn(page, "indicators/_programme_results_body.html", "indicators")[0]
    ]
    # The last month has one of two teams, before its deadline: provisional, outside the analysis.
    last = lkt["months"][-1].isoformat()
    assert [(p["period"], p["reported"], p["expected"]) for p in series[0]["provisional"]] == [
        (last, 1, 2)
    ]
    assert series[0]["parts"][-1]["points"][-1]["value"] is None
    if kind == "spc":
        assert series[0]["chart"] == "pp"  # Laney's p′ at the LKT level
        assert series[0]["assurance"] is not None  # the target gives an assurance


def test_an_unknown_chart_kind_is_a_400_problem(client, lkt) -> None:
    response = client.get(f"/api/v1/teams/{lkt['team'].pk}/series", {"kind": "pie"}, **lkt["auth"])
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"][:2] == ["query", "kind"]


@pytest.mark.parametrize("level", ["teams", "programmes"])
def test_a_series_read_has_an_etag_and_is_304_until_the_data_changes(client, lkt, level) -> None:
    owner = lkt["team"] if level == "teams" else lkt["programme"]
    url = f"/api/v1/{level}/{owner.pk}/series"
    first = client.get(url, **lkt["auth"])
    assert first.status_code == 200 and first["ETag"].startswith('"')
    same = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **lkt["auth"])
    assert same.status_code == 304 and same["ETag"] == first["ETag"] and not same.content
    other_kind = client.get(url, {"kind": "spc"}, HTTP_IF_NONE_MATCH=first["ETag"], **lkt["auth"])
    assert other_kind.status_code == 200 and other_kind["ETag"] != first["ETag"]
    # A new figure for the last month: a new version of the series, a new ETag and new numbers.
    share = lkt["programme"].indicators.get(name="Andel")
    last = lkt["months"][-1]
    measurements_record_many(
        entries=[Entry(lkt["team"], share, last, numerator=Decimal(99), denominator=100)], by=None
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **lkt["auth"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    # Team A's last month: a point of its own series, a provisional month of the LKT's.
    new, old = changed.json()[0], first.json()[0]
    if level == "teams":
        assert new["parts"][-1]["points"][-1]["value"] == pytest.approx(99)
        assert old["parts"][-1]["points"][-1]["value"] == pytest.approx(TEAM_A[-1])
    else:
        assert new["provisional"][0]["value"] == pytest.approx(99)
        assert old["provisional"][0]["value"] == pytest.approx(TEAM_A[-1])


@pytest.mark.parametrize("level", ["teams", "programmes"])
def test_a_series_read_costs_the_same_queries_for_more_teams_and_indicators(
    client, lkt, level, django_assert_max_num_queries
) -> None:
    owner = lkt["team"] if level == "teams" else lkt["programme"]
    url = f"/api/v1/{level}/{owner.pk}/series"

    def counted(reads: int) -> None:
        client.get(url, **lkt["auth"])  # computes and keeps the series
        with django_assert_max_num_queries(reads):
            assert client.get(url, **lkt["auth"]).status_code == 200

    counted(5)
    # Three times the teams and indicators, with figures: the same number of queries.
    programme, start = lkt["programme"], lkt["months"][0]
    more = [IndicatorFactory(programme=programme, name=f"Ekstra {n}") for n in range(4)]
    teams = [TeamFactory(programme=programme, started_on=start) for _ in range(4)]
    measurements_record_many(
        entries=[
            Entry(team, indicator, month, numerator=Decimal(30 + i), denominator=100)
            for team in [*teams, lkt["team"]]
            for indicator in more
            for i, month in enumerate(lkt["months"][:-1])
        ],
        by=None,
    )
    counted(5)


@pytest.mark.parametrize("level", ["teams", "programmes"])
def test_a_kept_series_read_is_the_one_built_afresh_and_fits_its_schema(client, lkt, level) -> None:
    owner = lkt["team"] if level == "teams" else lkt["programme"]
    url = f"/api/v1/{level}/{owner.pk}/series"
    built = client.get(url, **lkt["auth"])
    kept = client.get(url, **lkt["auth"])
    cache.clear()
    afresh = client.get(url, **lkt["auth"])
    assert built.content == kept.content == afresh.content
    assert kept["ETag"] == afresh["ETag"]
    assert kept["Content-Type"] == "application/json; charset=utf-8"
    series = TypeAdapter(list[SeriesOut])
    assert series.dump_python(series.validate_json(kept.content), mode="json") == kept.json()
    assert [s["title"].split(" – ")[0] for s in kept.json()] == ["Andel", "Fald"]


@pytest.mark.parametrize("level", ["teams", "programmes"])
def test_a_changed_target_and_a_new_phase_show_in_the_series_at_once(client, lkt, level) -> None:
    owner = lkt["team"] if level == "teams" else lkt["programme"]
    url = f"/api/v1/{level}/{owner.pk}/series"
    share = lkt["programme"].indicators.get(name="Andel")
    before = client.get(url, **lkt["auth"]).json()[0]
    assert before["target"] == pytest.approx(50) and len(before["parts"]) == 1
    Indicator.objects.filter(pk=share.pk).update(target=Decimal(70))  # no version, no refresh
    assert client.get(url, **lkt["auth"]).json()[0]["target"] == pytest.approx(70)
    chart_change_add(
        indicator=share, kind="split", period_start=lkt["months"][8], reason="Ny praksis", by=None
    )
    parts = client.get(url, **lkt["auth"]).json()[0]["parts"]
    assert [p["start_period"] for p in parts] == [
        lkt["months"][0].isoformat(),
        lkt["months"][8].isoformat(),
    ]


def test_a_kept_team_series_is_that_teams_own(client, lkt) -> None:
    steering = UserFactory(is_steering_group_member=True)
    _token, secret = token_create(user=steering, name="s", scope="read", days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    team_b = lkt["programme"].teams.get(name="Team B")
    own = client.get(f"/api/v1/teams/{lkt['team'].pk}/series", **auth).json()[0]
    other = client.get(f"/api/v1/teams/{team_b.pk}/series", **auth).json()[0]
    assert [p["value"] for p in own["parts"][0]["points"]] == pytest.approx(TEAM_A)
    values = [p["value"] for p in other["parts"][0]["points"]]
    assert values[: len(TEAM_B)] == pytest.approx(TEAM_B) and values[len(TEAM_B) :] == [None]
    # A member of another programme's team finds neither (the kept series are not theirs).
    outsider = TeamMemberFactory().user
    _token, secret = token_create(user=outsider, name="o", scope="read", days=1)
    for team in (lkt["team"], team_b):
        response = client.get(
            f"/api/v1/teams/{team.pk}/series", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        assert response.status_code == 404
