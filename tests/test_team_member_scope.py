"""Who may put whom on a team (accounts/roles.py): in the service, the invitation and the picker."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from people.services import user_invite
from programmes.models import Organisation
from teams.models import TeamMember
from teams.services import team_add_member
from tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SITE = "https://lkt.example.dk/"


@pytest.fixture
def rm_person(cast):
    """A person of Midtjylland: on an ADHD team there, through one of its hospitals."""
    auh = f.OrganisationFactory(name="Aarhus Universitetshospital", region=cast.regions["rm"])
    team = f.TeamFactory(programme=cast.adhd, region=cast.regions["rm"], organisations=[auh])
    return f.TeamMemberFactory(
        team=team, organisation=auh, user__first_name="Rikke", user__last_name="Midt"
    ).user


@pytest.fixture
def rsd_person(cast):
    """A person of Syddanmark only: an expert naming a hospital there."""
    ouh = f.OrganisationFactory(name="Odense Universitetshospital", region=cast.regions["rsd"])
    return f.ExpertMemberFactory(
        group__programme=cast.adhd,
        organisation=ouh,
        user__first_name="Rikke",
        user__last_name="Syd",
        user__email="rikke.syd@example.dk",
    ).user


def add(team, by, user):
    return team_add_member(team=team, by=by, user=user, role=TeamMember.Role.MEMBER)


@pytest.mark.parametrize("person", ["coordinator", "lead", "administrator"])
def test_no_one_adds_themselves_to_a_team(cast, person) -> None:
    user = getattr(cast, person)
    with pytest.raises(ValidationError) as refused:
        add(cast.kol_rm, user, user)

    assert refused.value.message_dict["user"][0] in (
        "Du kan ikke tilføje dig selv til et team.",
        "Styregruppens medlemmer og administratorer kan ikke være medlem af et team.",
    )
    assert not cast.kol_rm.members.filter(user=user).exists()


@pytest.mark.parametrize("by", ["administrator", "lead", "coordinator", None])
def test_the_steering_member_is_never_a_team_member(cast, by) -> None:
    with pytest.raises(ValidationError) as refused:
        add(cast.kol_rm, getattr(cast, by) if by else None, cast.steering)

    assert refused.value.message_dict["user"] == [
        "Styregruppens medlemmer og administratorer kan ikke være medlem af et team."
    ]
    assert not cast.steering.team_memberships.exists()


def test_a_coordinator_adds_a_person_of_their_region(cast, rm_person) -> None:
    member = add(cast.kol_rm, cast.coordinator, rm_person)
    assert member.team == cast.kol_rm


def test_a_coordinator_does_not_add_a_person_of_another_region(cast, rsd_person) -> None:
    with pytest.raises(ValidationError) as refused:
        add(cast.kol_rm, cast.coordinator, rsd_person)

    message = refused.value.message_dict["user"][0]
    assert message.startswith("Du kan kun tilføje personer fra teamets region.")
    assert "Rikke" not in message
    assert not cast.kol_rm.members.filter(user=rsd_person).exists()


def test_the_national_lead_adds_a_person_of_any_region_to_their_programmes_team(
    cast, rsd_person
) -> None:
    assert add(cast.kol_rm, cast.lead, rsd_person).user == rsd_person


def test_the_page_refuses_a_coordinator_adding_themselves_in_danish(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("teams:add_member", args=[cast.kol_rm.pk]),
        {"user": cast.coordinator.pk, "role": "local_lead"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "Du kan ikke tilføje dig selv til et team." in response.text
    assert not cast.kol_rm.members.filter(user=cast.coordinator).exists()


def test_the_page_refuses_the_lead_adding_themselves_then_registering_data(client, cast) -> None:
    client.force_login(cast.lead)
    client.post(
        reverse("teams:add_member", args=[cast.kol_rm.pk]),
        {"user": cast.lead.pk, "role": "local_lead"},
    )
    response = client.post(reverse("indicators:progress_score", args=[cast.kol_rm.pk]))

    assert not cast.kol_rm.members.filter(user=cast.lead).exists()
    assert response.status_code == 403


# The invitation path -------------------------------------------------------------------------


def invite(by, email, team):
    return user_invite(
        by=by, email=email, first_name="", last_name="", target=team, role="member", site_url=SITE
    )


def test_an_invitation_does_not_add_the_inviter_themselves(cast) -> None:
    with pytest.raises(ValidationError) as refused:
        invite(cast.coordinator, "TOVHOLDER@example.dk", cast.kol_rm)

    assert refused.value.message_dict["email"] == ["Du kan ikke tilføje dig selv til et team."]
    assert not cast.kol_rm.members.filter(user=cast.coordinator).exists()


def test_an_invitation_does_not_put_the_steering_member_on_a_team(cast) -> None:
    with pytest.raises(ValidationError):
        invite(cast.lead, "styregruppe@example.dk", cast.kol_rm)
    assert not cast.steering.team_memberships.exists()


def test_an_invitation_by_a_coordinator_reaches_only_their_regions_people(
    cast, rsd_person, mailoutbox
) -> None:
    with pytest.raises(ValidationError):
        invite(cast.coordinator, "rikke.syd@example.dk", cast.kol_rm)
    assert not cast.kol_rm.members.filter(user=rsd_person).exists()

    result = invite(cast.coordinator, "helt.ny@example.dk", cast.kol_rm)  # new: no region yet
    assert cast.kol_rm.members.filter(user=result.person).exists()


# The picker ----------------------------------------------------------------------------------


def search(client, team, q):
    return client.get(reverse("teams:search_people", args=[team.pk]), {"q": q}, **HTMX)


def test_the_picker_offers_the_coordinator_only_people_they_may_add(
    client, cast, rm_person, rsd_person
) -> None:
    client.force_login(cast.coordinator)

    response = search(client, cast.kol_rm, "rikke")

    assert response.status_code == 200
    assert f'value="{rm_person.pk}"' in response.text
    assert rm_person.email in response.text
    assert "Rikke Syd" not in response.text
    assert "rikke.syd@example.dk" not in response.text
    for excluded in ("tovholder@", "styregruppe@", "admin@", "udenfor@", "medlem@"):
        assert excluded not in search(client, cast.kol_rm, "example.dk").text


def test_the_picker_shows_a_few_people_at_a_time_and_nobody_for_one_letter(client, cast) -> None:
    for n in range(12):
        f.UserFactory(first_name="Kim", last_name=f"Nummer {n}")
    client.force_login(cast.lead)

    assert search(client, cast.kol_rm, "kim").text.count('type="radio"') == 8
    assert 'type="radio"' not in search(client, cast.kol_rm, "k").text


def test_the_picker_is_closed_to_those_who_may_not_manage_the_members(client, cast) -> None:
    client.force_login(cast.member)
    assert search(client, cast.kol_rm, "example").status_code == 403
    client.force_login(cast.outsider)
    assert search(client, cast.kol_rm, "example").status_code == 404


def test_the_team_page_lists_no_people_until_one_searches(client, cast, rm_person) -> None:
    client.force_login(cast.coordinator)
    page = client.get(reverse("teams:detail", args=[cast.kol_rm.pk])).text

    assert 'name="q"' in page
    assert rm_person.email not in page
    assert "ingen@example.dk" not in page


def test_without_javascript_the_search_runs_when_the_form_is_sent(client, cast, rm_person) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("teams:add_member", args=[cast.kol_rm.pk]), {"q": "Rikke", "role": "member"}
    )

    assert response.status_code == 200
    assert "Søg personen frem, og vælg dem på listen." in response.text
    assert f'value="{rm_person.pk}"' in response.text
    assert Organisation.objects.exists()


def test_a_search_posted_with_a_nul_byte_is_read_as_a_space_not_a_server_error(
    client, cast
) -> None:
    client.force_login(cast.lead)
    url = reverse("teams:add_member", args=[cast.kol_rm.pk])

    response = client.post(url, {"q": "navn\x00null", "role": "member", "user": ""})

    assert response.status_code == 200
