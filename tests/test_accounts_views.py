"""The user list, (de)activation, the profile page and the password pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation, User
from tests import factories as f

LIST = reverse("accounts:list")
PROFILE = reverse("accounts:profile")
STRONG = "Grøn-tekande-2026"


def deactivate(client, person):
    return client.post(reverse("accounts:deactivate", args=[person.pk]))


def reactivate(client, person):
    return client.post(reverse("accounts:reactivate", args=[person.pk]))


def listed(response) -> set[str]:
    return {person.email for person in response.context["object_list"]}


def never_accepted(**fields) -> User:
    """An inactive person who never set a password (an invitee)."""
    person = f.UserFactory(is_active=False, **fields)
    person.set_unusable_password()
    person.save()
    return person


def queries_for(client, url: str, **params) -> int:
    """The queries of one page view, after a first view has settled the session."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


# The user list ---------------------------------------------------------------------------------


def test_the_user_list_sends_an_anonymous_visitor_to_the_login_page(db, client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("person", ["steering", "expert", "local_lead", "member", "nobody"])
def test_the_user_list_is_refused_to_people_who_may_not_invite(cast, client, person) -> None:
    client.force_login(getattr(cast, person))
    assert client.get(LIST).status_code == 403


def test_an_administrator_sees_everyone(cast, client) -> None:
    client.force_login(cast.administrator)
    response = client.get(LIST)
    assert response.status_code == 200
    assert listed(response) == set(User.objects.values_list("email", flat=True))


def test_a_coordinator_sees_their_regions_teams_and_their_pending_invitations(cast, client) -> None:
    pending = never_accepted(email="afventer@example.dk")
    Invitation.objects.create(
        user=pending, invited_by=cast.coordinator, invited_to="x", token_hash="a" * 64,
        expires_at="2099-01-01T00:00Z",
    )  # fmt: skip
    client.force_login(cast.coordinator)
    response = client.get(LIST)
    assert response.status_code == 200
    assert listed(response) == {"lokal@example.dk", "afventer@example.dk"}
    assert "Inviteret" in response.content.decode()


def test_a_national_lead_sees_the_people_of_their_programme(cast, client) -> None:
    client.force_login(cast.lead)
    response = client.get(LIST)
    assert listed(response) == {
        "lead@example.dk", "ekspert@example.dk", "lokal@example.dk", "medlem@example.dk"
    }  # fmt: skip
    assert "Deaktivér" not in response.content.decode()  # a lead may not deactivate


def test_it_searches_by_every_word_of_name_and_email(cast, client) -> None:
    f.UserFactory(first_name="Karen", last_name="Blixen", email="kb@example.dk")
    f.UserFactory(first_name="Karen", last_name="Jensen", email="kj@example.dk")
    client.force_login(cast.administrator)
    assert listed(client.get(LIST, {"q": "karen blix"})) == {"kb@example.dk"}
    assert listed(client.get(LIST, {"q": "KJ@EXAMPLE"})) == {"kj@example.dk"}


def test_it_filters_by_status(cast, client) -> None:
    User.objects.filter(pk=cast.member.pk).update(is_active=False)
    never_accepted(email="aldrig@example.dk")
    client.force_login(cast.administrator)
    assert listed(client.get(LIST, {"status": "deaktiveret"})) == {"medlem@example.dk"}
    assert listed(client.get(LIST, {"status": "udloebet"})) == {"aldrig@example.dk"}
    assert "ingen@example.dk" in listed(client.get(LIST, {"status": "aktiv"}))


def test_the_user_list_is_paginated(cast, client) -> None:
    f.UserFactory.create_batch(30)
    client.force_login(cast.administrator)
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == User.objects.count() - 25
    assert "Side 2 af 2" in second.content.decode()


@pytest.mark.parametrize("viewer", ["administrator", "coordinator", "lead"])
def test_the_user_list_query_count_does_not_grow_with_the_users(cast, client, viewer) -> None:
    """Guards against one query per row for memberships, invitations and the deactivation rule."""

    def add_people(n: int) -> None:
        for _ in range(n):
            member = f.TeamMemberFactory(team=cast.kol_rm)
            f.ExpertMemberFactory(group=cast.kol.expert_group, user=member.user)
            f.TeamMemberFactory(team=cast.kol_rsd, user=member.user)
            f.TeamMemberFactory(team=cast.kol_rm, user=never_accepted())

    client.force_login(getattr(cast, viewer))
    add_people(2)
    few = queries_for(client, LIST)
    add_people(8)
    assert queries_for(client, LIST) == few
    assert len(client.get(LIST).context["object_list"]) > 10


# Deactivation -----------------------------------------------------------------------------------


def test_deactivation_sends_an_anonymous_visitor_to_the_login_page(cast, client) -> None:
    response = deactivate(client, cast.local_lead)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_deactivation_needs_a_post(cast, client) -> None:
    client.force_login(cast.coordinator)
    assert client.get(reverse("accounts:deactivate", args=[cast.local_lead.pk])).status_code == 405


@pytest.mark.parametrize("person", ["steering", "expert", "member", "nobody"])
def test_it_refuses_deactivation_to_people_without_the_permission(cast, client, person) -> None:
    client.force_login(getattr(cast, person))
    assert deactivate(client, cast.local_lead).status_code == 403
    cast.local_lead.refresh_from_db()
    assert cast.local_lead.is_active


def test_a_national_lead_may_not_deactivate_and_is_told_why(cast, client) -> None:
    client.force_login(cast.lead)
    response = deactivate(client, cast.local_lead)
    assert response.status_code == 403
    assert "Kun administratorer og regionale tovholdere" in response.content.decode()


def test_a_coordinator_deactivates_a_member_of_their_regions_team(cast, client) -> None:
    client.force_login(cast.coordinator)
    response = deactivate(client, cast.local_lead)
    assert response.status_code == 302
    cast.local_lead.refresh_from_db()
    assert not cast.local_lead.is_active
    client.logout()
    assert not client.login(username="lokal@example.dk", password="test-password-123")


def test_a_coordinator_cannot_see_people_outside_their_region(cast, client) -> None:
    client.force_login(cast.coordinator)
    assert deactivate(client, cast.member).status_code == 404


def test_it_refuses_a_coordinator_when_the_person_has_a_team_in_another_region(
    cast, client
) -> None:
    f.TeamMemberFactory(team=cast.kol_rsd, user=cast.local_lead)
    client.force_login(cast.coordinator)
    response = deactivate(client, cast.local_lead)
    assert response.status_code == 403
    assert "også med i teams uden for din region (Lungemedicin OUH)" in response.content.decode()
    cast.local_lead.refresh_from_db()
    assert cast.local_lead.is_active


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("expert", "er medlem af en ekspertgruppe"),
        ("lead", "er national projektleder"),
        ("steering", "er medlem af styregruppen"),
        ("administrator", "er administrator"),
    ],
)
def test_it_refuses_a_coordinator_when_the_person_holds_another_role(
    cast, client, role, reason
) -> None:
    person = getattr(cast, role)
    f.TeamMemberFactory(team=cast.kol_rm, user=person)
    client.force_login(cast.coordinator)
    response = deactivate(client, person)
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert "Kun en administrator kan ændre det." in response.content.decode()


