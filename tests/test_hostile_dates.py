"""Dates a person gives stay within reason: no year 1 or 9999, no score for a month to come."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.months import add_months
from indicators.models import ChartChange
from indicators.services import chart_change_add
from programmes.models import Programme
from programmes.services import goal_add, programme_update
from seminars.services import seminar_plan
from teams.services import progress_score_set, team_update
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

IMPOSSIBLE = [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2101, 1, 1), dt.date(9999, 12, 31)]


def _error_on(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_a_programme_starts_and_ends_between_2000_and_2100(cast, day) -> None:
    with pytest.raises(ValidationError) as error:
        programme_update(programme=cast.kol, by=cast.lead, start_date=day, end_date=None)
    assert "mellem 1. januar 2000 og 31. december 2100" in _error_on(error, "start_date")

    with pytest.raises(ValidationError) as error:
        programme_update(programme=cast.kol, by=cast.lead, end_date=day)
    assert "end_date" in error.value.message_dict


def test_the_programme_form_shows_the_bound_in_danish(client, cast) -> None:
    client.force_login(cast.administrator)
    url = reverse("programmes:edit", args=[cast.kol.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"lead_region": cast.kol.lead_region_id, "start_date": "1999-12-31", "end_date": ""}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "mellem 1. januar 2000 og 31. december 2100" in response.content.decode()
    assert Programme.objects.get(pk=cast.kol.pk).start_date == cast.kol.start_date


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_a_goal_and_a_team_start_between_2000_and_2100(cast, day) -> None:
    with pytest.raises(ValidationError) as error:
        goal_add(programme=cast.kol, by=cast.lead, text="Færre indlæggelser", target_date=day)
    assert "target_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        team = cast.kol_rm
        team_update(
            team=team,
            by=cast.lead,
            name=team.name,
            organisations=team.organisations.all(),
            method=team.method,
            status=team.status,
            started_on=day,
        )
    assert "started_on" in error.value.message_dict


@pytest.mark.parametrize("day", IMPOSSIBLE, ids=str)
def test_a_seminar_takes_place_between_2000_and_2100(cast, day) -> None:
    starts = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as error:
        seminar_plan(
            programme=cast.kol,
            by=cast.lead,
            kind="learning",
            number=1,
            title="",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            place="Kolding",
            address="",
            agenda="",
        )
    assert "starts_at" in error.value.message_dict


@pytest.mark.clock
@pytest.mark.parametrize(
    "offset", ["year 1", "before start", "next month", "after the end", "year 9999"]
)
def test_a_progress_score_is_for_a_month_from_the_start_to_now(cast, clock, offset) -> None:
    cast.kol.start_date = add_months(clock.month(), -6)
    cast.kol.end_date = add_months(clock.month(), 12)
    if offset == "after the end":  # a finished programme: its last month was three months ago
        cast.kol.start_date = add_months(clock.month(), -30)
        cast.kol.end_date = add_months(clock.month(), -3)
    cast.kol.save()
    month = {
        "year 1": dt.date(1, 1, 1),
        "before start": add_months(clock.month(), -7),
        "next month": add_months(clock.month(), 1),
        "after the end": add_months(clock.month(), -2),
        "year 9999": dt.date(9999, 12, 1),
    }[offset]

    with pytest.raises(ValidationError) as error:
        progress_score_set(team=cast.kol_rm, month=month, score="2.0", by=cast.local_lead)
    assert "month" in error.value.message_dict


@pytest.mark.clock
def test_a_progress_score_for_this_month_and_the_first_is_saved(cast, clock) -> None:
    cast.kol.start_date = add_months(clock.month(), -6)
    cast.kol.end_date = add_months(clock.month(), 12)
    cast.kol.save()
    for month in (clock.month(), add_months(clock.month(), -6)):
        entry = progress_score_set(team=cast.kol_rm, month=month, score="2.0", by=None)
        assert entry.score == Decimal("2.0")


@pytest.mark.clock
def test_the_progress_score_view_refuses_year_9999_in_danish(client, cast, clock) -> None:
    client.force_login(cast.local_lead)

    response = client.post(
        reverse("indicators:progress_score", args=[cast.kol_rm.pk]),
        {"own-month": "9999-12-01", "own-score": "2.0", "own-comment": "Fremtiden"},
    )

    assert response.status_code == 200
    assert not cast.kol_rm.progress_scores.exists()
    assert "højst den indeværende måned" in response.context["own_form"].errors["month"][0]


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 1)], ids=str)
def test_a_chart_change_is_for_a_month_of_the_programme(cast, day) -> None:
    indicator = IndicatorFactory(programme=cast.kol)
    with pytest.raises(ValidationError) as error:
        chart_change_add(
            indicator=indicator,
            kind=ChartChange.Kind.BASELINE,
            period_start=day,
            reason="x",
            by=None,
        )
    assert "period_start" in error.value.message_dict
