"""Seminar pages: the role ladder, the Danish errors, registration and the calendar."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import TeamMember
from tests import factories as f

pytestmark = pytest.mark.django_db


def _seminar(programme, *, days: int = 30, invite=(), **fields) -> Seminar:
    starts = timezone.now() + dt.timedelta(days=days)
    seminar = f.SeminarFactory(
        programme=programme, starts_at=starts, ends_at=starts + dt.timedelta(hours=7), **fields
    )
    for team in invite:
        SeminarInvitation.objects.create(seminar=seminar, team=team)
    return seminar


@pytest.fixture
def seminar(cast) -> Seminar:
    """A KOL learning seminar in a month, both KOL teams invited."""
    return _seminar(cast.kol, invite=[cast.kol_rm, cast.kol_rsd], title="Læringsseminar 2")


def _form(**overrides) -> dict:
    data = {
        "kind": "learning",
        "number": "3",
        "title": "",
        "date": "2031-01-14",
        "start_time": "09:30",
        "end_date": "",
        "end_time": "16:00",
        "place": "Comwell Kolding",
        "address": "Skovbrynet 1, 6000 Kolding",
        "agenda": "09.30 Velkomst\n10.00 Teamenes resultater",
    }
    return data | overrides


def _url(name: str, *args) -> str:
    return reverse(f"seminars:{name}", args=args)


def _register(client, seminar, member: TeamMember):
    return client.post(_url("register", seminar.pk), {"register-member": member.pk})


def _membership(user, team) -> TeamMember:
    return TeamMember.objects.get(user=user, team=team)


# The ladder ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("calendar", "get"),
        ("detail", "get"),
        ("create", "get"),
        ("edit", "get"),
        ("cancel", "post"),
        ("invite", "post"),
        ("register", "post"),
    ],
)
def test_it_sends_an_anonymous_visitor_to_login(client, cast, seminar, name, method) -> None:
    args = {"calendar": (), "create": (cast.kol.pk,)}.get(name, (seminar.pk,))
    response = getattr(client, method)(_url(name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_404_for_a_seminar_that_does_not_exist(client, cast) -> None:
    client.force_login(cast.lead)
    assert client.get(_url("detail", 999_999)).status_code == 404


def test_the_steering_group_reads_the_seminar_and_its_participants(client, cast, seminar) -> None:
    Registration.objects.create(seminar=seminar, user=cast.member, team=cast.kol_rsd)
    client.force_login(cast.steering)
    response = client.get(_url("detail", seminar.pk))
    assert response.status_code == 200
    assert str(cast.member) in response.content.decode()
    assert "Aflys seminaret" not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [("create", "get"), ("create", "post"), ("edit", "get"), ("edit", "post"),
     ("cancel", "post"), ("invite", "post"), ("register", "post")],
)  # fmt: skip
def test_the_steering_group_cannot_plan_or_change(client, cast, seminar, name, method) -> None:
    client.force_login(cast.steering)
    args = (cast.kol.pk,) if name == "create" else (seminar.pk,)
    response = getattr(client, method)(_url(name, *args), _form() if method == "post" else None)
    assert response.status_code == 403


def test_a_lead_of_another_programme_cannot_plan_here(client, cast) -> None:
    client.force_login(cast.lead)
    assert client.get(_url("create", cast.adhd.pk)).status_code == 403


def test_the_national_lead_plans_a_seminar_in_danish_time(client, cast) -> None:
    client.force_login(cast.lead)
    assert client.get(_url("create", cast.kol.pk)).status_code == 200
    response = client.post(_url("create", cast.kol.pk), _form())
    seminar = Seminar.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", seminar.pk)
    assert seminar.programme == cast.kol
    assert seminar.starts_at == dt.datetime(2031, 1, 14, 8, 30, tzinfo=dt.UTC)  # 09.30 CET
    assert seminar.ends_at == dt.datetime(2031, 1, 14, 15, 0, tzinfo=dt.UTC)


def test_a_two_day_seminar_ends_on_its_end_date(client, cast) -> None:
    client.force_login(cast.lead)
    client.post(_url("create", cast.kol.pk), _form(end_date="2031-01-15", end_time="12:00"))
    assert Seminar.objects.get().ends_at == dt.datetime(2031, 1, 15, 11, 0, tzinfo=dt.UTC)


def test_the_national_lead_edits_a_seminar(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    page = client.get(_url("edit", seminar.pk))
    assert page.status_code == 200
    assert 'value="Comwell Kolding"' in page.content.decode()
    response = client.post(_url("edit", seminar.pk), _form(place="Hotel Nyborg Strand"))
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.place == "Hotel Nyborg Strand"
    assert seminar.number == 3


def test_the_national_lead_cancels_a_seminar_with_a_reason(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    response = client.post(_url("cancel", seminar.pk), {"cancel-reason": "For få tilmeldte"})
    assert response.status_code == 302
    page = client.get(_url("detail", seminar.pk)).content.decode()
    assert re.search(r'<span class="badge text-bg-danger[^"]*">Aflyst</span>', page)
    assert "For få tilmeldte" in page


def test_the_national_lead_invites_teams(client, cast) -> None:
    seminar = _seminar(cast.kol)
    client.force_login(cast.lead)
    response = client.post(_url("invite", seminar.pk), {"invite-teams": [cast.kol_rm.pk]})
    assert response.status_code == 302
    assert list(seminar.invited_teams.all()) == [cast.kol_rm]


def test_a_get_on_a_mutation_is_refused(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    assert client.get(_url("cancel", seminar.pk)).status_code == 405


# Bad input: a Danish message on the page, nothing written -------------------------------------


def test_it_refuses_a_seminar_that_ends_before_it_begins(client, cast) -> None:
    client.force_login(cast.lead)
    response = client.post(_url("create", cast.kol.pk), _form(end_time="08:00"))
    assert response.status_code == 200
    assert "Seminaret skal slutte, efter at det begynder" in response.content.decode()
    assert not Seminar.objects.exists()


def test_it_refuses_a_duplicate_number_with_a_form_error(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    response = client.post(_url("create", cast.kol.pk), _form(number=str(seminar.number)))
    assert response.status_code == 200
    assert "Programmet har allerede et seminar af typen" in response.content.decode()
    assert Seminar.objects.count() == 1


def test_it_refuses_to_cancel_without_a_reason(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    response = client.post(_url("cancel", seminar.pk), {"cancel-reason": ""})
    assert response.status_code == 200
    assert "Skriv en årsag til aflysningen." in response.content.decode()
    assert not Seminar.objects.get(pk=seminar.pk).is_cancelled


def test_it_refuses_to_cancel_twice(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    client.post(_url("cancel", seminar.pk), {"cancel-reason": "Sygdom"})
    response = client.post(_url("cancel", seminar.pk), {"cancel-reason": "Igen"})
    assert response.status_code == 200
    assert "Seminaret er allerede aflyst." in response.content.decode()
    assert Seminar.objects.get(pk=seminar.pk).cancel_reason == "Sygdom"


def test_it_refuses_to_edit_a_cancelled_seminar(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    client.post(_url("cancel", seminar.pk), {"cancel-reason": "Sygdom"})
    response = client.post(_url("edit", seminar.pk), _form(place="Et andet sted"), follow=True)
    assert "Et aflyst seminar kan ikke redigeres." in response.content.decode()
    assert Seminar.objects.get(pk=seminar.pk).place == "Comwell Kolding"


def test_it_refuses_to_invite_a_team_of_another_programme(client, cast) -> None:
    seminar = _seminar(cast.kol)
    client.force_login(cast.administrator)
    response = client.post(_url("invite", seminar.pk), {"invite-teams": [cast.adhd_rsd.pk]})
    assert response.status_code == 200
    assert (
        "Kun teams fra programmet KOL kan inviteres, ikke: BUP Odense." in response.content.decode()
    )
    assert not seminar.invitations.exists()


# Registrations ---------------------------------------------------------------------------------


def test_a_coordinator_registers_a_member_of_a_team_in_their_region(client, cast, seminar) -> None:
    client.force_login(cast.coordinator)
    page = client.get(_url("detail", seminar.pk)).content.decode()
    assert "Tilmeld en deltager" in page
    response = _register(client, seminar, _membership(cast.local_lead, cast.kol_rm))
    assert response.status_code == 302
    assert Registration.objects.get().user == cast.local_lead


def test_a_coordinator_cannot_register_a_member_of_another_regions_team(
    client, cast, seminar
) -> None:
    client.force_login(cast.coordinator)
    response = _register(client, seminar, _membership(cast.member, cast.kol_rsd))
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_the_register_form_offers_only_the_teams_the_user_administers(
    client, cast, seminar
) -> None:
    client.force_login(cast.coordinator)
    form = client.get(_url("detail", seminar.pk)).context["register_form"]
    offered = {group for group, _ in form.fields["member"].choices if group}
    assert offered == {"Lungemedicin AUH"}


def test_an_outsider_sees_the_seminar_but_not_the_participants(client, cast, seminar) -> None:
    Registration.objects.create(seminar=seminar, user=cast.member, team=cast.kol_rsd)
    client.force_login(cast.outsider)
    response = client.get(_url("detail", seminar.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Comwell Kolding" in page
    assert str(cast.member) not in page
    assert "Lungemedicin OUH" not in page
    assert "Deltagerlisten er kun synlig" in page
    assert _register(client, seminar, _membership(cast.member, cast.kol_rsd)).status_code == 403


def test_it_refuses_to_register_a_person_twice(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    member = _membership(cast.member, cast.kol_rsd)
    _register(client, seminar, member)
    response = _register(client, seminar, member)
    assert response.status_code == 200
    assert "er allerede tilmeldt seminaret" in response.content.decode()
    assert Registration.objects.count() == 1


def test_it_refuses_to_register_for_a_cancelled_seminar(client, cast, seminar) -> None:
    client.force_login(cast.lead)
    client.post(_url("cancel", seminar.pk), {"cancel-reason": "Sygdom"})
    response = _register(client, seminar, _membership(cast.member, cast.kol_rsd))
    assert response.status_code == 200
    assert "Seminaret er aflyst; tilmeldinger kan ikke ændres." in response.content.decode()
    assert not Registration.objects.exists()


def test_it_refuses_to_register_for_a_past_seminar(client, cast) -> None:
    seminar = _seminar(cast.kol, days=-10, invite=[cast.kol_rsd])
    client.force_login(cast.lead)
    response = _register(client, seminar, _membership(cast.member, cast.kol_rsd))
    assert response.status_code == 200
    assert "allerede afholdt eller begyndt" in response.content.decode()


def test_a_team_member_registers_and_unregisters_themselves(client, cast, seminar) -> None:
    client.force_login(cast.member)
    page = client.get(_url("detail", seminar.pk)).content.decode()
    assert "Tilmeld mig" in page
    assert "Tilmeld en deltager" not in page  # they may register only themselves
    assert _register(client, seminar, _membership(cast.member, cast.kol_rsd)).status_code == 302
    registration = Registration.objects.get(user=cast.member)
    assert (
        "Du er tilmeldt for Lungemedicin OUH."
        in client.get(_url("detail", seminar.pk)).content.decode()
    )

    response = client.post(_url("unregister", seminar.pk, registration.pk))
    assert response.status_code == 302
    assert Registration.objects.get().cancelled_at is not None
    assert _register(client, seminar, _membership(cast.member, cast.kol_rsd)).status_code == 302
    assert Registration.objects.get().cancelled_at is None


def test_a_team_member_cannot_register_a_colleague(client, cast, seminar) -> None:
    colleague = f.TeamMemberFactory(team=cast.kol_rsd)
    client.force_login(cast.member)
    assert _register(client, seminar, colleague).status_code == 403


def test_a_team_member_cannot_unregister_someone_else(client, cast, seminar) -> None:
    registration = Registration.objects.create(
        seminar=seminar, user=cast.local_lead, team=cast.kol_rm
    )
    client.force_login(cast.member)
    assert client.post(_url("unregister", seminar.pk, registration.pk)).status_code == 403
    assert Registration.objects.get().cancelled_at is None


def test_a_member_of_a_team_that_is_not_invited_cannot_register(client, cast) -> None:
    seminar = _seminar(cast.kol, invite=[cast.kol_rm])
    client.force_login(cast.member)
    assert "Tilmeld mig" not in client.get(_url("detail", seminar.pk)).content.decode()
    assert _register(client, seminar, _membership(cast.member, cast.kol_rsd)).status_code == 403


# The calendar ----------------------------------------------------------------------------------


def test_the_calendar_lists_upcoming_seminars_of_every_programme_in_time_order(
    client, cast
) -> None:
    later = _seminar(cast.kol, days=60, title="KOL senere")
    sooner = _seminar(cast.adhd, days=10, title="ADHD først")
    _seminar(cast.kol, days=-30, title="KOL afholdt")
    client.force_login(cast.nobody)
    response = client.get(_url("calendar"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [sooner, later]
    assert "KOL afholdt" not in response.content.decode()


def test_the_calendar_keeps_cancelled_seminars_marked_as_cancelled(client, cast) -> None:
    cancelled = _seminar(
        cast.kol, title="Aflyst seminar", cancelled_at=timezone.now(), cancel_reason="Sygdom"
    )
    client.force_login(cast.member)
    response = client.get(_url("calendar"))
    assert list(response.context["object_list"]) == [cancelled]
    assert '<span class="badge text-bg-danger">Aflyst</span>' in response.content.decode()


def test_the_calendar_shows_past_seminars_latest_first(client, cast) -> None:
    older = _seminar(cast.kol, days=-60)
    newer = _seminar(cast.adhd, days=-5)
    _seminar(cast.kol, days=5)
    client.force_login(cast.member)
    response = client.get(_url("calendar"), {"when": "tidligere"})
    assert list(response.context["object_list"]) == [newer, older]


def test_the_calendar_filters_by_programme_and_kind(client, cast) -> None:
    wanted = _seminar(cast.kol, kind=Seminar.Kind.KICKOFF)
    _seminar(cast.kol, kind=Seminar.Kind.LEARNING)
    _seminar(cast.adhd, kind=Seminar.Kind.KICKOFF)
    client.force_login(cast.member)
    response = client.get(_url("calendar"), {"programme": cast.kol.pk, "kind": "kickoff"})
    assert list(response.context["object_list"]) == [wanted]


@pytest.mark.clock
def test_the_calendar_groups_seminars_by_month(client, cast, clock) -> None:
    _seminar(cast.kol, days=40)
    client.force_login(cast.member)
    page = client.get(_url("calendar")).content.decode()
    month = timezone.localtime(clock.now() + dt.timedelta(days=40))
    assert f"{month.year}</h2>" in page


def test_the_calendar_marks_seminars_the_user_is_registered_for(client, cast, seminar) -> None:
    Registration.objects.create(seminar=seminar, user=cast.member, team=cast.kol_rsd)
    client.force_login(cast.member)
    assert "Du er tilmeldt" in client.get(_url("calendar")).content.decode()


def test_the_calendar_ignores_a_filter_value_it_does_not_know(client, cast, seminar) -> None:
    client.force_login(cast.member)
    response = client.get(_url("calendar"), {"programme": "nonsense", "kind": "party"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [seminar]


# Query counts: the pages must not grow a query per seminar, team or registration ---------------


def _count_queries(client, url: str) -> int:
    """Queries of a request after a first one: the person's roles come from the cache by then,
    as on every request but the first after a change of them."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_seminars(cast, n: int) -> None:
    for i in range(n):
        seminar = _seminar(cast.kol if i % 2 else cast.adhd, days=5 + i)
        Registration.objects.create(
            seminar=seminar, user=f.UserFactory(), cancelled_at=None, team=None
        )


