"""Search: what it finds (PostgreSQL and the fallback), never what a person may not open."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core import textsearch
from lkt_portal import search
from people.services import user_invite
from programmes.models import Programme
from teams.models import PDSACycle
from tests import factories as f
from tests.test_every_url import ROLES

pytestmark = pytest.mark.django_db

WORD = "Tjekliste"  # in one object of every kind


@pytest.fixture
def world(cast):
    """Every kind carries the word: in KOL (led from Midtjylland) and in ADHD (Syddanmark)."""
    today = timezone.localdate()
    cast.kol.clinical_area = "Lungerehabilitering"
    cast.kol.description = f"{WORD} for udskrivelse"
    cast.kol.save()
    cast.adhd.description = f"{WORD} i børnepsykiatrien"
    cast.adhd.save()
    cast.kol_rm.aim = f"{WORD} ved hver udskrivelse"
    cast.kol_rm.save()
    cast.adhd_rsd.aim = f"{WORD} ved hver visitation"
    cast.adhd_rsd.save()
    f.SeminarFactory(programme=cast.kol, title=f"{WORD}seminar", place="Aarhus")
    f.IndicatorFactory(programme=cast.adhd, name=f"Andel med {WORD.lower()}")
    cast.kol_cycle = PDSACycle.objects.create(
        team=cast.kol_rm, title=f"{WORD} på én patient", started_on=today
    )
    cast.adhd_cycle = PDSACycle.objects.create(
        team=cast.adhd_rsd, title=f"{WORD} i ét ambulatorium", started_on=today
    )
    return cast


def results(client, user, query: str) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('id="main"') :]
    return re.findall(r'<li class="list-group-item"><a href="([^"]+)"', main)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_result_opens_for_the_person_who_got_it(world, client, role) -> None:
    user = getattr(world, role)
    links = results(client, user, WORD.lower()) + results(client, user, "example")
    assert links  # every role finds something: the programmes are open to all
    for link in links:
        assert client.get(link.split("#")[0]).status_code == 200, link


def test_a_team_member_does_not_find_another_programmes_teams_or_cycles(world, client) -> None:
    links = results(client, world.member, WORD)  # member of KOL's Syddanmark team
    assert reverse("teams:pdsa_detail", args=[world.kol_rm.pk, world.kol_cycle.pk]) in links
    assert not [link for link in links if f"/pdsa/{world.adhd_cycle.pk}/" in link]
    assert reverse("teams:detail", args=[world.adhd_rsd.pk]) not in links
    outsider = results(client, world.outsider, WORD)  # ADHD's team
    assert not [link for link in outsider if f"/pdsa/{world.kol_cycle.pk}/" in link]
    assert reverse("teams:detail", args=[world.kol_rm.pk]) not in outsider


def test_people_are_those_of_the_persons_teams_or_of_the_user_list(world, client) -> None:
    member_links = results(client, world.member, "example.dk")
    team_pages = {link.split("#")[0] for link in member_links if "#members" in link}
    assert team_pages <= {
        reverse("teams:detail", args=[world.kol_rm.pk]),
        reverse("teams:detail", args=[world.kol_rsd.pk]),
    }
    assert not any("udenfor" in link for link in member_links)
    # a coordinator: the people of the user list (their region's teams), linked to it
    coordinator_links = results(client, world.coordinator, "example.dk")
    people = [link for link in coordinator_links if link.startswith(reverse("accounts:list"))]
    assert any("lokal%40example.dk" in link for link in people)
    assert not any("udenfor%40example.dk" in link for link in people)  # ADHD, Syddanmark


def test_a_coordinator_finds_the_person_they_invited(world, client) -> None:
    user_invite(
        by=world.coordinator, email="ny.kollega@example.dk", first_name="Nyborg",
        last_name="Hansen", target=world.kol_rm, role="member", site_url="http://testserver",
    )  # fmt: skip
    assert any("ny.kollega" in link for link in results(client, world.coordinator, "nyborg"))
    assert any("ny.kollega" in link for link in results(client, world.lead, "nyborg"))  # KOL
    assert results(client, world.outsider, "nyborg") == []  # ADHD only


@pytest.mark.postgres
def test_postgres_finds_a_word_by_its_beginning_in_danish(world) -> None:
    assert connection_vendor() == "postgresql"
    found = textsearch.full_text(Programme.objects.all(), ("name", "clinical_area"), ["lunge"])
    assert list(found) == [world.kol]
    # Danish stemming: the plural finds the singular
    stemmed = textsearch.full_text(Programme.objects.all(), ("description",), ["tjeklisterne"])
    assert set(stemmed) == {world.kol, world.adhd}


def test_the_fallback_finds_every_word_anywhere(world) -> None:
    fields = ("name", "clinical_area", "description")
    assert list(textsearch.contains(Programme.objects.all(), fields, ["lunge"])) == [world.kol]
    assert list(textsearch.contains(Programme.objects.all(), fields, ["tjek", "børn"])) == [
        world.adhd
    ]
    assert list(textsearch.contains(Programme.objects.all(), fields, ["tjek", "ukendt"])) == []


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "lunge & | ! :* ( ) ' \" \\",
        "lunge\x01\x1f",
        "lunge\r\nrehab",
        "x" * 20_000,
        "æøå " * 300,
        "%_%",
        "lunge _ % :* rehab",
        "-1",
        "9" * 400,
    ],
)
def test_hostile_queries_never_give_a_server_error(
    world, client, query, django_assert_max_num_queries
) -> None:
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    if len(query) > textsearch.MAX_LENGTH:
        assert "Søgningen er for lang" in response.content.decode()
    if "\x01" in query or "\r" in query:
        assert "invalid-feedback" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_results(
    world, client, django_assert_max_num_queries
) -> None:
    for n in range(30):
        f.ProgrammeFactory(name=f"{WORD} {n}")
        f.SeminarFactory(programme=world.kol, title=f"{WORD} {n}")
        PDSACycle.objects.create(
            team=world.kol_rm, title=f"{WORD} {n}", started_on=dt.date(2025, 1, 1)
        )
    client.force_login(world.steering)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("search"), {"q": WORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-kind="') == 5  # programmes, teams, seminars, indicators, PDSA
    assert html.count(f"{WORD} ") >= search.PER_KIND


def test_the_search_box_is_in_the_navigation_bar(cast, client) -> None:
    client.force_login(cast.member)
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in html and 'name="q"' in html
