"""Deactivating and reactivating people: audited, and undone only by the same authority or above."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import SecurityEvent, User
from accounts.services import user_deactivate, user_reactivate

pytestmark = pytest.mark.django_db


def test_deactivating_is_in_the_audit_log_and_the_trail_with_who(client, cast) -> None:
    client.force_login(cast.coordinator)
    client.post(reverse("accounts:deactivate", args=[cast.local_lead.pk]))

    entry = LogEntry.objects.filter(
        content_type__model="user", object_pk=str(cast.local_lead.pk)
    ).latest("timestamp")
    assert entry.actor == cast.coordinator
    assert entry.changes_dict["is_active"] == ["True", "False"]
    event = SecurityEvent.objects.get(kind="user_deactivated")
    assert (event.user, event.username) == (cast.coordinator, cast.local_lead.email)


def test_reactivating_is_in_the_audit_log_and_the_trail_too(client, cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.coordinator)
    client.force_login(cast.coordinator)
    client.post(reverse("accounts:reactivate", args=[cast.local_lead.pk]))

    cast.local_lead.refresh_from_db()
    assert cast.local_lead.is_active
    assert cast.local_lead.deactivated_by is None
    latest = LogEntry.objects.filter(content_type__model="user").latest("timestamp")
    assert latest.changes_dict["is_active"] == ["False", "True"]
    assert SecurityEvent.objects.get(kind="user_reactivated").user == cast.coordinator


def test_it_remembers_who_deactivated(cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.administrator)
    person = User.objects.get(pk=cast.local_lead.pk)
    assert not person.is_active
    assert person.deactivated_by == cast.administrator
    assert person.deactivated_by_administrator


def test_a_coordinator_may_not_undo_an_administrators_deactivation(client, cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.administrator)
    client.force_login(cast.coordinator)

    response = client.post(reverse("accounts:reactivate", args=[cast.local_lead.pk]), follow=True)

    assert "deaktiveret af en administrator" in response.content.decode()
    cast.local_lead.refresh_from_db()
    assert not cast.local_lead.is_active
    assert not SecurityEvent.objects.filter(kind="user_reactivated").exists()


def test_the_service_refuses_it_as_well(cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.administrator)
    with pytest.raises(ValidationError, match="Kun en administrator kan genaktivere"):
        user_reactivate(person=cast.local_lead, by=cast.coordinator)


def test_the_list_offers_no_reactivation_the_coordinator_may_not_make(client, cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.administrator)
    client.force_login(cast.coordinator)
    content = client.get(reverse("accounts:list")).content.decode()
    assert reverse("accounts:reactivate", args=[cast.local_lead.pk]) not in content
    assert "deaktiveret af en administrator" in content


def test_an_administrator_undoes_anyones_deactivation(cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.coordinator)
    user_reactivate(person=cast.local_lead, by=cast.administrator)
    cast.local_lead.refresh_from_db()
    assert cast.local_lead.is_active


def test_a_coordinator_undoes_a_coordinators_deactivation(cast) -> None:
    user_deactivate(person=cast.local_lead, by=cast.coordinator)
    user_reactivate(person=cast.local_lead, by=cast.coordinator)
    cast.local_lead.refresh_from_db()
    assert cast.local_lead.is_active
