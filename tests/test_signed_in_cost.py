"""What a signed-in page costs: the menus kept per state of the person, a fixed number of queries
on the small page, the overview and the programme status page whatever the data's size."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

UPLOAD = f'href="{reverse("indicators:upload")}"'
STATUS = f'href="{reverse("status:overview")}"'
AUDIT = f'href="{reverse("accounts:audit")}"'
ADMIN = f'href="{reverse("admin:index")}"'
MENUS = {"includes/_nav_items.html", "includes/_nav_person.html"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def get(client, name: str = "home", *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response


def menus_rendered(response) -> set[str]:
    return {t.name for t in response.templates} & MENUS


def test_the_menus_are_rendered_once_and_then_taken_from_the_cache(cast, client) -> None:
    client.force_login(cast.member)
    assert menus_rendered(get(client)) == MENUS
    second = get(client, "teams:list")
    assert menus_rendered(second) == set()
    assert UPLOAD in second.content.decode()  # the kept menus are on the page


def test_a_new_membership_shows_in_the_menus_on_the_next_page(cast, client) -> None:
    client.force_login(cast.nobody)
    assert UPLOAD not in get(client).content.decode()
    membership = f.TeamMemberFactory(team=cast.kol_rm, user=cast.nobody)
    assert UPLOAD in get(client).content.decode()
    membership.delete()
    assert UPLOAD not in get(client).content.decode()


def test_a_national_lead_post_shows_the_status_link_on_the_next_page(cast, client) -> None:
    client.force_login(cast.nobody)
    assert STATUS not in get(client).content.decode()
    f.ProgrammeLeadFactory(programme=cast.adhd, user=cast.nobody)
    assert STATUS in get(client).content.decode()


def test_a_change_of_the_persons_own_flags_shows_on_the_next_page(cast, client) -> None:
    person = cast.nobody
    client.force_login(person)
    assert ADMIN not in get(client).content.decode()
    person.is_staff = True
    person.save()
    assert ADMIN in get(client).content.decode()
    person.is_steering_group_member = True
    person.save()
    assert STATUS in get(client).content.decode()


def test_a_person_never_sees_another_persons_menus(cast, client) -> None:
    client.force_login(cast.administrator)
    page = get(client).content.decode()
    assert AUDIT in page and ADMIN in page and STATUS in page
    for other in (cast.steering, cast.member, cast.nobody, cast.lead):
        client.force_login(other)
        page = get(client).content.decode()
        assert AUDIT not in page and ADMIN not in page, other
    client.force_login(cast.member)
    assert STATUS not in get(client).content.decode()
    client.force_login(cast.steering)
    assert STATUS in get(client).content.decode()
    assert UPLOAD not in get(client).content.decode()


def test_another_language_gets_its_own_menus(cast, client) -> None:
    client.force_login(cast.member)
    assert "Mit arbejde" in get(client).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = get(client).content.decode()
    assert "My work" in english and "Mit arbejde" not in english
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    danish = get(client).content.decode()
    assert "Mit arbejde" in danish and "My work" not in danish


def test_the_live_parts_of_the_navbar_stay_live(cast, client) -> None:
    """The log-out and language forms carry this request's CSRF token and address."""
    client.force_login(cast.member)
    get(client)
    page = get(client, "teams:list").content.decode()
    assert f'name="next" type="hidden" value="{reverse("teams:list")}"' in page
    assert page.count('name="csrfmiddlewaretoken"') >= 2
    assert str(cast.member) in page


# --- Queries per page, whatever the data's size -------------------------------------------------


def queries(client, name: str, *args) -> list[str]:
    get(client, name, *args)  # the first request fills the caches (session, roles, menus, blocks)
    with CaptureQueriesContext(connection) as captured:
        get(client, name, *args)
    return [q["sql"] for q in captured]


def grow(cast) -> None:
    """Three more LKTs with teams in both regions."""
    for n in range(3):
        programme = f.ProgrammeFactory(name=f"Ekstra {n}", slug=f"ekstra-{n}")
        for region in cast.regions.values():
            f.TeamFactory(programme=programme, region=region)


PAGES = {
    # The person and the data version of the kept regions table.
    "status:regions": 2,
    # The person and the data version of the kept overview table.
    "status:overview": 2,
    # The person, the programme (access) and the data version of its kept blocks.
    "status:programme": 3,
}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_costs_a_fixed_number_of_queries_whatever_the_data(cast, client, name) -> None:
    client.force_login(cast.steering)
    args = [cast.kol.pk] if name == "status:programme" else []
    small = queries(client, name, *args)
    assert len(small) == PAGES[name], small
    grow(cast)
    assert len(queries(client, name, *args)) == PAGES[name]
    assert not any("django_session" in sql or "teammember" in sql for sql in small)


# --- The kept regions table follows every write -------------------------------------------------


def regions_page(client) -> str:
    return get(client, "status:regions").content.decode()


def region_row(page: str, region) -> list[int]:
    """The region's figures: LKTs it leads, LKTs with teams there, teams, active teams."""
    start = page.index(f">{region.name}</a>")
    row = page[start : page.index("</tr>", start)]
    return [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', row)]


def test_the_regions_table_shows_a_team_status_change_on_the_next_request(cast, client) -> None:
    from teams.models import ImprovementTeam

    client.force_login(cast.steering)
    rm = cast.regions["rm"]
    cast.kol_rm.status = ImprovementTeam.Status.FORMING
    cast.kol_rm.save()
    assert region_row(regions_page(client), rm) == [1, 1, 1, 0]
    cast.kol_rm.status = ImprovementTeam.Status.ACTIVE
    cast.kol_rm.save()
    assert region_row(regions_page(client), rm) == [1, 1, 1, 1]


def test_the_regions_table_shows_a_new_team_and_a_renamed_region_at_once(cast, client) -> None:
    client.force_login(cast.steering)
    rsd = cast.regions["rsd"]
    assert region_row(regions_page(client), rsd)[2] == 2
    f.TeamFactory(programme=cast.kol, region=rsd)
    assert region_row(regions_page(client), rsd)[2] == 3
    rsd.name = "Region Syddanmark (ny)"
    rsd.save()
    assert ">Region Syddanmark (ny)</a>" in regions_page(client)
