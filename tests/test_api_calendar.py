"""The personal seminar calendar: one's registered seminars as iCalendar, by a secret address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import CalendarFeed
from accounts.tokens import calendar_feed_create, calendar_feed_revoke
from tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db


def feed_url(secret: str) -> str:
    return reverse("api:seminar_feed", kwargs={"secret": secret})


@pytest.fixture
def seminars(cast):
    """Two KOL seminars the local lead is registered for (one later cancelled), one they left,
    and one they were never registered for."""
    now = timezone.now()
    kept = SeminarFactory(programme=cast.kol, title="Læringsseminar 2", place="Vejle")
    cancelled = SeminarFactory(programme=cast.kol, title="Læringsseminar 3")
    left = SeminarFactory(programme=cast.kol, title="Læringsseminar 4")
    SeminarFactory(programme=cast.kol, title="Ikke tilmeldt")
    for seminar in (kept, cancelled, left):
        seminar.registrations.create(user=cast.local_lead, team=cast.kol_rm)
    left.registrations.filter(user=cast.local_lead).update(cancelled_at=now)
    cancelled.cancelled_at = now
    cancelled.save()
    return kept, cancelled


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]).split(" – ")[0]: e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_ones_registered_seminars(client, cast, seminars):
    kept, _cancelled = seminars
    _feed, secret = calendar_feed_create(user=cast.local_lead)
    response = client.get(feed_url(secret))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert set(found) == {"Læringsseminar 2", "Læringsseminar 3"}
    assert found["Læringsseminar 2"]["status"] == "CONFIRMED"
    assert found["Læringsseminar 3"]["status"] == "CANCELLED"
    assert found["Læringsseminar 2"]["uid"] == f"seminar-{kept.pk}@lkt-portalen"
    start = found["Læringsseminar 2"].decoded("dtstart")
    assert start == kept.starts_at.replace(microsecond=0)


def test_the_feed_needs_no_token_but_the_secret(client, cast, seminars):
    assert client.get(feed_url("guessed-address")).status_code == 404
    response = client.get(feed_url("x" * 300))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_new_address_stops_the_old_one_and_revoking_stops_both(client, cast, seminars):
    _feed, first = calendar_feed_create(user=cast.local_lead)
    _feed, second = calendar_feed_create(user=cast.local_lead)
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    calendar_feed_revoke(user=cast.local_lead)
    assert client.get(feed_url(second)).status_code == 404


def test_it_notes_the_last_fetch(client, cast, seminars):
    feed, secret = calendar_feed_create(user=cast.local_lead)
    assert feed.last_used_at is None
    client.get(feed_url(secret))
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_only_the_hash_of_the_address_is_stored(cast):
    feed, secret = calendar_feed_create(user=cast.local_lead)
    assert secret not in str(CalendarFeed.objects.filter(pk=feed.pk).values().get())


def test_a_deactivated_persons_feed_stops(client, cast, seminars):
    _feed, secret = calendar_feed_create(user=cast.local_lead)
    cast.local_lead.is_active = False
    cast.local_lead.save()
    assert client.get(feed_url(secret)).status_code == 404


def test_the_profile_makes_and_revokes_the_address(client, cast, seminars):
    client.force_login(cast.local_lead)
    response = client.post(reverse("accounts:calendar_create"))
    url = response.context["calendar_url"]
    assert url.startswith("http") and url.endswith(".ics")
    client.logout()
    assert client.get(url).status_code == 200
    client.force_login(cast.local_lead)
    assert client.post(reverse("accounts:calendar_revoke")).status_code == 302
    assert client.get(url).status_code == 404


@pytest.mark.clock
def test_seminars_more_than_a_year_past_drop_out(client, cast, clock):
    old = SeminarFactory(
        programme=cast.kol,
        title="Kick-off",
        starts_at=clock.now() - dt.timedelta(days=400),
        ends_at=clock.now() - dt.timedelta(days=400) + dt.timedelta(hours=6),
    )
    old.registrations.create(user=cast.local_lead, team=cast.kol_rm)
    _feed, secret = calendar_feed_create(user=cast.local_lead)
    assert events(client.get(feed_url(secret))) == {}
