"""Team pages: the role ladder on every view, the forms' Danish errors, htmx and N+1 guards.

The cast (see conftest): programme KOL has teams `kol_rm` (Region Midtjylland) and `kol_rsd`
(Region Syddanmark); ADHD has `adhd_rsd`. The coordinator coordinates Region Midtjylland.

A coordinator who tries to create a team in another region gets the form back with an error
on the region (status 200): the region list only offers their own regions, so the choice is
refused as any invalid choice is, and nothing is created (we do not answer 403, since the
coordinator may create teams in the programme, only not there).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Organisation
from seminars.models import SeminarInvitation
from teams.models import ImprovementTeam, PDSACycle, TeamMember
from tests.factories import (
    IndicatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeLeadFactory,
    SeminarFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    client.force_login(user)
    return client


def detail(team) -> str:
    return reverse("teams:detail", args=[team.pk])


def edit(team) -> str:
    return reverse("teams:edit", args=[team.pk])


def create(programme) -> str:
    return reverse("teams:create", args=[programme.pk])


def add_member(team) -> str:
    return reverse("teams:add_member", args=[team.pk])


def change_role(member) -> str:
    return reverse("teams:change_member_role", args=[member.team_id, member.pk])


def remove(member) -> str:
    return reverse("teams:remove_member", args=[member.team_id, member.pk])


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def hospital(cast):
    return OrganisationFactory(
        region=cast.regions["rm"],
        kind=Organisation.Kind.HOSPITAL,
        name="Aarhus Universitetshospital",
    )


@pytest.fixture
def municipality(cast):
    return OrganisationFactory(
        region=cast.regions["rm"], kind=Organisation.Kind.MUNICIPALITY, name="Aarhus Kommune"
    )


# Team detail ------------------------------------------------------------------------------


def test_detail_sends_an_anonymous_visitor_to_the_login(client, cast) -> None:
    assert_login_redirect(client.get(detail(cast.kol_rm)))


@pytest.mark.parametrize("person", ["outsider", "nobody"])
def test_detail_hides_a_team_outside_the_persons_programmes(client, cast, person) -> None:
    response = login(client, getattr(cast, person)).get(detail(cast.kol_rm))

    assert response.status_code == 404


@pytest.mark.parametrize("person", ["steering", "expert", "member"])
def test_detail_is_read_only_for_those_who_may_not_change_the_team(client, cast, person) -> None:
    response = login(client, getattr(cast, person)).get(detail(cast.kol_rm))

    assert response.status_code == 200
    assert "Lungemedicin AUH" in response.text
    assert edit(cast.kol_rm) not in response.text
    assert add_member(cast.kol_rm) not in response.text
    assert "Fjern" not in response.text


def test_detail_is_read_only_for_the_coordinator_of_another_region(client, cast) -> None:
    response = login(client, cast.coordinator).get(detail(cast.kol_rsd))

    assert response.status_code == 200
    assert edit(cast.kol_rsd) not in response.text
    assert add_member(cast.kol_rsd) not in response.text


@pytest.mark.parametrize("person", ["coordinator", "lead", "administrator"])
def test_detail_offers_editing_and_members_to_those_who_may(client, cast, person) -> None:
    response = login(client, getattr(cast, person)).get(detail(cast.kol_rm))

    assert response.status_code == 200
    assert edit(cast.kol_rm) in response.text
    assert add_member(cast.kol_rm) in response.text
    assert remove(cast.kol_rm.members.get()) in response.text


def test_detail_shows_programme_region_organisations_by_sector_pdsa_and_seminars(
    client, cast, hospital, municipality
) -> None:
    team = cast.kol_rm
    team.organisations.set([hospital, municipality])
    indicator = IndicatorFactory(programme=cast.kol, name="Andel med inhalationsplan")
    PDSACycle.objects.create(
        team=team,
        title="Tjekliste ved udskrivelse",
        started_on=dt.date(2024, 3, 4),
    ).indicators.add(indicator)
    seminar = SeminarFactory(programme=cast.kol, title="Læringsseminar 1 i Vejle")
    SeminarInvitation.objects.create(seminar=seminar, team=team)
    SeminarFactory(programme=cast.kol, title="Ikke inviteret")

    response = login(client, cast.steering).get(detail(team))

    text = response.text
    assert reverse("programmes:detail", args=[cast.kol.pk]) in text
    assert "Region Midtjylland" in text
    assert text.index("Region og hospital") < text.index("Aarhus Universitetshospital")
    assert text.index("Kommune") < text.index("Aarhus Kommune")
    assert "Tjekliste ved udskrivelse" in text
    assert "Andel med inhalationsplan" in text
    assert "4. marts 2024" in text
    assert "Læringsseminar 1 i Vejle" in text
    assert "Ikke inviteret" not in text
    assert "Under etablering" in text  # the status badge


def test_detail_lists_the_local_project_lead_first(client, cast) -> None:
    TeamMemberFactory(team=cast.kol_rm, user__first_name="Aage", role=TeamMember.Role.MEMBER)
    lead = cast.kol_rm.members.get(role=TeamMember.Role.LOCAL_LEAD).user
    lead.first_name = "Åse"
    lead.save()

    response = login(client, cast.steering).get(detail(cast.kol_rm))

    assert response.text.index("Åse") < response.text.index("Aage")


def test_detail_queries_do_not_grow_with_members_cycles_seminars_and_organisations(
    client, cast, django_assert_num_queries
) -> None:
    team = cast.kol_rm
    # One cycle to begin with: the cycles' indicators are fetched in one query when there are any.
    PDSACycle.objects.create(team=team, title="Cyklus 0", started_on=dt.date(2024, 1, 1))
    login(client, cast.coordinator)
    small = count_queries(client, detail(team))

    indicator = IndicatorFactory(programme=cast.kol)
    for n in range(6):
        TeamMemberFactory(team=team, organisation=OrganisationFactory(region=cast.regions["rm"]))
        team.organisations.add(OrganisationFactory(region=cast.regions["rm"]))
        PDSACycle.objects.create(
            team=team, title=f"Cyklus {n}", started_on=dt.date(2024, 1, 1)
        ).indicators.add(indicator)
        SeminarInvitation.objects.create(seminar=SeminarFactory(programme=cast.kol), team=team)

    with django_assert_num_queries(small):
        client.get(detail(team))


# Create ---------------------------------------------------------------------------------


def test_create_sends_an_anonymous_visitor_to_the_login(client, cast) -> None:
    assert_login_redirect(client.get(create(cast.kol)))


@pytest.mark.parametrize("person", ["steering", "expert", "local_lead", "nobody"])
def test_create_refuses_those_who_may_not_add_teams(client, cast, person) -> None:
    client = login(client, getattr(cast, person))

    assert client.get(create(cast.kol)).status_code == 403
    assert client.post(create(cast.kol), {"name": "X"}).status_code == 403


def test_create_offers_a_coordinator_only_their_own_region(client, cast, hospital) -> None:
    OrganisationFactory(region=cast.regions["rsd"], name="Odense Universitetshospital")

    response = login(client, cast.coordinator).get(create(cast.kol))

    assert response.status_code == 200
    region = response.context["form"]["region"]
    assert [choice.choice_label for choice in region] == ["Region Midtjylland"]
    assert "Aarhus Universitetshospital" in response.text  # the only region is chosen already
    assert "Odense Universitetshospital" not in response.text


def test_create_refuses_a_coordinator_a_team_in_another_region(client, cast) -> None:
    odense = OrganisationFactory(region=cast.regions["rsd"], name="Odense Universitetshospital")

    response = login(client, cast.coordinator).post(
        create(cast.kol),
        {
            "name": "OUH",
            "region": cast.regions["rsd"].pk,
            "organisations": [odense.pk],
            "method": "mfi",
            "status": "forming",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not ImprovementTeam.objects.filter(name="OUH").exists()


def test_create_offers_a_national_lead_every_region(client, cast) -> None:
    response = login(client, cast.lead).get(create(cast.kol))

    labels = [choice.choice_label for choice in response.context["form"]["region"]]
    assert labels == ["Vælg region", "Region Midtjylland", "Region Syddanmark"]


def test_create_offers_the_organisations_of_the_region_asked_for_by_htmx(client, cast) -> None:
    OrganisationFactory(region=cast.regions["rsd"], name="Odense Universitetshospital")

    response = login(client, cast.lead).get(
        create(cast.kol), {"region": cast.regions["rsd"].pk}, **HTMX
    )

    assert response.status_code == 200
    assert "Odense Universitetshospital" in response.text


def test_a_coordinator_creates_a_team_in_their_region(client, cast, hospital) -> None:
    response = login(client, cast.coordinator).post(
        create(cast.adhd),
        {
            "name": "BUP Aarhus",
            "region": cast.regions["rm"].pk,
            "organisations": [hospital.pk],
            "method": "lean",
            "status": "active",
            "started_on": "2024-09-01",
            "aim": "Kortere ventetid",
        },
    )

    team = ImprovementTeam.objects.get(name="BUP Aarhus")
    assert response.status_code == 302
    assert response["Location"] == detail(team)
    assert (team.programme, team.region, team.method) == (cast.adhd, cast.regions["rm"], "lean")
    assert list(team.organisations.all()) == [hospital]


def test_create_shows_the_cross_sector_rule_in_danish(client, cast, hospital) -> None:
    programme = ProgrammeFactory(
        name="Hoftebrud", lead_region=cast.regions["rm"], is_cross_sector=True
    )

    response = login(client, cast.coordinator).post(
        create(programme),
        {
            "name": "Hoftebrud AUH",
            "region": cast.regions["rm"].pk,
            "organisations": [hospital.pk],
            "method": "mfi",
            "status": "forming",
        },
    )

    assert response.status_code == 200
    assert (
        "Et tværsektorielt team skal bestå af et hospital og mindst én kommune fra hospitalets "
        "optageområde."
    ) in response.text
    assert not programme.teams.exists()


def test_create_shows_a_duplicate_name_as_a_danish_form_error(client, cast, hospital) -> None:
    response = login(client, cast.coordinator).post(
        create(cast.kol),
        {
            "name": "Lungemedicin AUH",
            "region": cast.regions["rm"].pk,
            "organisations": [hospital.pk],
            "method": "mfi",
            "status": "forming",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Der findes allerede et team med navnet “Lungemedicin AUH” i KOL."
    ]
    assert cast.kol.teams.filter(name="Lungemedicin AUH").count() == 1


# Edit -----------------------------------------------------------------------------------


def test_edit_sends_an_anonymous_visitor_to_the_login(client, cast) -> None:
    assert_login_redirect(client.get(edit(cast.kol_rm)))


@pytest.mark.parametrize("person", ["outsider", "nobody"])
def test_edit_hides_a_team_outside_the_persons_programmes(client, cast, person) -> None:
    assert login(client, getattr(cast, person)).get(edit(cast.kol_rm)).status_code == 404


@pytest.mark.parametrize(
    ("person", "team"),
    [
        ("steering", "kol_rm"),
        ("expert", "kol_rm"),
        ("local_lead", "kol_rm"),
        ("coordinator", "kol_rsd"),
        ("member", "kol_rsd"),
    ],
)
def test_edit_refuses_those_who_may_only_read(client, cast, person, team) -> None:
    client = login(client, getattr(cast, person))
    team = getattr(cast, team)

    assert client.get(edit(team)).status_code == 403
    assert client.post(edit(team), {"name": "Nyt navn"}).status_code == 403
    team.refresh_from_db()
    assert team.name != "Nyt navn"


@pytest.mark.parametrize("person", ["coordinator", "lead"])
def test_edit_lets_the_region_and_the_national_lead_change_the_team(
    client, cast, hospital, person
) -> None:
    client = login(client, getattr(cast, person))
    assert client.get(edit(cast.kol_rm)).status_code == 200

    response = client.post(
        edit(cast.kol_rm),
        {
            "name": "Lungemedicin Aarhus",
            "organisations": [hospital.pk],
            "method": "vmps",
            "status": "active",
            "started_on": "2024-02-01",
            "aim": "Færre indlæggelser",
        },
    )

    assert response.status_code == 302
    cast.kol_rm.refresh_from_db()
    assert (cast.kol_rm.name, cast.kol_rm.status) == ("Lungemedicin Aarhus", "active")
    assert cast.kol_rm.region == cast.regions["rm"]


def test_edit_keeps_the_region_fixed(client, cast, hospital) -> None:
    response = login(client, cast.lead).post(
        edit(cast.kol_rm),
        {
            "name": "Lungemedicin AUH",
            "region": cast.regions["rsd"].pk,
            "organisations": [hospital.pk],
            "method": "mfi",
            "status": "active",
        },
    )

    assert response.status_code == 302
    cast.kol_rm.refresh_from_db()
    assert cast.kol_rm.region == cast.regions["rm"]


def test_edit_shows_a_duplicate_name_and_keeps_the_old_one(client, cast, hospital) -> None:
    TeamFactory(programme=cast.kol, region=cast.regions["rm"], name="Lungemedicin Randers")

    response = login(client, cast.coordinator).post(
        edit(cast.kol_rm),
        {
            "name": "Lungemedicin Randers",
            "organisations": [hospital.pk],
            "method": "mfi",
            "status": "active",
        },
    )

    assert response.status_code == 200
    assert "Der findes allerede et team med navnet “Lungemedicin Randers” i KOL." in response.text
    cast.kol_rm.refresh_from_db()
    assert cast.kol_rm.name == "Lungemedicin AUH"


# Members --------------------------------------------------------------------------------


def test_member_changes_are_post_only(client, cast) -> None:
    member = cast.kol_rm.members.get()
    client = login(client, cast.coordinator)

    for url in (add_member(cast.kol_rm), change_role(member), remove(member)):
        assert client.get(url).status_code == 405


def test_member_changes_send_an_anonymous_visitor_to_the_login(client, cast) -> None:
    member = cast.kol_rm.members.get()

    for url in (add_member(cast.kol_rm), change_role(member), remove(member)):
        assert_login_redirect(client.post(url, {"user": cast.nobody.pk, "role": "member"}))
    assert cast.kol_rm.members.count() == 1


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("outsider", 404),
        ("nobody", 404),
        ("steering", 403),
        ("expert", 403),
        ("local_lead", 403),
        ("member", 403),
    ],
)
def test_member_changes_are_refused_to_those_who_may_not_manage_members(
    client, cast, person, status
) -> None:
    member = cast.kol_rm.members.get()
    client = login(client, getattr(cast, person))

    assert (
        client.post(add_member(cast.kol_rm), {"user": cast.nobody.pk, "role": "member"}).status_code
        == status
    )
    assert client.post(change_role(member), {"role": "member"}).status_code == status
    assert client.post(remove(member)).status_code == status
    assert list(cast.kol_rm.members.values_list("user", "role")) == [
        (cast.local_lead.pk, "local_lead")
    ]


def test_the_coordinator_of_another_region_may_not_manage_the_members(client, cast) -> None:
    member = cast.kol_rsd.members.get()
    client = login(client, cast.coordinator)

    assert (
        client.post(
            add_member(cast.kol_rsd), {"user": cast.nobody.pk, "role": "member"}
        ).status_code
        == 403
    )
    assert client.post(change_role(member), {"role": "local_lead"}).status_code == 403
    assert client.post(remove(member)).status_code == 403
    assert cast.kol_rsd.members.get().role == "member"


@pytest.mark.parametrize("person", ["coordinator", "lead"])
def test_a_member_is_added_by_the_region_or_the_national_lead(client, cast, person) -> None:
    response = login(client, getattr(cast, person)).post(
        add_member(cast.kol_rm), {"user": cast.nobody.pk, "role": "quality_coordinator"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail(cast.kol_rm) + "#team-members"
    assert cast.kol_rm.members.get(user=cast.nobody).role == "quality_coordinator"


def test_htmx_add_member_returns_the_member_list_partial(client, cast) -> None:
    response = login(client, cast.coordinator).post(
        add_member(cast.kol_rm), {"user": cast.nobody.pk, "role": "member"}, **HTMX
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "teams/_members.html"
    assert response.text.lstrip().startswith('<section id="team-members"')
    assert "<html" not in response.text
    assert "ingen@example.dk" in response.text
    assert "er tilføjet som teammedlem" in response.text  # the message travels with the partial


def test_adding_an_existing_member_shows_a_danish_error(client, cast) -> None:
    cast.local_lead.first_name, cast.local_lead.last_name = "Lone", "Lund"
    cast.local_lead.save()

    response = login(client, cast.coordinator).post(
        add_member(cast.kol_rm), {"user": cast.local_lead.pk, "role": "member"}, **HTMX
    )

    assert response.status_code == 200
    assert "Lone Lund er allerede medlem af teamet." in response.text
    assert cast.kol_rm.members.get().role == "local_lead"


def test_without_htmx_a_refused_member_shows_the_team_page_with_the_error(client, cast) -> None:
    response = login(client, cast.coordinator).post(
        add_member(cast.kol_rm), {"user": cast.local_lead.pk, "role": "member"}
    )

    assert response.status_code == 200
    assert "<html" in response.text
    assert "er allerede medlem af teamet." in response.text


def test_a_deactivated_person_cannot_be_chosen(client, cast) -> None:
    gone = UserFactory(is_active=False)

    response = login(client, cast.coordinator).post(
        add_member(cast.kol_rm), {"user": gone.pk, "role": "member"}, **HTMX
    )

    assert response.status_code == 200
    assert response.context["member_form"].errors["user"]
    assert not cast.kol_rm.members.filter(user=gone).exists()


def test_the_role_of_a_member_is_changed(client, cast) -> None:
    member = cast.kol_rm.members.get()

    response = login(client, cast.coordinator).post(
        change_role(member), {"role": "formal_leader"}, **HTMX
    )

    assert response.status_code == 200
    assert "ændret til formel leder" in response.text
    member.refresh_from_db()
    assert member.role == "formal_leader"


def test_an_unknown_role_is_refused_with_a_message(client, cast) -> None:
    member = cast.kol_rm.members.get()

    response = login(client, cast.coordinator).post(change_role(member), {"role": "boss"}, **HTMX)

    assert "Vælg en af rollerne på listen." in response.text
    member.refresh_from_db()
    assert member.role == "local_lead"


def test_a_member_is_removed(client, cast) -> None:
    member = cast.kol_rm.members.get()

    response = login(client, cast.lead).post(remove(member), **HTMX)

    assert response.status_code == 200
    assert "er fjernet fra teamet" in response.text
    assert "Teamet har ingen medlemmer endnu." in response.text
    assert not cast.kol_rm.members.exists()


def test_a_member_of_another_team_cannot_be_reached_through_this_team(client, cast) -> None:
    other = cast.kol_rsd.members.get()
    url = reverse("teams:remove_member", args=[cast.kol_rm.pk, other.pk])

    assert login(client, cast.coordinator).post(url).status_code == 404
    assert TeamMember.objects.filter(pk=other.pk).exists()


# List -----------------------------------------------------------------------------------


def test_list_sends_an_anonymous_visitor_to_the_login(client) -> None:
    assert_login_redirect(client.get(reverse("teams:list")))


def names(response) -> set[str]:
    return {team.name for team in response.context["object_list"]}


@pytest.mark.parametrize(
    ("person", "visible"),
    [
        ("administrator", {"Lungemedicin AUH", "Lungemedicin OUH", "BUP Odense"}),
        ("steering", {"Lungemedicin AUH", "Lungemedicin OUH", "BUP Odense"}),
        ("coordinator", {"Lungemedicin AUH", "Lungemedicin OUH", "BUP Odense"}),
        ("lead", {"Lungemedicin AUH", "Lungemedicin OUH"}),
        ("expert", {"Lungemedicin AUH", "Lungemedicin OUH"}),
        ("member", {"Lungemedicin AUH", "Lungemedicin OUH"}),
        ("outsider", {"BUP Odense"}),
        ("nobody", set()),
    ],
)
def test_list_shows_the_teams_the_person_may_see(client, cast, person, visible) -> None:
    response = login(client, getattr(cast, person)).get(reverse("teams:list"))

    assert response.status_code == 200
    assert names(response) == visible


def test_list_offers_only_the_programmes_the_person_may_see(client, cast) -> None:
    response = login(client, cast.outsider).get(reverse("teams:list"))

    programmes = response.context["filter"].form.fields["programme"].queryset
    assert list(programmes) == [cast.adhd]


def test_list_filters_by_programme_region_status_and_name(client, cast) -> None:
    cast.kol_rsd.status = ImprovementTeam.Status.ACTIVE
    cast.kol_rsd.save()
    client = login(client, cast.steering)
    url = reverse("teams:list")

    assert names(client.get(url, {"programme": cast.kol.pk})) == {
        "Lungemedicin AUH",
        "Lungemedicin OUH",
    }
    assert names(client.get(url, {"region": cast.regions["rsd"].pk})) == {
        "Lungemedicin OUH",
        "BUP Odense",
    }
    assert names(client.get(url, {"status": "active"})) == {"Lungemedicin OUH"}
    assert names(client.get(url, {"q": "bup"})) == {"BUP Odense"}


def test_list_is_paginated(client, cast) -> None:
    for n in range(30):
        TeamFactory(programme=cast.kol, region=cast.regions["rm"], name=f"Ekstra {n:02}")
    client = login(client, cast.steering)

    first = client.get(reverse("teams:list"))
    second = client.get(reverse("teams:list"), {"page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 8
    assert "Side 2 af 2" in second.text


def test_list_queries_do_not_grow_with_teams(client, cast, django_assert_num_queries) -> None:
    login(client, cast.coordinator)
    small = count_queries(client, reverse("teams:list"))

    for n in range(10):
        team = TeamFactory(programme=cast.adhd, region=cast.regions["rm"], name=f"Team {n}")
        team.organisations.add(OrganisationFactory(region=cast.regions["rm"]))
        TeamMemberFactory(team=team)
    ProgrammeLeadFactory(programme=ProgrammeFactory())

    with django_assert_num_queries(small):
        client.get(reverse("teams:list"))