def test_the_calendar_query_count_does_not_grow_with_more_seminars(
    client, cast, django_assert_max_num_queries
) -> None:
    client.force_login(cast.member)
    _more_seminars(cast, 2)
    few = _count_queries(client, _url("calendar"))
    _more_seminars(cast, 10)
    assert _count_queries(client, _url("calendar")) == few
    with django_assert_max_num_queries(12):
        client.get(_url("calendar"))


def _more_participants(seminar, teams, n: int) -> None:
    for i in range(n):
        member = f.TeamMemberFactory(team=teams[i % len(teams)])
        Registration.objects.create(seminar=seminar, user=member.user, team=member.team)


@pytest.mark.parametrize("person", ["lead", "coordinator", "member", "outsider"])
def test_the_detail_query_count_does_not_grow_with_more_registrations(
    client, cast, person, django_assert_max_num_queries
) -> None:
    seminar = _seminar(cast.kol, invite=[cast.kol_rm, cast.kol_rsd])
    client.force_login(getattr(cast, person))
    _more_participants(seminar, [cast.kol_rm, cast.kol_rsd], 2)
    few = _count_queries(client, _url("detail", seminar.pk))
    for i in range(3):
        team = f.TeamFactory(programme=cast.kol, region=cast.regions["rsd"], name=f"Ekstra {i}")
        SeminarInvitation.objects.create(seminar=seminar, team=team)
    _more_participants(seminar, [cast.kol_rm, cast.kol_rsd], 12)
    assert _count_queries(client, _url("detail", seminar.pk)) == few
    with django_assert_max_num_queries(20):
        client.get(_url("detail", seminar.pk))
