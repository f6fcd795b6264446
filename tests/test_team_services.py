"""Writes for improvement teams and their members: the domain rules, on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from programmes.models import Organisation
from teams.models import ImprovementTeam, TeamMember
from teams.services import (
    team_add_member,
    team_change_member_role,
    team_create,
    team_remove_member,
    team_update,
)
from tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    RegionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CROSS_SECTOR = (
    "Et tværsektorielt team skal bestå af et hospital og mindst én kommune fra hospitalets "
    "optageområde."
)


@pytest.fixture
def rsd():
    return RegionFactory(name="Region Syddanmark", code="RSD")


@pytest.fixture
def hip_fracture(rsd):
    return ProgrammeFactory(
        name="Sammenhængende Hoftebrudsforløb", lead_region=rsd, is_cross_sector=True
    )


def organisation(region, kind: str, name: str) -> Organisation:
    return OrganisationFactory(region=region, kind=kind, name=name)


def create(programme, region, organisations, **fields) -> ImprovementTeam:
    fields.setdefault("name", "Hoftebrud Odense")
    return team_create(
        programme=programme, by=None, region=region, organisations=organisations, **fields
    )


def test_it_creates_a_team_with_its_organisations(rsd) -> None:
    programme = ProgrammeFactory(lead_region=rsd)
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")

    team = create(
        programme, rsd, [ouh], started_on=dt.date(2024, 9, 1), aim="Færre genindlæggelser"
    )

    team.refresh_from_db()
    assert team.programme == programme
    assert team.region == rsd
    assert list(team.organisations.all()) == [ouh]
    assert team.status == ImprovementTeam.Status.FORMING
    assert team.method == ImprovementTeam.Method.MODEL_FOR_IMPROVEMENT


def test_it_creates_a_cross_sector_team_of_a_hospital_and_municipalities(rsd, hip_fracture) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    odense = organisation(rsd, Organisation.Kind.MUNICIPALITY, "Odense Kommune")
    nyborg = organisation(rsd, Organisation.Kind.MUNICIPALITY, "Nyborg Kommune")

    team = create(hip_fracture, rsd, [ouh, odense, nyborg])

    assert team.organisations.count() == 3


def test_a_hospital_department_counts_as_the_hospital_of_a_cross_sector_team(
    rsd, hip_fracture
) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    ortopaedkirurgi = OrganisationFactory(
        region=rsd, kind=Organisation.Kind.DEPARTMENT, name="Ortopædkirurgi, OUH", parent=ouh
    )
    odense = organisation(rsd, Organisation.Kind.MUNICIPALITY, "Odense Kommune")

    team = create(hip_fracture, rsd, [ortopaedkirurgi, odense])

    assert set(team.organisations.all()) == {ortopaedkirurgi, odense}


@pytest.mark.parametrize("missing", ["municipality", "hospital"])
def test_it_refuses_a_cross_sector_team_without_both_sectors(rsd, hip_fracture, missing) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    odense = organisation(rsd, Organisation.Kind.MUNICIPALITY, "Odense Kommune")
    chosen = [ouh] if missing == "municipality" else [odense]

    with pytest.raises(ValidationError) as refused:
        create(hip_fracture, rsd, chosen)

    assert refused.value.message_dict["organisations"] == [CROSS_SECTOR]
    assert not ImprovementTeam.objects.exists()


def test_it_refuses_a_team_without_organisations(rsd) -> None:
    with pytest.raises(ValidationError) as refused:
        create(ProgrammeFactory(lead_region=rsd), rsd, [])

    assert refused.value.message_dict["organisations"] == ["Vælg mindst én organisation."]


def test_it_refuses_organisations_of_another_region(rsd) -> None:
    rm = RegionFactory(name="Region Midtjylland", code="RM")
    auh = organisation(rm, Organisation.Kind.HOSPITAL, "Aarhus Universitetshospital")

    with pytest.raises(ValidationError) as refused:
        create(ProgrammeFactory(lead_region=rsd), rsd, [auh])

    assert refused.value.message_dict["organisations"] == [
        "Aarhus Universitetshospital ligger ikke i teamets region."
    ]


def test_it_refuses_a_second_team_of_the_same_name_in_the_programme(rsd) -> None:
    programme = ProgrammeFactory(name="KOL", lead_region=rsd)
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    create(programme, rsd, [ouh], name="Lungemedicin OUH")

    with pytest.raises(ValidationError) as refused:
        create(programme, rsd, [ouh], name="lungemedicin ouh ")

    assert refused.value.message_dict["name"] == [
        "Der findes allerede et team med navnet “lungemedicin ouh” i KOL."
    ]
    assert ImprovementTeam.objects.count() == 1


def test_the_same_team_name_is_allowed_in_another_programme(rsd) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    create(ProgrammeFactory(lead_region=rsd), rsd, [ouh], name="OUH")

    create(ProgrammeFactory(lead_region=rsd), rsd, [ouh], name="OUH")

    assert ImprovementTeam.objects.filter(name="OUH").count() == 2


def test_it_refuses_an_aim_with_a_cpr_number(rsd) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")

    with pytest.raises(ValidationError) as refused:
        create(ProgrammeFactory(lead_region=rsd), rsd, [ouh], aim="Patient 010190-1234")

    assert "CPR-nummer" in refused.value.message_dict["aim"][0]


def test_update_changes_the_team_and_its_organisations(rsd) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    svendborg = organisation(rsd, Organisation.Kind.HOSPITAL, "Sygehus Svendborg")
    team = create(ProgrammeFactory(lead_region=rsd), rsd, [ouh])

    team_update(
        team=team,
        by=None,
        name="OUH og Svendborg",
        organisations=[ouh, svendborg],
        method=ImprovementTeam.Method.LEAN,
        status=ImprovementTeam.Status.ACTIVE,
        started_on=dt.date(2024, 10, 1),
        aim="Bedre forløb",
    )

    team.refresh_from_db()
    assert (team.name, team.method, team.status) == ("OUH og Svendborg", "lean", "active")
    assert set(team.organisations.all()) == {ouh, svendborg}


def test_a_refused_update_changes_nothing(rsd, hip_fracture) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    odense = organisation(rsd, Organisation.Kind.MUNICIPALITY, "Odense Kommune")
    team = create(hip_fracture, rsd, [ouh, odense], name="Odense")
    create(hip_fracture, rsd, [ouh, odense], name="Svendborg")

    with pytest.raises(ValidationError) as refused:
        team_update(
            team=team,
            by=None,
            name="Svendborg",
            organisations=[ouh],
            method=team.method,
            status=ImprovementTeam.Status.ACTIVE,
        )

    assert set(refused.value.message_dict) == {"name", "organisations"}
    assert team.name == "Odense"  # the caller's object too
    team.refresh_from_db()
    assert (team.name, team.status) == ("Odense", ImprovementTeam.Status.FORMING)
    assert set(team.organisations.all()) == {ouh, odense}


def test_it_adds_a_member_with_a_role_and_one_of_the_teams_organisations(rsd) -> None:
    ouh = organisation(rsd, Organisation.Kind.HOSPITAL, "Odense Universitetshospital")
    team = TeamFactory(region=rsd, organisations=[ouh])
    person = UserFactory()

    member = team_add_member(
        team=team, by=None, user=person, role=TeamMember.Role.LOCAL_LEAD, organisation=ouh
    )

    assert (member.team, member.user, member.role, member.organisation) == (
        team,
        person,
        "local_lead",
        ouh,
    )


def test_it_refuses_to_add_a_member_twice(rsd) -> None:
    member = TeamMemberFactory(user__first_name="Mette", user__last_name="Holm")

    with pytest.raises(ValidationError) as refused:
        team_add_member(team=member.team, by=None, user=member.user, role=TeamMember.Role.MEMBER)

    assert refused.value.message_dict["user"] == ["Mette Holm er allerede medlem af teamet."]
    assert TeamMember.objects.count() == 1


def test_it_refuses_a_deactivated_person() -> None:
    team = TeamFactory()
    person = UserFactory(email="gone@example.dk", first_name="", last_name="", is_active=False)

    with pytest.raises(ValidationError) as refused:
        team_add_member(team=team, by=None, user=person, role=TeamMember.Role.MEMBER)

    assert refused.value.message_dict["user"] == [
        "gone@example.dk er deaktiveret og kan ikke tilføjes."
    ]


def test_it_refuses_an_organisation_that_is_not_the_teams(rsd) -> None:
    team = TeamFactory(region=rsd)
    elsewhere = organisation(rsd, Organisation.Kind.MUNICIPALITY, "Odense Kommune")

    with pytest.raises(ValidationError) as refused:
        team_add_member(
            team=team, by=None, user=UserFactory(), role="member", organisation=elsewhere
        )

    assert "organisation" in refused.value.message_dict
    assert not TeamMember.objects.exists()


def test_it_refuses_an_unknown_role() -> None:
    with pytest.raises(ValidationError):
        team_add_member(team=TeamFactory(), by=None, user=UserFactory(), role="boss")

    member = TeamMemberFactory()
    with pytest.raises(ValidationError):
        team_change_member_role(member=member, by=None, role="boss")
    member.refresh_from_db()
    assert member.role == TeamMember.Role.MEMBER


def test_it_changes_a_members_role() -> None:
    member = TeamMemberFactory()

    team_change_member_role(member=member, by=None, role=TeamMember.Role.QUALITY_COORDINATOR)

    member.refresh_from_db()
    assert member.role == TeamMember.Role.QUALITY_COORDINATOR


def test_it_removes_a_member() -> None:
    member = TeamMemberFactory()

    team_remove_member(member=member, by=None)

    assert not TeamMember.objects.filter(pk=member.pk).exists()
