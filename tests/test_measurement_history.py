"""The measurement history page: who changed which figure when, old → new, by the role matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.months import add_months
from indicators.models import Indicator
from tests.factories import IndicatorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def share(cast, clock) -> Indicator:
    last_month = clock.month(-1)
    cast.kol.start_date = add_months(last_month, -5)
    cast.kol.end_date = add_months(last_month, 10)
    cast.kol.save()
    return IndicatorFactory(
        programme=cast.kol, name="Andel med inhalationstjek", measure=Indicator.Measure.PROPORTION
    )


def _enter(client, team, indicator, month: dt.date, numerator: str, denominator: str) -> None:
    url = reverse("indicators:enter_month", args=[team.pk, month.strftime("%Y-%m")])
    response = client.post(
        url, {f"num_{indicator.pk}": numerator, f"den_{indicator.pk}": denominator}
    )
    assert response.status_code == 302


def test_it_shows_who_corrected_which_figure_from_old_to_new(client, cast, clock, share) -> None:
    month = clock.month(-1)
    client.force_login(cast.local_lead)
    _enter(client, cast.kol_rm, share, month, "12", "15")
    _enter(client, cast.kol_rm, share, month, "13", "15")

    response = client.get(reverse("indicators:history", args=[cast.kol_rm.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Andel med inhalationstjek" in page
    assert "<del>12</del> → " in page
    assert ">13</ins>" in page
    assert str(cast.local_lead) in page
    assert page.count("Rettet</span>") == 1
    assert page.count("Registreret</span>") == 1


def test_one_month_lists_only_that_months_versions(client, cast, clock, share) -> None:
    client.force_login(cast.local_lead)
    _enter(client, cast.kol_rm, share, clock.month(-1), "12", "15")
    _enter(client, cast.kol_rm, share, clock.month(-2), "7", "9")

    url = reverse("indicators:history", args=[cast.kol_rm.pk])
    response = client.get(url, {"maaned": clock.month(-2).strftime("%Y-%m")})

    page = response.content.decode()
    assert ">7</ins>" in page
    assert ">12</ins>" not in page


@pytest.mark.parametrize("month", ["2025-13", "x", "9" * 20000, "-1-1", "2025-02\r\n"])
def test_an_impossible_month_is_not_found(client, cast, share, month) -> None:
    client.force_login(cast.local_lead)
    response = client.get(reverse("indicators:history", args=[cast.kol_rm.pk]), {"maaned": month})
    assert response.status_code == 404


def test_the_data_page_and_the_month_link_to_the_history(client, cast, clock, share) -> None:
    client.force_login(cast.local_lead)
    month = clock.month(-1)
    response = client.get(
        reverse("indicators:enter_month", args=[cast.kol_rm.pk, month.strftime("%Y-%m")])
    )
    history = reverse("indicators:history", args=[cast.kol_rm.pk])
    page = response.content.decode()
    assert f'href="{history}"' in page
    assert f'href="{history}?maaned={month.strftime("%Y-%m")}"' in page


def test_another_teams_member_may_not_see_the_history(client, cast, share) -> None:
    client.force_login(cast.outsider)
    response = client.get(reverse("indicators:history", args=[cast.kol_rm.pk]))
    assert response.status_code == 404


def test_the_history_is_read_in_few_queries(
    client, cast, clock, share, django_assert_max_num_queries
) -> None:
    client.force_login(cast.local_lead)
    for back in range(1, 6):
        _enter(client, cast.kol_rm, share, clock.month(-back), str(back), "9")
        _enter(client, cast.kol_rm, share, clock.month(-back), str(back + 1), "9")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("indicators:history", args=[cast.kol_rm.pk]))
    assert response.content.decode().count("Rettet</span>") == 5
