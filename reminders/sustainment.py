"""Reminders for programmes in sustainment (fastholdelse), found and written here.

- Reviews. From `REVIEW_DAYS` days before a planned review that has not been held, the formal
  leaders and quality coordinators of the programme's teams (not withdrawn) get one reminder
  per review and date: a review moved to another day is reminded of again.
- Data. At the programme's sustainment frequency, in the periods the data are registered in
  (`core.months.sustainment_periods`): the last complete month, or the last complete quarter
  (chased once it has closed; the months between the LKT's end and the first whole quarter
  after it are chased as months), from the sustainment's start on. Members of the
  teams (active or completed) that lack a figure in the period for an active indicator
  registered in the portal get a reminder per window of `data_reminder_days` before the
  deadline (the programme's deadline day in the month after the period). Any month of a
  quarter counts for the quarter.

A scan reads in bulk here too: a fixed number of queries however many programmes and teams.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.months import (
    add_months,
    data_deadline,
    first_of_month,
    period_months,
    sustainment_periods,
)
from indicators.models import DataSource, Indicator, Measurement
from programmes.models import Programme, SustainmentReview, parse_reminder_days
from reminders import config
from reminders.drafts import Draft
from reminders.due import Due
from reminders.models import ReminderKind
from reminders.timing import reminder_day, window
from teams.models import ImprovementTeam, TeamMember, TeamRole

REVIEW_DAYS = 14
DATA_PREFIX = "sustainment-"
MEASURING_TEAMS = (ImprovementTeam.Status.ACTIVE, ImprovementTeam.Status.COMPLETED)
REVIEWERS = (TeamRole.FORMAL_LEADER, TeamRole.QUALITY_COORDINATOR)


# Reviews -------------------------------------------------------------------------------------


def review_occasion(due_on: dt.date) -> str:
    return f"review-{due_on.isoformat()}"


def review_candidates(at: dt.datetime) -> list[Due]:
    today = reminder_day(at)
    reviews = list(
        SustainmentReview.objects.filter(
            programme__status=Programme.Status.SUSTAINMENT,
            held_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=REVIEW_DAYS),
        ).values_list("pk", "programme_id", "due_on")
    )
    if not reviews:
        return []
    people: dict[int, set[int]] = defaultdict(set)
    for programme_id, user_id in (
        TeamMember.objects.filter(
            team__programme_id__in={review[1] for review in reviews},
            role__in=REVIEWERS,
            user__is_active=True,
        )
        .exclude(team__status=ImprovementTeam.Status.WITHDRAWN)
        .order_by()
        .values_list("team__programme_id", "user_id")
    ):
        people[programme_id].add(user_id)
    return [
        Due(ReminderKind.SUSTAINMENT_REVIEW, pk, person, review_occasion(due_on))
        for pk, programme_id, due_on in reviews
        for person in people[programme_id]
    ]


def prepare_review(due: Due, recipient: User) -> Draft | None:
    review = SustainmentReview.objects.select_related("programme").filter(pk=due.object_id).first()
    if (
        review is None
        or review.held_on is not None
        or review.programme.status != Programme.Status.SUSTAINMENT
        or review_occasion(review.due_on) != due.occasion
    ):
        return None
    teams = list(
        ImprovementTeam.objects.filter(
            programme=review.programme, members__user=recipient, members__role__in=REVIEWERS
        )
        .exclude(status=ImprovementTeam.Status.WITHDRAWN)
        .distinct()
        .order_by("name")
    )
    if not teams:
        return None
    subject = _("Opfølgning på fastholdelsen af %(programme)s den %(day)s") % {
        "programme": review.programme,
        "day": date_format(review.due_on, "DATE_FORMAT"),
    }
    site = config.site_url()
    context = {
        "programme": review.programme,
        "review": review,
        "teams": [(team, site + reverse("teams:sustainment", args=[team.pk])) for team in teams],
    }
    return Draft(subject=subject, template="sustainment_review", context=context)


# Data ----------------------------------------------------------------------------------------


def closed_period(today: dt.date, end: dt.date, frequency: str) -> tuple[dt.date, dt.date] | None:
    """(first month, last month) of the sustainment period whose data is chased on `today`: the
    latest period after the LKT's `end` that has ended — a month, or a quarter, as the data are
    registered (`core.months.sustainment_periods`: months until the first whole quarter)."""
    periods = sustainment_periods(end, frequency, today)
    if not periods:
        return None
    first = periods[-1]
    return first, add_months(first, period_months(first, frequency) - 1)


def sustainment_data_candidates(at: dt.datetime) -> list[Due]:
    today = reminder_day(at)
    periods: dict[int, tuple[dt.date, dt.date, int]] = {}
    for programme in Programme.objects.filter(status=Programme.Status.SUSTAINMENT).only(
        "pk",
        "end_date",
        "sustainment_start",
        "sustainment_frequency",
        "data_deadline_day",
        "data_reminder_days",
    ):
        period = closed_period(today, programme.end_date, programme.sustainment_frequency)
        start = programme.sustainment_start or programme.end_date + dt.timedelta(days=1)
        if period is None or period[1] < first_of_month(start):
            continue
        days_left = (data_deadline(period[1], programme.data_deadline_day) - today).days
        if offset := window(days_left, parse_reminder_days(programme.data_reminder_days)):
            periods[programme.pk] = (*period, offset)
    if not periods:
        return []
    late = teams_without_data(periods)
    return [
        Due(ReminderKind.DATA, team_id, user_id, data_occasion(periods[programme_id]))
        for team_id, programme_id, user_id in TeamMember.objects.filter(
            team_id__in=list(late), user__is_active=True
        )
        .order_by()
        .values_list("team_id", "team__programme_id", "user_id")
    ]


def data_occasion(period: tuple[dt.date, dt.date, int]) -> str:
    """'sustainment-2026-10-2026-12:7d': the period's months and the window."""
    first, last, offset = period
    return f"{DATA_PREFIX}{first:%Y-%m}-{last:%Y-%m}:{offset}d"