def test_nobody_can_deactivate_themselves(cast, client) -> None:
    client.force_login(cast.administrator)
    response = deactivate(client, cast.administrator)
    assert response.status_code == 403
    assert "Du kan ikke deaktivere dig selv." in response.content.decode()


def test_an_administrator_deactivates_and_reactivates_anyone(cast, client) -> None:
    client.force_login(cast.administrator)
    assert deactivate(client, cast.lead).status_code == 302
    cast.lead.refresh_from_db()
    assert not cast.lead.is_active
    response = client.get(LIST, {"q": "lead@"})
    assert "Genaktivér" in response.content.decode()
    assert reactivate(client, cast.lead).status_code == 302
    cast.lead.refresh_from_db()
    assert cast.lead.is_active


def test_a_coordinator_reactivates_a_member_of_their_regions_team(cast, client) -> None:
    User.objects.filter(pk=cast.local_lead.pk).update(is_active=False)
    client.force_login(cast.coordinator)
    assert reactivate(client, cast.local_lead).status_code == 302
    client.logout()
    assert client.login(username="lokal@example.dk", password="test-password-123")


def test_it_refuses_to_reactivate_someone_who_never_set_a_password(cast, client) -> None:
    person = never_accepted()
    client.force_login(cast.administrator)
    response = client.post(reverse("accounts:reactivate", args=[person.pk]), follow=True)
    assert "har aldrig oprettet en adgangskode" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active


def test_the_list_explains_why_a_coordinator_may_not_deactivate_someone(cast, client) -> None:
    f.TeamMemberFactory(team=cast.kol_rm, user=cast.expert)
    client.force_login(cast.coordinator)
    content = client.get(LIST).content.decode()
    assert "er medlem af en ekspertgruppe. Kun en administrator kan ændre det." in content
    assert reverse("accounts:deactivate", args=[cast.local_lead.pk]) in content
    assert reverse("accounts:deactivate", args=[cast.expert.pk]) not in content


# The profile ------------------------------------------------------------------------------------


