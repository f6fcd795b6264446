"""The reminder e-mails: what each says (Danish text and HTML), built when it is sent.

`prepare` loads what the reminder is about and returns None when it no longer applies (the
seminar was cancelled, the team has registered its data since the scan); `render` turns the
draft into a message with the unsubscribe and preferences links every e-mail carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.months import add_months, data_deadline
from indicators.models import DataSource, Frequency, Indicator, Measurement
from programmes.models import Programme, ProgrammeLead, RegionalCoordinator
from reminders import config, ics
from reminders.drafts import Draft, seminar_draft
from reminders.models import ReminderKind, ReminderStatus, SentReminder
from reminders.notices import is_notice, prepare_notice
from reminders.preferences import preference_kind, unsubscribe_token
from reminders.revisions import seminar_fingerprint
from reminders.scanner import (
    CANCEL,
    Due,
    has_figure,
    late_teams,
    sustainment_occasion,
)
from reminders.sustainment import DATA_PREFIX, prepare_review, prepare_sustainment_data
from seminars.models import Seminar
from teams.models import ImprovementTeam


def prepare(due: Due, recipient: User) -> Draft | None:
    return PREPARERS[due.kind](due, recipient)


def render(draft: Draft, due: Due, recipient: User, *, message_id: str) -> EmailMultiAlternatives:
    """The message: plain text with an HTML alternative, attachments, unsubscribe headers."""
    site = config.site_url()
    choice = preference_kind(due.kind, due.occasion)
    unsubscribe = site + reverse(
        "reminders:unsubscribe", args=[unsubscribe_token(recipient.pk, choice)]
    )
    context = {
        **draft.context,
        "recipient": recipient,
        "site_url": site,
        "preferences_url": site + reverse("reminders:preferences"),
        "unsubscribe_url": unsubscribe,
        "kind_label": ReminderKind(choice).label,
    }
    message = EmailMultiAlternatives(
        subject=draft.subject,
        body=render_to_string(f"emails/{draft.template}.txt", context),
        to=[recipient.email],
        headers={
            # The same Message-ID on every attempt: a receiving server may drop a second copy.
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"emails/{draft.template}.html", context), "text/html"
    )
    for attachment in draft.attachments:
        message.attach(attachment)
    return message


def message_id(record_pk: int) -> str:
    return f"<lkt-reminder-{record_pk}@{ics.organiser_address().rpartition('@')[2]}>"


# Seminars ------------------------------------------------------------------------------------


def prepare_seminar(due: Due, recipient: User) -> Draft | None:
    seminar = Seminar.objects.select_related("programme").filter(pk=due.object_id).first()
    if seminar is None:
        return None
    cancelling = due.occasion == CANCEL
    if cancelling != seminar.is_cancelled:
        return None
    if is_notice(due.occasion):
        return prepare_notice(due, recipient, seminar)
    fingerprint = seminar_fingerprint(seminar)
    shown = last_shown(due, recipient) or None  # a withdrawal's mail showed no time
    if due.occasion.startswith("update-") and shown == fingerprint:
        return None  # another mail (a notice, a reminder) has shown them the new time already
    # A reminder to someone whose last mail showed another time or place says so (one mail).
    updating = due.occasion.startswith("update-") or shown not in (None, fingerprint)
    day = date_format(timezone.localtime(seminar.starts_at), "DATE_FORMAT")
    if cancelling:
        subject = _("Aflyst: %(seminar)s den %(day)s") % {"seminar": seminar, "day": day}
        template, method = "seminar_cancelled", ics.CANCEL
    elif updating:
        subject = _("Ændret: %(seminar)s – se den nye tid og det nye sted") % {"seminar": seminar}
        template, method = "seminar_changed", ics.REQUEST
    else:
        subject = _("Påmindelse: %(seminar)s den %(day)s") % {"seminar": seminar, "day": day}
        template, method = "seminar_reminder", ics.REQUEST
    return seminar_draft(
        seminar,
        recipient,
        subject=subject,
        template=template,
        method=method,
        revision=fingerprint,
    )


def last_shown(due: Due, recipient: User) -> str | None:
    """The fingerprint of the last other mail about the seminar that (probably) reached them."""
    return (
        SentReminder.objects.filter(
            kind=ReminderKind.SEMINAR,
            object_id=due.object_id,
            recipient=recipient,
            status__in=[ReminderStatus.CLAIMED, ReminderStatus.SENT],
        )
        .exclude(occasion=due.occasion)
        .order_by("-pk")
        .values_list("revision", flat=True)
        .first()
    )


# Data ----------------------------------------------------------------------------------------


def _period(occasion: str) -> dt.date:
    """'2026-10' or '2026-10:7d' → 1 October 2026."""
    year, month = occasion.split(":")[0].split("-")
    return dt.date(int(year), int(month), 1)


def missing_indicators(team: ImprovementTeam, period: dt.date) -> list[Indicator]:
    """The team's required indicators without a figure for the period (as in `late_teams`)."""
    closes_quarter = period.month % 3 == 0
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(
            programme_id=team.programme_id, is_active=True, data_source=DataSource.PORTAL
        ).order_by("order", "name")
        if indicator.frequency == Frequency.MONTHLY or closes_quarter
    ]
    first = add_months(period, -2) if closes_quarter else period
    months: dict[int, set[dt.date]] = {}
    for indicator_id, period_start in Measurement.objects.filter(
        team=team, period_start__gte=first, period_start__lte=period
    ).values_list("indicator_id", "period_start"):
        months.setdefault(indicator_id, set()).add(period_start)
    return [
        indicator
        for indicator in indicators
        if not has_figure(indicator.frequency, months.get(indicator.pk, set()), period)
    ]


