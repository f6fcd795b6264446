"""Inviting people by e-mail to a team or an expert group, and accepting the invitation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from programmes.models import ExpertMember
from teams.models import TeamMember
from tests import factories as f

INVITE = reverse("accounts:invite")
STRONG = "Blå-kaffekop-2026"
LINK = re.compile(r"https?://[^/\s]+(/brugere/invitation/([\w-]+)/)")


def invite(client, target, **fields):
    data = {"email": "Ny.Person@Example.DK", "first_name": "Ny", "last_name": "Person",
            "target": target, "role": "member", "sector": ""} | fields  # fmt: skip
    return client.post(INVITE, data)


def team(t) -> str:
    return f"team:{t.pk}"


def group(programme) -> str:
    return f"group:{programme.expert_group.pk}"


@pytest.fixture
def invited(cast, client, django_capture_on_commit_callbacks, mailoutbox):
    """A new person invited to the KOL team in Midtjylland by its coordinator: (user, path)."""
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, team(cast.kol_rm))
    client.logout()
    path = LINK.search(mailoutbox[0].body).group(1)
    mailoutbox.clear()
    return User.objects.get(email="ny.person@example.dk"), path


def test_it_invites_a_new_person_as_an_inactive_member_and_mails_the_link(
    cast, client, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, team(cast.kol_rm))
    assert response.status_code == 302
    person = User.objects.get(email="ny.person@example.dk")
    assert not person.is_active and not person.has_usable_password()
    assert TeamMember.objects.filter(user=person, team=cast.kol_rm, role="member").exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ny.person@example.dk"]
    assert mail.subject == "Invitation til LKT-portalen"
    assert "teamet Lungemedicin AUH i KOL som teammedlem" in mail.body
    token = LINK.search(mail.body).group(2)
    invitation = Invitation.objects.get(user=person)
    assert invitation.token_hash == Invitation.hash_token(token) != token
    assert invitation.invited_by == cast.coordinator
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Invitationen er sendt til ny.person@example.dk. Linket virker i 14 dage."]


def test_it_sends_the_mail_only_when_the_transaction_commits(cast, client, mailoutbox) -> None:
    client.force_login(cast.coordinator)
    invite(client, team(cast.kol_rm))
    assert User.objects.filter(email="ny.person@example.dk").exists()
    assert mailoutbox == []


def test_it_attaches_an_existing_active_user_and_sends_a_notice_instead_of_a_link(
    cast, client, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    client.force_login(cast.lead)  # the member is of Syddanmark: not the coordinator's to add
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, team(cast.kol_rm), email="MEDLEM@example.dk")
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="medlem@example.dk").count() == 1
    assert TeamMember.objects.filter(user=cast.member, team=cast.kol_rm).exists()
    assert not Invitation.objects.exists()
    assert len(mailoutbox) == 1
    assert "/brugere/invitation/" not in mailoutbox[0].body
    assert "har tilføjet dig til teamet Lungemedicin AUH i KOL" in mailoutbox[0].body
    assert "allerede en bruger og er tilføjet direkte" in str(
        list(response.wsgi_request._messages)[0]
    )


def test_a_national_lead_invites_to_the_expert_group_with_role_and_sector(
    cast, client, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    client.force_login(cast.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, group(cast.kol), role="data", sector="regional")
    assert response.status_code == 302
    member = ExpertMember.objects.get(user__email="ny.person@example.dk")
    assert (member.group.programme, member.role, member.sector) == (cast.kol, "data", "regional")
    assert "ekspertgruppen for KOL som dataekspert" in mailoutbox[0].body


def test_it_refuses_a_coordinator_inviting_into_another_regions_team(
    cast, client, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, team(cast.kol_rsd))
    assert response.status_code == 403
    assert not User.objects.filter(email="ny.person@example.dk").exists()
    assert mailoutbox == []


def test_it_refuses_a_lead_inviting_into_another_programmes_expert_group(cast, client) -> None:
    f.ExpertGroupFactory(programme=cast.adhd)
    client.force_login(cast.lead)
    response = invite(client, group(cast.adhd), role="clinical", sector="regional")
    assert response.status_code == 403
    assert not User.objects.filter(email="ny.person@example.dk").exists()


def test_it_refuses_a_coordinator_inviting_into_an_expert_group(cast, client) -> None:
    client.force_login(cast.coordinator)
    response = invite(client, group(cast.kol), role="clinical", sector="regional")
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["steering", "expert", "local_lead", "member", "nobody"])
def test_it_refuses_the_invite_page_to_people_who_may_not_invite(cast, client, person) -> None:
    client.force_login(getattr(cast, person))
    assert client.get(INVITE).status_code == 403
    assert invite(client, team(cast.kol_rm)).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client) -> None:
    response = client.get(INVITE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_invite_page_offers_only_what_the_user_manages(cast, client) -> None:
    client.force_login(cast.coordinator)
    response = client.get(INVITE, {"target": team(cast.kol_rm)})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<option value="{team(cast.kol_rm)}" selected>' in content
    assert team(cast.kol_rsd) not in content and team(cast.adhd_rsd) not in content
    assert "group:" not in content


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "clinical"}, "Vælg en af rollerne for et forbedringsteam."),
        ({"target": "team:999999"}, "Vælg et team eller en ekspertgruppe på listen."),
        ({"target": "hacker"}, "Vælg et team eller en ekspertgruppe på listen."),
        ({"email": "ikke-en-adresse"}, "Indtast en gyldig e-mail-adresse."),
        ({"first_name": ""}, "Dette felt er påkrævet."),
    ],
)
def test_it_shows_a_danish_error_and_writes_nothing_on_bad_input(
    cast, client, fields, message
) -> None:
    client.force_login(cast.coordinator)
    response = invite(client, **({"target": team(cast.kol_rm)} | fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email="ny.person@example.dk").exists()


def test_it_requires_a_sector_and_an_expert_role_for_an_expert_group(cast, client) -> None:
    client.force_login(cast.lead)
    response = invite(client, group(cast.kol), role="member", sector="")
    assert response.status_code == 200
    assert "Vælg en af rollerne for en ekspertgruppe." in response.content.decode()
    assert "Vælg personens sektor i ekspertgruppen." in response.content.decode()


def test_it_refuses_a_second_chair(cast, client) -> None:
    f.ExpertMemberFactory(group=cast.kol.expert_group, role="chair")
    client.force_login(cast.lead)
    response = invite(client, group(cast.kol), role="chair", sector="regional")
    assert response.status_code == 200
    assert "Ekspertgruppen har allerede en formand." in response.content.decode()
    assert not User.objects.filter(email="ny.person@example.dk").exists()


def test_it_refuses_someone_already_on_the_team(cast, client, mailoutbox) -> None:
    client.force_login(cast.coordinator)
    response = invite(client, team(cast.kol_rm), email="lokal@example.dk")
    assert response.status_code == 200
    assert "er allerede med i teamet Lungemedicin AUH." in response.content.decode()
    assert TeamMember.objects.filter(user=cast.local_lead).count() == 1


def test_it_refuses_a_deactivated_person_until_they_are_reactivated(cast, client) -> None:
    User.objects.filter(pk=cast.member.pk).update(is_active=False)
    client.force_login(cast.coordinator)
    response = invite(client, team(cast.kol_rm), email="medlem@example.dk")
    assert response.status_code == 200
    assert "er deaktiveret i portalen" in response.content.decode()
    assert not TeamMember.objects.filter(user=cast.member, team=cast.kol_rm).exists()


def test_the_accept_page_says_who_invited_whom_to_what(cast, client, invited) -> None:
    person, path = invited
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert str(cast.coordinator.get_full_name()) in content
    assert "teamet Lungemedicin AUH i KOL som teammedlem" in content
    assert "ny.person@example.dk" in content


def test_accepting_activates_logs_in_and_welcomes(client, invited) -> None:
    person, path = invited
    response = client.post(path, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.context["user"] == person
    assert "Velkommen til LKT-portalen, Ny!" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.check_password(STRONG)
    assert Invitation.objects.get(user=person).used_at is not None
    client.logout()
    assert client.login(username="ny.person@example.dk", password=STRONG)


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        (
            "12345678",
            ["Denne adgangskode er for kort", "Denne adgangskode er udelukkende numerisk"],
        ),
        ("password1234", ["Denne adgangskode er for almindelig."]),
    ],
)
def test_it_refuses_a_weak_password_in_danish_and_changes_nothing(
    client, invited, password, messages
) -> None:
    person, path = invited
    response = client.post(path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    for message in messages:
        assert message in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()
    assert Invitation.objects.get(user=person).used_at is None


def test_it_refuses_two_different_passwords(client, invited) -> None:
    person, path = invited
    response = client.post(path, {"new_password1": STRONG, "new_password2": STRONG + "x"})
    assert "De to adgangskoder var ikke identiske." in response.content.decode()


def test_an_expired_invitation_shows_a_friendly_page(client, invited) -> None:
    person, path = invited
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    for response in (
        client.get(path),
        client.post(path, {"new_password1": STRONG, "new_password2": STRONG}),
    ):
        assert response.status_code == 410
        assert "Invitationen er udløbet" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active


def test_a_used_invitation_shows_a_friendly_page(client, invited) -> None:
    person, path = invited
    client.post(path, {"new_password1": STRONG, "new_password2": STRONG})
    client.logout()
    response = client.post(path, {"new_password1": "Andet-kodeord-99", "new_password2": "x"})
    assert response.status_code == 410
    assert "Invitationen er allerede brugt" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(STRONG)


def test_an_unknown_token_shows_a_friendly_page(db, client) -> None:
    response = client.get(reverse("accounts:accept_invitation", args=["ikke-et-rigtigt-token"]))
    assert response.status_code == 404
    assert "Linket er ikke gyldigt" in response.content.decode()


def test_a_second_invitation_leaves_the_first_link_working_until_one_is_used(
    cast, client, invited, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    person, first = invited
    f.ExpertGroupFactory(programme=cast.adhd)
    client.force_login(cast.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, group(cast.adhd), role="patient", sector="citizen")
    client.logout()
    second = LINK.search(mailoutbox[0].body).group(1)
    assert User.objects.filter(email="ny.person@example.dk").count() == 1
    assert client.get(first).status_code == 200
    client.post(second, {"new_password1": STRONG, "new_password2": STRONG})
    client.logout()
    assert client.get(first).status_code == 410


def test_resending_mails_a_new_link(cast, client, invited, django_capture_on_commit_callbacks,
                                    mailoutbox) -> None:  # fmt: skip
    person, _path = invited
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_invitation", args=[person.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "teamet Lungemedicin AUH i KOL som teammedlem" in mailoutbox[0].body
    client.logout()
    assert client.get(LINK.search(mailoutbox[0].body).group(1)).status_code == 200


def test_it_refuses_to_resend_to_someone_with_a_password(cast, client, mailoutbox) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("accounts:resend_invitation", args=[cast.local_lead.pk]), follow=True
    )
    assert "har allerede en adgangskode" in response.content.decode()
    assert not Invitation.objects.exists()


def test_withdrawing_an_invitation_makes_the_link_stop_working(cast, client, invited) -> None:
    person, path = invited
    client.force_login(cast.coordinator)
    assert client.post(reverse("accounts:deactivate", args=[person.pk])).status_code == 302
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "Invitationen er udløbet" in response.content.decode()


# --- Rough edges coordinators hit (issue 17) ----------------------------------------------------


def test_the_invitation_records_the_persons_organisation_in_the_team(cast, client) -> None:
    auh = f.OrganisationFactory(region=cast.regions["rm"], kind="hospital", name="AUH")
    cast.kol_rm.organisations.add(auh)
    client.force_login(cast.coordinator)

    response = invite(client, team(cast.kol_rm), organisation=auh.pk)

    assert response.status_code == 302
    member = TeamMember.objects.get(user__email="ny.person@example.dk")
    assert member.organisation == auh


def test_it_refuses_an_organisation_outside_the_team_and_writes_nothing(cast, client) -> None:
    auh = f.OrganisationFactory(region=cast.regions["rm"], kind="hospital", name="AUH")
    randers = f.OrganisationFactory(region=cast.regions["rm"], kind="hospital", name="Randers")
    cast.kol_rm.organisations.add(auh)
    f.TeamFactory(programme=cast.kol, region=cast.regions["rm"]).organisations.add(randers)
    client.force_login(cast.coordinator)

    response = invite(client, team(cast.kol_rm), organisation=randers.pk)

    assert response.status_code == 200
    assert "Randers er ikke med i teamet Lungemedicin AUH" in response.content.decode()
    assert not User.objects.filter(email="ny.person@example.dk").exists()


def test_the_invitation_form_offers_no_region_as_organisation(cast, client) -> None:
    region = f.OrganisationFactory(
        region=cast.regions["rm"], kind="region", name="Region Midtjylland"
    )
    cast.kol_rm.organisations.add(region)
    client.force_login(cast.coordinator)
    page = client.get(INVITE).content.decode()
    assert 'name="organisation"' in page
    assert f'value="{region.pk}"' not in page


def test_an_invited_person_shows_as_pending_on_the_team_until_they_accept(
    cast, client, invited
) -> None:
    person, path = invited
    client.force_login(cast.coordinator)
    page = client.get(reverse("teams:detail", args=[cast.kol_rm.pk])).content.decode()
    assert 'Ny Person <span class="badge text-bg-warning">Inviteret (afventer)</span>' in page
    assert page.count("Inviteret (afventer)") == 1  # the cast's active members are not

    client.logout()
    client.post(path, {"new_password1": STRONG, "new_password2": STRONG})
    client.force_login(cast.coordinator)
    page = client.get(reverse("teams:detail", args=[cast.kol_rm.pk])).content.decode()
    assert "Inviteret (afventer)" not in page


def test_a_person_invited_as_local_lead_sees_that_role_on_their_home_page(
    cast, client, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, team(cast.kol_rm), role="local_lead")
    client.logout()
    path = LINK.search(mailoutbox[0].body).group(1)

    response = client.post(path, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)

    assert TeamMember.objects.get(user__email="ny.person@example.dk").role == "local_lead"
    page = response.content.decode()
    assert "Lokal projektleder" in page
    assert "Teammedlem" not in page


def test_password_rules_show_under_the_password_not_its_repetition(client, invited) -> None:
    person, path = invited
    response = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    form = response.context["form"]
    assert "Denne adgangskode er for kort" in " ".join(form.errors["new_password1"])
    assert "new_password2" not in form.errors


def test_a_mismatch_shows_under_the_repetition_only(client, invited) -> None:
    person, path = invited
    response = client.post(path, {"new_password1": "12345678", "new_password2": "1234567x"})
    form = response.context["form"]
    assert list(form.errors) == ["new_password2"]