def test_the_profile_sends_an_anonymous_visitor_to_the_login_page(db, client) -> None:
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("person", ["administrator", "steering", "lead", "coordinator", "expert",
                                    "local_lead", "member", "outsider", "nobody"])  # fmt: skip
def test_every_signed_in_person_has_a_profile(cast, client, person) -> None:
    client.force_login(getattr(cast, person))
    assert client.get(PROFILE).status_code == 200


def test_the_profile_shows_the_persons_roles(cast, client) -> None:
    client.force_login(cast.local_lead)
    f.ProgrammeLeadFactory(programme=cast.adhd, user=cast.local_lead)
    few = queries_for(client, PROFILE)
    f.ProgrammeLeadFactory(programme=cast.kol, user=cast.local_lead)
    f.RegionalCoordinatorFactory(region=cast.regions["rsd"], user=cast.local_lead)
    f.ExpertMemberFactory(group=cast.kol.expert_group, user=cast.local_lead, role="peer")
    f.TeamMemberFactory(team=cast.kol_rsd, user=cast.local_lead)
    f.TeamMemberFactory(team=cast.adhd_rsd, user=cast.local_lead)
    assert queries_for(client, PROFILE) == few
    content = client.get(PROFILE).content.decode()
    assert "National projektleder for" in content and "ADHD" in content
    assert "Regional tovholder for" in content and "Region Syddanmark" in content
    assert "Lungemedicin AUH" in content and "lokal projektleder" in content
    assert "Lungemedicin OUH" in content and "BUP Odense" in content
    assert "peer-ekspert" in content
    assert reverse("accounts:password_change") in content


def test_a_person_edits_their_name_phone_and_workplace_but_not_their_email(cast, client) -> None:
    client.force_login(cast.member)
    response = client.post(PROFILE, {
        "first_name": "Mette", "last_name": "Holm", "phone": "+45 12 34 56 78",
        "organisation_text": "Lungemedicinsk afd., OUH", "email": "ny@example.dk",
    })  # fmt: skip
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert (cast.member.get_full_name(), cast.member.phone) == ("Mette Holm", "+45 12 34 56 78")
    assert cast.member.organisation_text == "Lungemedicinsk afd., OUH"
    assert cast.member.email == "medlem@example.dk"


def test_it_refuses_an_overlong_phone_number_in_danish(cast, client) -> None:
    client.force_login(cast.member)
    response = client.post(PROFILE, {"first_name": "A", "last_name": "B", "phone": "1" * 40})
    assert response.status_code == 200
    assert "Denne værdi må højst have 30 tegn (den har 40)." in response.content.decode()


# Passwords --------------------------------------------------------------------------------------


def test_the_password_change_page_needs_a_signed_in_person(db, client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_person_changes_their_password(cast, client) -> None:
    client.force_login(cast.member)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "test-password-123", "new_password1": STRONG, "new_password2": STRONG,
    }, follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change_done")
    assert "Adgangskoden er skiftet" in response.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(STRONG)


def test_a_wrong_old_password_is_refused_in_danish(cast, client) -> None:
    client.force_login(cast.member)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "forkert", "new_password1": STRONG, "new_password2": STRONG,
    })  # fmt: skip
    assert response.status_code == 200
    assert "Din gamle adgangskode blev ikke indtastet korrekt." in response.content.decode()


def test_a_forgotten_password_is_reset_by_email(cast, client, mailoutbox) -> None:
    page = client.get(reverse("accounts:password_reset"))
    assert "Glemt adgangskode?" in page.content.decode()
    response = client.post(reverse("accounts:password_reset"), {"email": "MEDLEM@example.dk"})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Ny adgangskode til LKT-portalen"
    path = re.search(r"https?://[^/\s]+(/brugere/nulstil/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert "Vælg ny adgangskode" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert done.url == reverse("accounts:password_reset_complete")
    assert client.login(username="medlem@example.dk", password=STRONG)


def test_a_reset_link_works_only_once(cast, client, mailoutbox) -> None:
    client.post(reverse("accounts:password_reset"), {"email": "medlem@example.dk"})
    path = re.search(r"(/brugere/nulstil/\S+/)", mailoutbox[0].body).group(1)
    target = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(target, {"new_password1": STRONG, "new_password2": STRONG})
    response = client.get(path, follow=True)
    assert "Linket virker ikke længere" in response.content.decode()


@pytest.mark.parametrize("email", ["ukendt@example.dk", "afventer@example.dk"])
def test_no_reset_mail_goes_to_unknown_or_never_activated_addresses(
    db, client, mailoutbox, email
) -> None:
    never_accepted(email="afventer@example.dk")
    response = client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)
    assert "Tjek din e-mail" in response.content.decode()
    assert mailoutbox == []