def prepare_data(due: Due, recipient: User) -> Draft | None:
    if due.occasion.startswith(DATA_PREFIX):
        return prepare_sustainment_data(due, recipient)
    team = ImprovementTeam.objects.select_related("programme").filter(pk=due.object_id).first()
    if team is None:
        return None
    period = _period(due.occasion)
    missing = missing_indicators(team, period)
    if not missing:
        return None
    deadline = data_deadline(period, team.programme.data_deadline_day)
    month = date_format(period, "YEAR_MONTH_FORMAT")
    subject = _("Påmindelse: %(team)s mangler data for %(month)s (frist %(deadline)s)") % {
        "team": team,
        "month": month,
        "deadline": date_format(deadline, "MONTH_DAY_FORMAT"),
    }
    url = config.site_url() + reverse(
        "indicators:enter_month", args=[team.pk, period.strftime("%Y-%m")]
    )
    context = {
        "team": team,
        "programme": team.programme,
        "month": month,
        "deadline": deadline,
        "missing": missing,
        "url": url,
    }
    return Draft(subject=subject, template="data_reminder", context=context)


def prepare_data_late(due: Due, recipient: User) -> Draft | None:
    programme = Programme.objects.filter(pk=due.object_id).first()
    if programme is None:
        return None
    period = _period(due.occasion)
    teams = sorted(
        late_teams([programme.pk], period).values(), key=lambda team: (team.region.name, team.name)
    )
    if not ProgrammeLead.objects.filter(programme=programme, user=recipient).exists():
        regions = set(
            RegionalCoordinator.objects.filter(user=recipient).values_list("region_id", flat=True)
        )
        teams = [team for team in teams if team.region_id in regions]
    if not teams:
        return None
    month = date_format(period, "YEAR_MONTH_FORMAT")
    subject = ngettext(
        "%(programme)s: %(count)s team mangler data for %(month)s",
        "%(programme)s: %(count)s teams mangler data for %(month)s",
        len(teams),
    ) % {
        "programme": programme,
        "count": len(teams),
        "month": month,
    }
    url = config.site_url() + reverse("indicators:programme_results", args=[programme.pk])
    context = {
        "programme": programme,
        "month": month,
        "deadline": data_deadline(period, programme.data_deadline_day),
        "teams": teams,
        "url": url,
    }
    return Draft(subject=subject, template="data_late", context=context)


# Milestones ----------------------------------------------------------------------------------


def prepare_milestone(due: Due, recipient: User) -> Draft | None:
    programme = Programme.objects.filter(pk=due.object_id).first()
    if programme is None or sustainment_occasion(programme.end_date) != due.occasion:
        return None
    subject = _("%(programme)s slutter %(end)s – tid til planen for fastholdelse") % {
        "programme": programme,
        "end": date_format(programme.end_date, "DATE_FORMAT"),
    }
    url = config.site_url() + reverse("programmes:sustainment", args=[programme.pk])
    context = {"programme": programme, "url": url}
    return Draft(subject=subject, template="sustainment_plan", context=context)


PREPARERS: dict[str, Callable[[Due, User], Draft | None]] = {
    ReminderKind.SEMINAR: prepare_seminar,
    ReminderKind.DATA: prepare_data,
    ReminderKind.DATA_LATE: prepare_data_late,
    ReminderKind.MILESTONE: prepare_milestone,
    ReminderKind.SUSTAINMENT_REVIEW: prepare_review,
}
