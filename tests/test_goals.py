"""Improvement goals: tied to an indicator, with a target value and a date, edited and ordered
in the portal, and their progress on the programme page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.months import add_months
from indicators.summaries import refresh_summaries
from programmes.models import ImprovementGoal
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def kol(cast, clock):
    """KOL running for a year on the 20th of this month (last month's data deadline, the 15th,
    has passed): an indicator measured 95 of 100 every month, whose own target is 90."""
    today = clock.today()
    clock.move_to(dt.datetime(today.year, today.month, 20, 12, 0))
    last_month = clock.month(-1)
    cast.kol.start_date = add_months(last_month, -11)
    cast.kol.end_date = add_months(last_month, 12)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol, name="Rehabilitering tilbudt", better_direction="up", target=90
    )
    for i in range(12):
        MeasurementFactory(
            team=cast.kol_rm,
            indicator=share,
            period_start=add_months(cast.kol.start_date, i),
            numerator=94 + i % 3,  # 94, 95, 96 …, last month 96
            denominator=100,
        )
    refresh_summaries([share.pk])
    return cast, share, last_month


def _goal_fields(chosen, **changes) -> dict:
    return {
        "text": "Mindst 90 % får tilbud om rehabilitering",
        "indicator": str(chosen.pk),
        "target_value": "90",
        "target_date": "2027-06-30",
    } | changes


def _add(client, cast, chosen, **changes):
    return client.post(
        reverse("programmes:add_goal", args=[cast.kol.pk]), _goal_fields(chosen, **changes)
    )


def test_the_lead_adds_a_goal_tied_to_an_indicator(client, kol) -> None:
    cast, share, _ = kol
    client.force_login(cast.lead)

    _add(client, cast, share, target_value="92,5")

    goal = cast.kol.goals.get()
    assert (goal.indicator, goal.target_value, goal.target_date) == (
        share,
        Decimal("92.5"),
        dt.date(2027, 6, 30),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"indicator": ""}, "Dette felt er påkrævet"),
        ({"target_value": ""}, "Dette felt er påkrævet"),
        ({"target_date": ""}, "Dette felt er påkrævet"),
        ({"target_value": "ni"}, "Indtast et tal"),
        ({"target_value": "1" * 40}, "cifre"),
        ({"target_date": "2027-02-30"}, "Indtast en gyldig dato"),
        ({"target_date": "1899-01-01"}, "2000"),
        ({"indicator": "999999999999999999999"}, "Marker en gyldig valgmulighed"),
        ({"indicator": "abc"}, "Marker en gyldig valgmulighed"),
        ({"text": ""}, "Dette felt er påkrævet"),
    ],
)
def test_a_goal_with_bad_fields_is_refused_with_a_message(client, kol, changes, message) -> None:
    cast, share, _ = kol
    client.force_login(cast.lead)
    goal = ImprovementGoal.objects.create(programme=cast.kol, text="Før", indicator=share)

    response = client.post(
        reverse("programmes:edit_goal", args=[cast.kol.pk, goal.pk]),
        _goal_fields(share, **changes),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    goal.refresh_from_db()
    assert goal.text == "Før"


def test_an_indicator_of_another_programme_is_refused(client, kol) -> None:
    cast, share, _ = kol
    elsewhere = IndicatorFactory(programme=cast.adhd)
    client.force_login(cast.lead)

    _add(client, cast, elsewhere)

    assert not cast.kol.goals.exists()


def test_a_deactivated_indicator_is_offered_only_to_the_goal_that_uses_it(client, kol) -> None:
    cast, share, _ = kol
    goal = ImprovementGoal.objects.create(programme=cast.kol, text="Før", indicator=share)
    share.is_active = False
    share.save()
    client.force_login(cast.lead)

    edit = client.get(reverse("programmes:edit_goal", args=[cast.kol.pk, goal.pk]))
    add = client.get(reverse("programmes:detail", args=[cast.kol.pk]))

    assert f'<option value="{share.pk}" selected>' in edit.content.decode()
    assert f'<option value="{share.pk}"' not in add.content.decode()


def test_the_lead_edits_a_goal(client, kol) -> None:
    cast, share, _ = kol
    other = IndicatorFactory(programme=cast.kol, name="Handleplan")
    goal = ImprovementGoal.objects.create(programme=cast.kol, text="Før", indicator=share)
    client.force_login(cast.lead)

    response = client.post(
        reverse("programmes:edit_goal", args=[cast.kol.pk, goal.pk]),
        _goal_fields(other, text="Efter\r\nmed to linjer\x00", target_value="75"),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text, goal.indicator, goal.target_value) == (
        "Efter\nmed to linjer",
        other,
        Decimal("75"),
    )


def test_an_expert_may_not_edit_or_move_a_goal(client, kol) -> None:
    cast, share, _ = kol
    goal = ImprovementGoal.objects.create(programme=cast.kol, text="Før", indicator=share)
    client.force_login(cast.expert)

    edit = client.post(
        reverse("programmes:edit_goal", args=[cast.kol.pk, goal.pk]), _goal_fields(share)
    )
    move = client.post(reverse("programmes:move_goal", args=[cast.kol.pk, goal.pk]))

    assert (edit.status_code, move.status_code) == (403, 403)
    goal.refresh_from_db()
    assert goal.text == "Før"


def test_a_goal_of_another_programme_is_not_found(client, kol) -> None:
    cast, _, _ = kol
    goal = ImprovementGoal.objects.create(programme=cast.adhd, text="ADHD-mål")
    client.force_login(cast.lead)

    response = client.get(reverse("programmes:edit_goal", args=[cast.kol.pk, goal.pk]))

    assert response.status_code == 404


def _texts(programme) -> list[str]:
    return list(programme.goals.values_list("text", flat=True))


def test_goals_move_up_and_down(client, kol) -> None:
    cast, _, _ = kol
    for order, text in enumerate(["A", "B", "C"], start=1):
        ImprovementGoal.objects.create(programme=cast.kol, text=text, order=order)
    a, b, c = cast.kol.goals.all()
    client.force_login(cast.lead)

    def move(goal, direction):
        url = reverse("programmes:move_goal", args=[cast.kol.pk, goal.pk])
        return client.post(url, {"retning": direction})

    move(c, "op")
    assert _texts(cast.kol) == ["A", "C", "B"]
    move(a, "ned")
    assert _texts(cast.kol) == ["C", "A", "B"]
    move(c, "op")  # already first
    move(b, "ned")  # already last
    assert _texts(cast.kol) == ["C", "A", "B"]
    move(b, "op\x00" * 1000)  # anything but "ned" is up
    assert _texts(cast.kol) == ["C", "B", "A"]


def test_goals_with_equal_positions_are_numbered_anew_when_one_moves(client, kol) -> None:
    cast, _, _ = kol
    for text in ["A", "B", "C"]:
        ImprovementGoal.objects.create(programme=cast.kol, text=text, order=0)
    c = cast.kol.goals.get(text="C")
    client.force_login(cast.lead)

    client.post(reverse("programmes:move_goal", args=[cast.kol.pk, c.pk]), {"retning": "op"})

    assert list(cast.kol.goals.values_list("text", "order")) == [("A", 1), ("C", 2), ("B", 3)]


@pytest.mark.parametrize(
    ("target", "assurance", "met"),
    [
        ("50", "Målet nås konsekvent", "Målværdien er nået"),
        ("99,5", "Målet nås konsekvent ikke", "Målværdien er ikke nået"),
    ],
)
def test_the_programme_page_shows_each_goals_progress_against_its_own_target(
    client, kol, target, assurance, met
) -> None:
    cast, share, last_month = kol
    ImprovementGoal.objects.create(
        programme=cast.kol,
        text="Rehabilitering til alle",
        indicator=share,
        target_value=Decimal(target.replace(",", ".")),
        target_date=cast.kol.end_date,
    )
    client.force_login(cast.member)

    page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()

    assert "Rehabilitering til alle" in page
    # 94, 95, 96 of 100 in turn over twelve months: last month was 96 %.
    assert "Seneste komplette værdi: 96 %" in page
    assert met in page
    assert f"<span>{assurance}</span>" in page


def test_a_reader_outside_the_programme_sees_the_goals_but_not_their_results(client, kol) -> None:
    cast, share, _ = kol
    ImprovementGoal.objects.create(
        programme=cast.kol, text="Rehabilitering til alle", indicator=share, target_value=50
    )
    client.force_login(cast.outsider)

    page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()

    assert "Rehabilitering til alle" in page
    assert "Seneste komplette værdi" not in page
    assert "Målet nås konsekvent" not in page


def test_before_the_deadline_the_latest_complete_value_is_the_month_before_last(
    client, kol, clock
) -> None:
    cast, share, last_month = kol
    clock.move_to(dt.datetime(clock.today().year, clock.today().month, 3, 12, 0))
    ImprovementGoal.objects.create(
        programme=cast.kol, text="Mål", indicator=share, target_value=Decimal(90)
    )
    client.force_login(cast.lead)

    page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()

    # Last month (96) is still being registered until the 15th: the month before (95) counts.
    assert "Seneste komplette værdi: 95 %" in page


def test_a_goal_without_an_indicator_says_so(client, kol) -> None:
    cast, _, _ = kol
    ImprovementGoal.objects.create(programme=cast.kol, text="Et gammelt mål")
    client.force_login(cast.lead)

    page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()

    assert "Ikke knyttet til en indikator" in page


def test_the_programme_page_query_count_does_not_grow_with_goals(
    client, kol, django_assert_max_num_queries
) -> None:
    cast, share, _ = kol
    for n in range(8):
        indicator = IndicatorFactory(programme=cast.kol, name=f"Ekstra {n}", target=50)
        MeasurementFactory(team=cast.kol_rm, indicator=indicator, period_start=cast.kol.start_date)
        ImprovementGoal.objects.create(
            programme=cast.kol, text=f"Mål {n}", indicator=indicator, target_value=Decimal(n)
        )
    client.force_login(cast.lead)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("programmes:detail", args=[cast.kol.pk]))

    assert "Mål 7" in response.content.decode()
