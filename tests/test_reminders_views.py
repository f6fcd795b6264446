"""The preferences page, the one-click unsubscribe link, and failed reminders in the admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lkt_portal.celery import app as celery_app
from reminders.delivery import claim
from reminders.models import ReminderKind, ReminderPreference, ReminderStatus, SentReminder
from reminders.preferences import reminder_preferences, unsubscribe_token
from reminders.scanner import Due
from tests import factories as f
from tests.test_reminders_rules import SeminarWorld

PREFERENCES = reverse("reminders:preferences")


def unsubscribe_url(user, kind: str = ReminderKind.SEMINAR) -> str:
    return reverse("reminders:unsubscribe", args=[unsubscribe_token(user.pk, kind)])


# Preferences ---------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db) -> None:
    response = client.get(PREFERENCES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_every_kind_switched_on_by_default(client, db) -> None:
    person = f.UserFactory()
    client.force_login(person)
    response = client.get(PREFERENCES)
    assert response.status_code == 200
    for kind in ReminderKind:
        assert str(kind.label) in response.content.decode()
    assert response.content.decode().count("checked") == len(ReminderKind)


def test_the_page_reads_all_choices_in_one_query(client, db, django_assert_max_num_queries):
    person = f.UserFactory()
    client.force_login(person)
    with CaptureQueriesContext(connection) as none_chosen:
        client.get(PREFERENCES)
    for kind in ReminderKind.values:
        ReminderPreference.objects.create(user=person, kind=kind, enabled=False)
        ReminderPreference.objects.create(user=f.UserFactory(), kind=kind, enabled=False)

    with django_assert_max_num_queries(len(none_chosen.captured_queries)):
        response = client.get(PREFERENCES)
    assert "checked" not in response.content.decode()


def test_a_person_turns_one_kind_off_and_back_on(client, db) -> None:
    person = f.UserFactory()
    client.force_login(person)
    others = ["seminar_invitation", "seminar_change", "seminar_cancellation"]
    chosen = ["seminar", "data_late", "milestone", *others]
    response = client.post(PREFERENCES, dict.fromkeys(chosen, "on"))
    assert response.status_code == 302
    assert reminder_preferences(person) == {
        "seminar": True,
        "data": False,
        "data_late": True,
        "milestone": True,
        "seminar_invitation": True,
        "seminar_change": True,
        "seminar_cancellation": True,
        "seminar_registration": False,
        "sustainment_review": False,
    }
    client.post(PREFERENCES, {kind: "on" for kind in ReminderKind.values})
    assert all(reminder_preferences(person).values())
    assert "gemt" in client.get(PREFERENCES).content.decode()


def test_a_choice_is_only_ever_the_persons_own(client, db) -> None:
    person, other = f.UserFactory(), f.UserFactory()
    client.force_login(person)
    client.post(PREFERENCES, {})
    assert not ReminderPreference.objects.filter(user=other).exists()
    assert ReminderPreference.objects.filter(user=person, enabled=False).count() == 9


# Unsubscribe ---------------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_first_and_turns_off_only_its_kind(db) -> None:
    person = f.UserFactory()
    client = Client(enforce_csrf_checks=True)  # as a mail program's one-click POST arrives

    asked = client.get(unsubscribe_url(person, ReminderKind.DATA))
    assert asked.status_code == 200
    assert "Ja, afmeld" in asked.content.decode()
    assert all(reminder_preferences(person).values())

    done = client.post(unsubscribe_url(person, ReminderKind.DATA))
    assert done.status_code == 200
    assert "Du er afmeldt" in done.content.decode()
    choices = reminder_preferences(person)
    assert choices.pop("data") is False
    assert all(choices.values()) and len(choices) == len(ReminderKind.values) - 1


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoic2VtaW5hciJ9:1xVCCN:forged"])
def test_it_refuses_a_forged_unsubscribe_link(client, db, token) -> None:
    person = f.UserFactory()
    response = client.post(reverse("reminders:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert all(reminder_preferences(person).values())


# The admin -----------------------------------------------------------------------------------


@pytest.fixture
def eager() -> Iterator[None]:
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def failed_reminder(world: SeminarWorld, person) -> SentReminder:
    claim(
        Due(ReminderKind.SEMINAR, world.seminar.pk, person.pk, "reminder-14d-2026-12-15"),
        token="dead",
    )
    record = SentReminder.objects.get(recipient=person)
    record.status, record.last_error, record.attempts = "failed", "SMTPDataError: 554 nej", 5
    record.save()
    return record


def test_an_administrator_sees_failed_reminders_and_their_error(client, db) -> None:
    world = SeminarWorld()
    failed_reminder(world, world.lead)
    failed_reminder(world, world.participant)
    claim(Due(ReminderKind.SEMINAR, world.seminar.pk, world.member.pk, "x"), token="t")
    SentReminder.objects.filter(recipient=world.member).update(
        status="sent", sent_at=timezone.now()
    )
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:lkt_portal_sentreminder_changelist")

    response = client.get(url, {"status__exact": "failed"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("SMTPDataError: 554 nej") == 2
    assert str(world.lead) in page and str(world.participant) in page
    assert str(world.member) not in page
    assert f"Seminar: {world.seminar}" in page


def test_the_admin_list_does_not_query_per_reminder(client, db, django_assert_max_num_queries):
    world = SeminarWorld()
    failed_reminder(world, world.lead)
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:lkt_portal_sentreminder_changelist")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        failed_reminder(world, f.UserFactory())

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("SMTPDataError: 554 nej") == 6


def test_the_retry_action_sends_a_failed_reminder_again(
    client, db, eager, django_capture_on_commit_callbacks
) -> None:
    world = SeminarWorld()
    record = failed_reminder(world, world.lead)
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:lkt_portal_sentreminder_changelist"),
            {"action": "retry", "_selected_action": [record.pk]},
            follow=True,
        )

    assert "1 påmindelse sendes igen" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ReminderStatus.SENT
    assert record.attempts == 1
    assert [m.to for m in mail.outbox] == [[world.lead.email]]


def test_the_retry_action_with_the_broker_down_leaves_the_reminder_failed(
    client, db, monkeypatch
) -> None:
    from lkt_portal.celery import app as celery_app

    world = SeminarWorld()
    record = failed_reminder(world, world.lead)
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    # Nothing listens on port 1: a real, refused connection to an absent Redis.
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    monkeypatch.setitem(celery_app.conf, "broker_connection_max_retries", 1)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)

    response = client.post(
        reverse("admin:lkt_portal_sentreminder_changelist"),
        {"action": "retry", "_selected_action": [record.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "kunne ikke sættes i kø" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ReminderStatus.FAILED
    assert record.last_error.startswith("Ikke sat i kø")
