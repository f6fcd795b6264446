"""What every signed-in request costs: sessions from the cache, roles once per change of them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import roles_of
from tests import factories as f


def fresh(user: User) -> User:
    """The person as the next request loads them (AuthenticationMiddleware reads the row)."""
    return User.objects.get(pk=user.pk)


def test_the_session_is_read_from_the_cache_not_the_database() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_a_small_signed_in_page_asks_only_for_the_person_and_its_own_data(cast, client) -> None:
    client.force_login(cast.steering)
    client.get(reverse("status:regions"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("status:regions")).status_code == 200
    tables = " ".join(q["sql"] for q in captured)
    assert "django_session" not in tables
    for roles_table in ("teams_teammember", "programmes_programmelead", "programmes_expertmember"):
        assert roles_table not in tables
    # The person (AuthenticationMiddleware) and the data version of the kept regions table.
    assert len(captured) <= 2, [q["sql"] for q in captured]


def test_a_page_of_a_team_member_does_not_look_up_their_roles_again(cast, client) -> None:
    client.force_login(cast.local_lead)
    url = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    tables = " ".join(q["sql"] for q in captured)
    assert "programmes_programmelead" not in tables
    assert "programmes_regionalcoordinator" not in tables


def test_roles_are_read_from_the_database_once_per_version(cast, django_assert_num_queries):
    roles_of(fresh(cast.local_lead))  # the first request after a change reads them
    person = fresh(cast.local_lead)
    with django_assert_num_queries(0):
        again = roles_of(person)
    assert cast.kol_rm.pk in again.local_lead_teams


MEMBERSHIPS = {
    "team member": (
        lambda cast, person: f.TeamMemberFactory(team=cast.adhd_rsd, user=person),
        "indicators.view_team_data",
    ),
    "national project lead": (
        lambda cast, person: f.ProgrammeLeadFactory(programme=cast.adhd, user=person),
        "programmes.change_programme",
    ),
    "expert": (
        lambda cast, person: f.ExpertMemberFactory(group__programme=cast.adhd, user=person),
        "indicators.change_indicator",
    ),
    "regional coordinator": (
        lambda cast, person: f.RegionalCoordinatorFactory(region=cast.regions["rsd"], user=person),
        "teams.change_team",
    ),
}


@pytest.mark.parametrize("kind", MEMBERSHIPS)
def test_a_new_or_ended_membership_takes_effect_on_the_next_request(cast, kind) -> None:
    make, permission = MEMBERSHIPS[kind]
    person = cast.nobody
    target = cast.adhd_rsd if permission.startswith(("indicators.view", "teams")) else cast.adhd
    assert not fresh(person).has_perm(permission, target)  # now cached as "attached to nothing"
    membership = make(cast, person)
    assert fresh(person).has_perm(permission, target)
    membership.delete()
    assert not fresh(person).has_perm(permission, target)


def test_a_team_moved_to_another_programme_moves_its_members_roles(cast) -> None:
    member = cast.outsider  # on the ADHD team in Syddanmark
    assert not fresh(member).has_perm("teams.view_teams", cast.kol)
    team = cast.adhd_rsd
    team.programme = cast.kol
    team.save()
    assert fresh(member).has_perm("teams.view_teams", cast.kol)


def test_a_membership_ended_in_the_portal_closes_the_team_on_the_next_page(cast, client) -> None:
    person = cast.member
    client.force_login(person)
    url = reverse("indicators:team_results", args=[cast.kol_rsd.pk])
    assert client.get(url).status_code == 200
    person.team_memberships.get(team=cast.kol_rsd).delete()
    assert client.get(url).status_code == 404


def test_a_model_permission_given_in_the_admin_takes_effect_on_the_next_request(cast) -> None:
    from django.contrib.auth.models import Group, Permission

    person = cast.nobody
    assert not fresh(person).has_perm("seminars.view_seminar")  # now cached as "none"
    permission = Permission.objects.get(codename="view_seminar")
    person.user_permissions.add(permission)
    assert fresh(person).has_perm("seminars.view_seminar")
    person.user_permissions.remove(permission)
    assert not fresh(person).has_perm("seminars.view_seminar")
    group = Group.objects.create(name="Læsere")
    person.groups.add(group)
    assert not fresh(person).has_perm("seminars.view_seminar")
    group.permissions.add(permission)
    assert fresh(person).has_perm("seminars.view_seminar")
