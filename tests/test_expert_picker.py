"""The expert group's person picker: a search, a few at a time, never the whole directory."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import ExpertMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(cast):
    return [
        UserFactory(first_name="Anna", last_name=f"Larsen {n}", email=f"anna{n}@example.dk")
        for n in range(20)
    ]


def test_the_expert_group_page_lists_nobody_until_one_searches(client, cast, many) -> None:
    client.force_login(cast.lead)
    page = client.get(reverse("programmes:expert_group", args=[cast.kol.pk])).content.decode()
    assert "anna3@example.dk" not in page
    assert 'name="q"' in page
    assert reverse("programmes:search_experts", args=[cast.kol.pk]) in page


def test_the_search_gives_a_few_matches_outside_the_group(client, cast, many) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:search_experts", args=[cast.kol.pk])

    page = client.get(url, {"q": "anna larsen"}).content.decode()

    assert page.count('name="user"') == 8
    member = cast.kol.expert_group.members.first().user
    assert member.email not in client.get(url, {"q": member.email}).content.decode()


def test_a_person_found_is_added_with_the_role(client, cast, many) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:expert_group", args=[cast.kol.pk])
    response = client.post(
        url, {"q": "anna7", "user": many[7].pk, "role": "data", "sector": "regional"}
    )
    assert response.status_code == 302
    assert ExpertMember.objects.get(user=many[7]).role == "data"


@pytest.mark.parametrize("query", ["\x00\x01", "a" * 20000, "'; drop table", "\r\n"])
def test_hostile_searches_answer_calmly(client, cast, query) -> None:
    client.force_login(cast.lead)
    response = client.get(reverse("programmes:search_experts", args=[cast.kol.pk]), {"q": query})
    assert response.status_code in (200, 400)
