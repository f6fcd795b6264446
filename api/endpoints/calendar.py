"""The personal calendar feed: one's seminars as iCalendar, by a secret address (no token).

The address is made (and revoked) on the profile page; whoever holds it reads the seminars its
person is registered for, so it is as secret as a token and stored only as a hash.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from accounts.ratelimit import seconds_to_wait
from accounts.tokens import calendar_feed_for_secret
from api.problems import Problem, ProblemError
from reminders.ics import feed_calendar
from reminders.models import SeminarRevision
from reminders.revisions import expected_sequence
from seminars.models import Seminar

router = Router()

ICS = "text/calendar"


@router.get(
    "/{secret}.ics",
    auth=None,
    response={200: str, 400: Problem, 404: Problem, 429: Problem},
    summary="Personlig seminarkalender (iCalendar)",
    openapi_extra={"responses": {200: {"content": {ICS: {"schema": {"type": "string"}}}}}},
)
def seminar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The seminars the address's person is registered for (cancelled ones marked CANCELLED),
    from a year back; 404 for an unknown or revoked address."""
    feed = calendar_feed_for_secret(secret)
    if feed is None:
        raise Http404
    wait = seconds_to_wait("api", f"feed:{feed.pk}")
    if wait:
        raise ProblemError(429, headers={"Retry-After": str(wait)})
    since = timezone.now() - dt.timedelta(days=366)
    seminars = list(
        Seminar.objects.filter(
            registrations__user=feed.user,
            registrations__cancelled_at__isnull=True,
            ends_at__gte=since,
        )
        .select_related("programme")
        .distinct()
        .order_by("starts_at", "pk")
    )
    revisions = {r.seminar_id: r for r in SeminarRevision.objects.filter(seminar__in=seminars)}
    site = settings.SITE_URL.rstrip("/")
    body = feed_calendar(
        [
            (
                s,
                expected_sequence(s, revisions.get(s.pk)),
                site + reverse("seminars:detail", args=[s.pk]),
            )
            for s in seminars
        ],
        name=_("LKT-seminarer"),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type=f"{ICS}; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
