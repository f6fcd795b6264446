"""Seminar notices: the mails sent when something happens to a seminar, exactly once each.

A change to a seminar (`seminars.services.seminar_changed`, after commit) runs the task
`seminar_notices` for it, which works out from the database what is due and sends each as a
`send_reminder` task, like the scanner. Every notice is a SEMINAR record whose occasion names
the event, so the unique constraint of SentReminder lets each out once, however often the event
is processed:

- a team is invited: each member, "invitation-<invitation id>" (a withdrawn and renewed
  invitation is a new one), with the .ics (REQUEST);
- a seminar is moved: everyone told the old time or place, "update-<SEQUENCE>", the same
  occasion the scanner uses, so the beat and the event never both send it (updated .ics, same
  UID, higher SEQUENCE);
- a seminar is cancelled: everyone told of it, "cancel", again the scanner's own (METHOD:CANCEL);
- a person is registered or unregistered: that person, "registered-<id>-<time>" and
  "unregistered-<id>-<time>" (a registration revived later is a new event), with the .ics
  (REQUEST, or CANCEL for the withdrawal).

Which choice on the profile governs each is `reminders.preferences.preference_kind`. A notice
whose event no longer holds when it is sent (the invitation withdrawn, the registration changed,
the seminar cancelled) is not sent. The mails are Danish: the portal keeps no language per person
(the language is a browser cookie), and a worker has no browser to ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from reminders import ics
from reminders.drafts import Draft, seminar_draft
from reminders.models import ReminderKind
from reminders.revisions import seminar_fingerprint
from reminders.scanner import Due, seminar_candidates, unsettled, wanted
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import TeamMember

INVITATION, REGISTERED, UNREGISTERED = "invitation-", "registered-", "unregistered-"


def is_notice(occasion: str) -> bool:
    """An invitation or (un)registration notice; updates and cancellations are the scanner's."""
    return occasion.startswith((INVITATION, REGISTERED, UNREGISTERED))


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")


def registration_occasion(registration: Registration) -> str:
    """Per registration and moment: registering again after a withdrawal is a new event."""
    if registration.cancelled_at is None:
        return f"{REGISTERED}{registration.pk}-{_stamp(registration.registered_at)}"
    return f"{UNREGISTERED}{registration.pk}-{_stamp(registration.cancelled_at)}"


def event_dues(
    seminar_id: int,
    *,
    invitations: Iterable[int] = (),
    registration_id: int | None = None,
    at: dt.datetime,
) -> list[Due]:
    """What the event calls for now and nobody has sent: its notices, updates, cancellations."""
    due = seminar_candidates(at, [seminar_id])
    if Seminar.objects.filter(pk=seminar_id, starts_at__gt=at, cancelled_at__isnull=True).exists():
        teams = dict(
            SeminarInvitation.objects.filter(pk__in=list(invitations), seminar_id=seminar_id)
            .order_by()
            .values_list("team_id", "pk")
        )
        members = TeamMember.objects.filter(team_id__in=list(teams), user__is_active=True)
        due += [
            Due(ReminderKind.SEMINAR, seminar_id, user_id, f"{INVITATION}{teams[team_id]}")
            for team_id, user_id in members.order_by().values_list("team_id", "user_id")
        ]
        registration = Registration.objects.filter(pk=registration_id or 0, seminar_id=seminar_id)
        due += [
            Due(ReminderKind.SEMINAR, seminar_id, found.user_id, registration_occasion(found))
            for found in registration.filter(user__is_active=True)
        ]
    return sorted(unsettled(wanted(due)))


def prepare_notice(due: Due, recipient: User, seminar: Seminar) -> Draft | None:
    """The invitation or (un)registration mail, if its event still holds."""
    if seminar.is_cancelled or seminar.starts_at <= timezone.now():
        return None
    day = date_format(timezone.localtime(seminar.starts_at), "j. F Y")
    names = {"seminar": seminar, "day": day}
    if due.occasion.startswith(INVITATION):
        invitation = (
            SeminarInvitation.objects.select_related("team")
            .filter(pk=_number(due.occasion.removeprefix(INVITATION)), seminar=seminar)
            .first()
        )
        if invitation is None or not invitation.team.members.filter(user=recipient).exists():
            return None
        return seminar_draft(
            seminar,
            recipient,
            subject=_("Invitation: %(seminar)s den %(day)s") % names,
            template="seminar_invitation",
            method=ics.REQUEST,
            revision=seminar_fingerprint(seminar),
            context={"team": invitation.team},
        )
    registration = _registration_of(due, recipient, seminar)
    if registration is None:
        return None
    if registration.cancelled_at is None:
        return seminar_draft(
            seminar,
            recipient,
            subject=_("Du er tilmeldt: %(seminar)s den %(day)s") % names,
            template="seminar_registered",
            method=ics.REQUEST,
            revision=seminar_fingerprint(seminar),
            context={"registration": registration},
        )
    # The withdrawal takes the seminar out of their calendar, and shows no time to update later.
    return seminar_draft(
        seminar,
        recipient,
        subject=_("Du er afmeldt: %(seminar)s den %(day)s") % names,
        template="seminar_unregistered",
        method=ics.CANCEL,
        revision="",
        context={"registration": registration},
    )


def _registration_of(due: Due, recipient: User, seminar: Seminar) -> Registration | None:
    """The registration the occasion names, if it is still in the state the occasion records."""
    number = due.occasion.removeprefix(REGISTERED).removeprefix(UNREGISTERED).split("-")[0]
    registration = (
        Registration.objects.select_related("team")
        .filter(pk=_number(number), seminar=seminar, user=recipient)
        .first()
    )
    if registration is None or registration_occasion(registration) != due.occasion:
        return None
    return registration


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0
