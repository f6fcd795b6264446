"""Seminar services against the database: planning, cancelling, invitations and registrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from seminars.models import Registration, Seminar, SeminarInvitation
from seminars.services import (
    seminar_cancel,
    seminar_changed,
    seminar_invite_teams,
    seminar_plan,
    seminar_register,
    seminar_unregister,
    seminar_update,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _when(days: int = 30, hours: int = 7) -> dict:
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=hours)}


def _plan(programme, **fields):
    values = {"kind": Seminar.Kind.LEARNING, "number": 1, "place": "Comwell Kolding", **_when()}
    return seminar_plan(programme=programme, by=None, **(values | fields))


@pytest.fixture
def seminar(cast) -> Seminar:
    seminar = _plan(cast.kol)
    seminar_invite_teams(seminar=seminar, teams=[cast.kol_rm, cast.kol_rsd], by=cast.lead)
    return seminar


def test_it_plans_a_seminar(cast) -> None:
    seminar = _plan(cast.kol, agenda="09.30 Velkomst")
    assert Seminar.objects.get(pk=seminar.pk).agenda == "09.30 Velkomst"


def test_it_refuses_a_seminar_that_ends_before_it_begins(cast) -> None:
    times = _when()
    with pytest.raises(ValidationError) as error:
        _plan(cast.kol, starts_at=times["ends_at"], ends_at=times["starts_at"])
    assert "slutte" in error.value.message_dict["ends_at"][0]
    assert not Seminar.objects.exists()


def test_it_refuses_a_duplicate_number_with_a_danish_message(cast) -> None:
    _plan(cast.kol, number=2)
    with pytest.raises(ValidationError) as error:
        _plan(cast.kol, number=2)
    assert "har allerede et seminar" in error.value.message_dict["number"][0]
    assert Seminar.objects.count() == 1


def test_the_same_number_is_free_for_another_kind_or_programme(cast) -> None:
    _plan(cast.kol, number=2)
    _plan(cast.kol, number=2, kind=Seminar.Kind.KICKOFF)
    _plan(cast.adhd, number=2)
    assert Seminar.objects.count() == 3


def test_an_update_may_keep_its_own_number(cast) -> None:
    seminar = _plan(cast.kol, number=2)
    seminar_update(seminar=seminar, by=cast.lead, number=2, place="Hotel Nyborg Strand")
    assert Seminar.objects.get(pk=seminar.pk).place == "Hotel Nyborg Strand"


def test_it_refuses_an_update_to_a_taken_number(cast) -> None:
    _plan(cast.kol, number=1)
    second = _plan(cast.kol, number=2)
    with pytest.raises(ValidationError):
        seminar_update(seminar=second, by=cast.lead, number=1)
    assert Seminar.objects.get(pk=second.pk).number == 2


def test_it_cancels_with_a_reason(cast, seminar) -> None:
    seminar_cancel(seminar=seminar, by=cast.lead, reason="  For få tilmeldte  ")
    seminar.refresh_from_db()
    assert seminar.is_cancelled
    assert seminar.cancel_reason == "For få tilmeldte"


def test_it_refuses_to_cancel_without_a_reason(cast, seminar) -> None:
    with pytest.raises(ValidationError) as error:
        seminar_cancel(seminar=seminar, by=cast.lead, reason="   ")
    assert "årsag" in error.value.message_dict["cancel_reason"][0]
    seminar.refresh_from_db()
    assert not seminar.is_cancelled


def test_it_refuses_to_cancel_twice(cast, seminar) -> None:
    seminar_cancel(seminar=seminar, by=cast.lead, reason="Sygdom")
    first = Seminar.objects.get(pk=seminar.pk).cancelled_at
    with pytest.raises(ValidationError, match="allerede aflyst"):
        seminar_cancel(seminar=seminar, by=cast.lead, reason="Igen")
    assert Seminar.objects.get(pk=seminar.pk).cancelled_at == first
    assert Seminar.objects.get(pk=seminar.pk).cancel_reason == "Sygdom"


def test_it_refuses_to_edit_a_cancelled_seminar(cast, seminar) -> None:
    seminar_cancel(seminar=seminar, by=cast.lead, reason="Sygdom")
    with pytest.raises(ValidationError, match="aflyst seminar kan ikke redigeres"):
        seminar_update(seminar=seminar, by=cast.lead, place="Et andet sted")


def test_it_refuses_to_invite_a_team_of_another_programme(cast) -> None:
    seminar = _plan(cast.kol)
    with pytest.raises(ValidationError) as error:
        seminar_invite_teams(seminar=seminar, teams=[cast.kol_rm, cast.adhd_rsd], by=cast.lead)
    assert "BUP Odense" in error.value.message_dict["teams"][0]
    assert not SeminarInvitation.objects.exists()


def test_invitations_become_exactly_the_chosen_teams(cast, seminar) -> None:
    added, removed = seminar_invite_teams(seminar=seminar, teams=[cast.kol_rm], by=cast.lead)
    assert (added, removed) == ([], [cast.kol_rsd])
    assert list(seminar.invited_teams.all()) == [cast.kol_rm]


def test_it_refuses_to_withdraw_the_invitation_of_a_team_with_registrations(cast, seminar) -> None:
    seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member)
    with pytest.raises(ValidationError, match="Afmeld dem først"):
        seminar_invite_teams(seminar=seminar, teams=[cast.kol_rm], by=cast.lead)
    assert seminar.invitations.count() == 2


def test_it_registers_a_member_of_an_invited_team(cast, seminar) -> None:
    registration = seminar_register(
        seminar=seminar, user=cast.local_lead, team=cast.kol_rm, by=cast.coordinator
    )
    assert registration.team == cast.kol_rm
    assert registration.cancelled_at is None


def test_it_refuses_to_register_twice(cast, seminar) -> None:
    seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member)
    with pytest.raises(ValidationError, match="allerede tilmeldt"):
        seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.lead)
    assert Registration.objects.count() == 1


def test_it_refuses_to_register_for_a_cancelled_seminar(cast, seminar) -> None:
    seminar_cancel(seminar=seminar, by=cast.lead, reason="Sygdom")
    with pytest.raises(ValidationError, match="aflyst"):
        seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member)
    assert not Registration.objects.exists()


def test_it_refuses_to_register_for_a_past_seminar(cast) -> None:
    seminar = _plan(cast.kol, **_when(days=-3))
    seminar_invite_teams(seminar=seminar, teams=[cast.kol_rsd], by=cast.lead)
    with pytest.raises(ValidationError, match="afholdt"):
        seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member)


def test_it_refuses_a_team_that_is_not_invited(cast) -> None:
    seminar = _plan(cast.kol)
    seminar_invite_teams(seminar=seminar, teams=[cast.kol_rm], by=cast.lead)
    with pytest.raises(ValidationError, match="ikke inviteret"):
        seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.lead)


def test_it_refuses_a_person_who_is_not_on_the_team(cast, seminar) -> None:
    with pytest.raises(ValidationError, match="ikke medlem"):
        seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rm, by=cast.lead)


def test_unregistering_keeps_the_row_and_re_registering_revives_it(cast, seminar) -> None:
    registration = seminar_register(
        seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member
    )
    seminar_unregister(registration=registration, by=cast.member)
    assert Registration.objects.get(pk=registration.pk).cancelled_at is not None
    again = seminar_register(seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member)
    assert again.pk == registration.pk
    assert Registration.objects.get(pk=registration.pk).cancelled_at is None


def test_it_refuses_to_unregister_twice(cast, seminar) -> None:
    registration = seminar_register(
        seminar=seminar, user=cast.member, team=cast.kol_rsd, by=cast.member
    )
    seminar_unregister(registration=registration, by=cast.member)
    with pytest.raises(ValidationError, match="allerede afmeldt"):
        seminar_unregister(registration=registration, by=cast.member)


def test_changes_are_announced_after_commit(cast, django_capture_on_commit_callbacks) -> None:
    heard: list[str] = []

    def listener(sender, seminar, change, **kwargs) -> None:
        heard.append(change)

    seminar_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            seminar = _plan(cast.kol)
            seminar_update(seminar=seminar, by=cast.lead, place="Odense")
            seminar_cancel(seminar=seminar, by=cast.lead, reason="Sygdom")
    finally:
        seminar_changed.disconnect(listener)
    assert heard == ["planned", "updated", "cancelled"]


def test_the_factory_default_is_a_valid_seminar() -> None:
    f.SeminarFactory().full_clean()


def test_it_refuses_to_cancel_a_seminar_that_has_been_held(cast) -> None:
    seminar = _plan(cast.kol, **_when(days=-3))
    with pytest.raises(ValidationError, match="afholdt seminar kan ikke aflyses"):
        seminar_cancel(seminar=seminar, by=cast.lead, reason="For sent")
    assert not Seminar.objects.get(pk=seminar.pk).is_cancelled