def parse_data_occasion(occasion: str) -> tuple[dt.date, dt.date] | None:
    try:
        months = occasion.removeprefix(DATA_PREFIX).split(":")[0].split("-")
        first = dt.date(int(months[0]), int(months[1]), 1)
        last = dt.date(int(months[2]), int(months[3]), 1)
    except (ValueError, IndexError):
        return None
    return first, last


def teams_without_data(
    periods: dict[int, tuple[dt.date, dt.date, int]], team_ids: Iterable[int] | None = None
) -> dict[int, list[Indicator]]:
    """The measuring teams of the programmes lacking a figure in their programme's period, with
    the indicators they lack (all, or those of `team_ids`)."""
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(
        programme_id__in=list(periods), is_active=True, data_source=DataSource.PORTAL
    ).order_by("order", "name"):
        indicators[indicator.programme_id].append(indicator)
    if not indicators:
        return {}
    teams = ImprovementTeam.objects.filter(
        programme_id__in=list(indicators), status__in=MEASURING_TEAMS
    ).values_list("pk", "programme_id")
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    registered: set[tuple[int, int]] = set()
    for team_id, programme_id, indicator_id, month in (
        Measurement.objects.filter(
            team__programme_id__in=list(indicators),
            period_start__gte=min(period[0] for period in periods.values()),
            period_start__lte=max(period[1] for period in periods.values()),
        )
        .order_by()
        .values_list("team_id", "team__programme_id", "indicator_id", "period_start")
    ):
        first, last = periods[programme_id][:2]
        if first <= month <= last:
            registered.add((team_id, indicator_id))
    late: dict[int, list[Indicator]] = {}
    for team_id, programme_id in teams:
        missing = [i for i in indicators[programme_id] if (team_id, i.pk) not in registered]
        if missing:
            late[team_id] = missing
    return late


def prepare_sustainment_data(due: Due, recipient: User) -> Draft | None:
    team = ImprovementTeam.objects.select_related("programme").filter(pk=due.object_id).first()
    period = parse_data_occasion(due.occasion)
    if team is None or period is None or team.programme.status != Programme.Status.SUSTAINMENT:
        return None
    first, last = period
    missing = teams_without_data({team.programme_id: (first, last, 0)}, [team.pk]).get(team.pk)
    if not missing:
        return None
    deadline = data_deadline(last, team.programme.data_deadline_day)
    label = date_format(first, "YEAR_MONTH_FORMAT")
    if first != last:
        label = f"{label} – {date_format(last, 'YEAR_MONTH_FORMAT')}"
    subject = _("Fastholdelse: %(team)s mangler data for %(period)s (frist %(deadline)s)") % {
        "team": team,
        "period": label,
        "deadline": date_format(deadline, "MONTH_DAY_FORMAT"),
    }
    site = config.site_url()
    context = {
        "team": team,
        "programme": team.programme,
        "month": label,
        "deadline": deadline,
        "missing": missing,
        "url": site + reverse("indicators:enter", args=[team.pk]),
        "plan_url": site + reverse("teams:sustainment", args=[team.pk]),
    }
    return Draft(subject=subject, template="data_reminder", context=context)
