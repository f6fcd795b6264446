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
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")

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
    # Only the years around the seminar: the full history of Copenhagen's rules is 8 kB.
    start = seminar.starts_at.astimezone(TZ).date()
    calendar.add_missing_timezones(
        first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(start.year + 1, 12, 31)
    )
    return calendar.to_ical()
