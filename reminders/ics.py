"""Calendar invitations (.ics) for seminars: a stable UID each, and a SEQUENCE that only grows."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from reminders.timing import TZ
from seminars.models import Seminar

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def seminar_uid(seminar: Seminar) -> str:
    return f"seminar-{seminar.pk}@lkt-portalen"


def organiser_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@lkt.example.dk"


def seminar_calendar(
    seminar: Seminar,
    *,
    method: str,
    sequence: int,
    attendee_email: str,
    attendee_name: str,
    url: str,
    now: dt.datetime,
) -> bytes:
    """A VCALENDAR with one VEVENT in Copenhagen time, as REQUEST (invite/update) or CANCEL."""
    calendar = Calendar()
    calendar.add("prodid", "-//LKT-portalen//Seminarer//DA")
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = seminar_event(seminar, sequence=sequence, url=url, now=now, cancelled=method == CANCEL)
    organiser = vCalAddress(f"mailto:{organiser_address()}")
    organiser.params["cn"] = vText("LKT-portalen")
    event.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name or attendee_email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)

    calendar.add_component(event)
    _add_timezone(calendar, [seminar])
    return calendar.to_ical()


def seminar_event(
    seminar: Seminar, *, sequence: int, url: str, now: dt.datetime, cancelled: bool
) -> Event:
    """The seminar's VEVENT: the same UID in invitations and in the personal calendar feed."""
    event = Event()
    event.add("uid", seminar_uid(seminar))
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", seminar.starts_at.astimezone(TZ))
    event.add("dtend", seminar.ends_at.astimezone(TZ))
    event.add("summary", f"{seminar} – {seminar.programme}")
    event.add("location", ", ".join(part for part in (seminar.place, seminar.address) if part))
    event.add("description", "\n\n".join(part for part in (seminar.agenda, url) if part))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def feed_calendar(
    seminars: list[tuple[Seminar, int, str]], *, name: str, now: dt.datetime
) -> bytes:
    """A subscribable VCALENDAR (no METHOD) of (seminar, sequence, url): a personal feed."""
    calendar = Calendar()
    calendar.add("prodid", "-//LKT-portalen//Seminarer//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for seminar, sequence, url in seminars:
        calendar.add_component(
            seminar_event(
                seminar,
                sequence=sequence,
                url=url,
                now=now,
                cancelled=seminar.cancelled_at is not None,
            )
        )
    _add_timezone(calendar, [seminar for seminar, _, _ in seminars])
    return calendar.to_ical()


def _add_timezone(calendar: Calendar, seminars: list[Seminar]) -> None:
    """Copenhagen's rules for the years around the seminars only (the full history is 8 kB)."""
    if not seminars:
        return
    years = [s.starts_at.astimezone(TZ).year for s in seminars]
    calendar.add_missing_timezones(
        first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 1, 12, 31)
    )
