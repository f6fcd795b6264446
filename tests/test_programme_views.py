"""Programme pages: list with filters, detail, create/edit, status workflow, goals, expert group."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from programmes.models import ExpertMember, Programme
from tests.factories import (
    ExpertMemberFactory,
    IndicatorFactory,
    ProgrammeFactory,
    RegionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client, cast) -> None:
    for url in [reverse("programmes:list"), reverse("programmes:detail", args=[cast.kol.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_list_filters_by_status_region_and_cross_sector(client, cast) -> None:
    ProgrammeFactory(
        name="Hoftebrud",
        slug="hoftebrud",
        is_cross_sector=True,
        status="preparing",
        lead_region=cast.regions["rsd"],
    )
    client.force_login(cast.nobody)

    everything = client.get(reverse("programmes:list")).content.decode()
    preparing = client.get(reverse("programmes:list"), {"status": "preparing"}).content.decode()
    rm = client.get(reverse("programmes:list"), {"lead_region": cast.regions["rm"].pk})
    cross = client.get(reverse("programmes:list"), {"is_cross_sector": "true"}).content.decode()
    search = client.get(reverse("programmes:list"), {"q": "hofte"}).content.decode()

    assert all(name in everything for name in ["KOL", "ADHD", "Hoftebrud"])
    assert "Hoftebrud" in preparing and ">KOL<" not in preparing
    assert ">KOL<" in rm.content.decode() and "ADHD" not in rm.content.decode()
    assert "Hoftebrud" in cross and "ADHD" not in cross
    assert "Hoftebrud" in search and "ADHD" not in search


def test_the_list_is_paginated(client, cast) -> None:
    for n in range(30):
        ProgrammeFactory(name=f"Program {n:02d}", lead_region=cast.regions["rm"])
    client.force_login(cast.nobody)

    first = client.get(reverse("programmes:list"))
    second = client.get(reverse("programmes:list"), {"page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 7
    assert "Side 1 af 2" in first.content.decode()


def test_the_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries) -> None:
    client.force_login(cast.nobody)
    for n in range(20):
        TeamFactory(programme=ProgrammeFactory(name=f"P{n}", lead_region=cast.regions["rm"]))
    with django_assert_max_num_queries(12):
        client.get(reverse("programmes:list"))


def test_the_detail_page_shows_teams_only_inside_the_programme(client, cast) -> None:
    url = reverse("programmes:detail", args=[cast.kol.pk])

    client.force_login(cast.outsider)
    outside = client.get(url).content.decode()
    client.force_login(cast.member)
    inside = client.get(url).content.decode()

    assert "Lungemedicin AUH" not in outside
    assert "kun synlige for deltagerne" in outside
    assert "Lungemedicin AUH" in inside and "Lungemedicin OUH" in inside


def test_the_detail_page_hides_buttons_from_the_steering_group(client, cast) -> None:
    client.force_login(cast.steering)
    page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()

    assert "Lungemedicin AUH" in page  # reads everything
    assert reverse("programmes:edit", args=[cast.kol.pk]) not in page
    assert "Skift status" not in page


def test_detail_query_count_does_not_grow_with_teams(client, cast, django_assert_max_num_queries):
    for n in range(15):
        team = TeamFactory(programme=cast.kol, name=f"Team {n}")
        TeamMemberFactory(team=team)
        ExpertMemberFactory(group=cast.kol.expert_group)
    client.force_login(cast.lead)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("programmes:detail", args=[cast.kol.pk]))
    assert response.status_code == 200


def test_only_an_administrator_creates_a_programme(client, cast) -> None:
    url = reverse("programmes:create")
    data = {
        "name": "Tryksår",
        "slug": "tryksaar",
        "lead_region": cast.regions["rm"].pk,
        "start_date": "2026-01-01",
        "data_deadline_day": 15,
    }

    client.force_login(cast.lead)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.administrator)
    response = client.post(url, data)

    programme = Programme.objects.get(name="Tryksår")
    assert response.status_code == 302
    assert programme.end_date == dt.date(2028, 1, 1)
    assert programme.status_changes.count() == 1


def test_create_shows_danish_errors_and_writes_nothing(client, cast) -> None:
    client.force_login(cast.administrator)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "KOL",
            "slug": "kol-2",
            "lead_region": cast.regions["rm"].pk,
            "start_date": "2026-01-01",
            "end_date": "2025-01-01",
            "data_deadline_day": 15,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Slutdatoen skal ligge efter startdatoen" in page
    assert "Der findes allerede et program med dette navn" in page
    assert Programme.objects.filter(name="KOL").count() == 1


def test_the_national_lead_edits_their_programme_but_not_another(client, cast) -> None:
    client.force_login(cast.lead)
    own = client.get(reverse("programmes:edit", args=[cast.kol.pk]))
    other = client.get(reverse("programmes:edit", args=[cast.adhd.pk]))

    assert own.status_code == 200
    assert other.status_code == 403


def test_the_status_change_needs_a_reason_and_is_recorded(client, cast) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:status", args=[cast.kol.pk])

    refused = client.post(url, {"status": "paused", "reason": ""})
    accepted = client.post(url, {"status": "paused", "reason": "Ny afdelingsledelse"})

    assert refused.status_code == 200
    assert "Dette felt er påkrævet" in refused.content.decode()
    assert accepted.status_code == 302
    cast.kol.refresh_from_db()
    assert cast.kol.status == "paused"
    change = cast.kol.status_changes.first()
    assert (change.reason, change.changed_by) == ("Ny afdelingsledelse", cast.lead)


def test_the_status_form_offers_only_allowed_steps(client, cast) -> None:
    client.force_login(cast.lead)
    response = client.post(
        reverse("programmes:status", args=[cast.kol.pk]),
        {"status": "preparing", "reason": "Tilbage"},
    )

    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    cast.kol.refresh_from_db()
    assert cast.kol.status == "active"


def test_others_read_the_history_but_cannot_change_status(client, cast) -> None:
    client.force_login(cast.steering)
    url = reverse("programmes:status", args=[cast.kol.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "paused", "reason": "x"}).status_code == 403


def test_goals_are_added_and_removed_by_the_lead(client, cast) -> None:
    indicator = IndicatorFactory(programme=cast.kol)
    client.force_login(cast.lead)
    client.post(
        reverse("programmes:add_goal", args=[cast.kol.pk]),
        {
            "text": "Færre genindlæggelser inden for 30 dage",
            "indicator": indicator.pk,
            "target_value": "15",
            "target_date": cast.kol.end_date.isoformat(),
        },
    )
    goal = cast.kol.goals.get()
    client.post(reverse("programmes:remove_goal", args=[cast.kol.pk, goal.pk]))

    assert not cast.kol.goals.exists()
    client.force_login(cast.expert)
    assert (
        client.post(reverse("programmes:add_goal", args=[cast.kol.pk]), {"text": "x"}).status_code
        == 403
    )


def test_the_lead_manages_the_expert_group(client, cast) -> None:
    person = UserFactory(email="ny.ekspert@example.dk")
    client.force_login(cast.lead)
    url = reverse("programmes:expert_group", args=[cast.kol.pk])

    client.post(url, {"user": person.pk, "role": "chair", "sector": "regional"})
    member = ExpertMember.objects.get(user=person)
    client.post(
        reverse("programmes:change_expert_role", args=[cast.kol.pk, member.pk]),
        {"role": "co_chair"},
    )
    member.refresh_from_db()

    assert member.role == "co_chair"
    client.post(reverse("programmes:remove_expert", args=[cast.kol.pk, member.pk]))
    assert not ExpertMember.objects.filter(user=person).exists()


def test_a_second_chair_gets_a_danish_message(client, cast) -> None:
    ExpertMemberFactory(group=cast.kol.expert_group, role="chair")
    client.force_login(cast.lead)
    expert = ExpertMember.objects.get(user=cast.expert)

    response = client.post(
        reverse("programmes:change_expert_role", args=[cast.kol.pk, expert.pk]),
        {"role": "chair"},
        follow=True,
    )

    assert "allerede en formand" in response.content.decode()
    expert.refresh_from_db()
    assert expert.role != "chair"


def test_experts_and_outsiders_read_but_cannot_change_the_expert_group(client, cast) -> None:
    url = reverse("programmes:expert_group", args=[cast.kol.pk])
    client.force_login(cast.expert)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"user": cast.nobody.pk, "role": "clinical", "sector": "regional"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("person", "shown"),
    [("lead", True), ("administrator", True), ("expert", False), ("nobody", False)],
)
def test_expert_e_mail_addresses_show_only_to_those_who_manage_the_group(
    client, cast, person, shown
) -> None:
    client.force_login(getattr(cast, person))
    page = client.get(reverse("programmes:expert_group", args=[cast.kol.pk])).content.decode()

    assert str(cast.expert) in page
    assert ("ekspert@example.dk" in page) is shown


def test_adding_the_same_expert_twice_answers_a_danish_form_error(client, cast) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:expert_group", args=[cast.kol.pk])
    data = {"user": cast.nobody.pk, "role": "clinical", "sector": "regional"}

    assert client.post(url, data).status_code == 302
    again = client.post(url, data)

    assert again.status_code == 200
    assert "allerede med i ekspertgruppen" in again.content.decode()
    assert ExpertMember.objects.filter(user=cast.nobody).count() == 1


def test_a_second_chair_added_through_the_page_answers_a_danish_form_error(client, cast) -> None:
    ExpertMemberFactory(group=cast.kol.expert_group, role="chair")
    client.force_login(cast.lead)
    response = client.post(
        reverse("programmes:expert_group", args=[cast.kol.pk]),
        {"user": cast.nobody.pk, "role": "chair", "sector": "regional"},
    )

    assert response.status_code == 200
    assert "allerede en formand" in response.content.decode()
    assert not ExpertMember.objects.filter(user=cast.nobody).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_chairs_added_at_the_same_moment_through_the_page_give_one_chair_and_no_500(
    cast,
) -> None:
    url = reverse("programmes:expert_group", args=[cast.kol.pk])
    people = [UserFactory(email=f"formand{n}@example.dk") for n in (1, 2)]
    barrier = threading.Barrier(2)
    answers: list[int] = []
    errors: list[BaseException] = []

    def post(person) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(cast.lead)
            barrier.wait(timeout=10)
            response = client.post(url, {"user": person.pk, "role": "chair", "sector": "regional"})
            answers.append(response.status_code)
            if response.status_code == 200:
                assert "allerede en formand" in response.content.decode()
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(answers) == [200, 302]
    assert ExpertMember.objects.filter(group__programme=cast.kol, role="chair").count() == 1


def test_my_work_lists_what_the_person_works_on(client, cast) -> None:
    client.force_login(cast.local_lead)
    page = client.get("/").content.decode()

    assert "Mine programmer" in page
    assert "KOL" in page and "Lungemedicin AUH" in page
    assert "ADHD" not in page


def test_my_work_for_a_coordinator_lists_the_region_teams(client, cast) -> None:
    other_region = RegionFactory(name="Region Nordjylland", code="RN")
    TeamFactory(programme=cast.adhd, region=other_region, name="BUP Aalborg")
    client.force_login(cast.coordinator)
    page = client.get("/").content.decode()

    assert "Teams i din region" in page
    assert "Lungemedicin AUH" in page
    assert "BUP Aalborg" not in page
