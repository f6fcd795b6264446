"""What every to-do rule works with: the person's situation, the item, the section, and the
shared helpers for labels, team names, the months owed and the next seminar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Roles, roles_of
from core.months import add_months, data_deadline, due_months, first_of_month
from programmes.models import Programme
from reminders.scanner import late_teams
from seminars.models import Seminar
from teams.models import ImprovementTeam
from teams.selectors import reportable_months

NAMES_SHOWN = 4  # teams named in one item; "(+3)" counts the rest


@dataclass(frozen=True)
class Situation:
    """Who asks, with which attachments, on which day."""

    user: User
    roles: Roles
    today: dt.date

    @classmethod
    def of(cls, user: User) -> Situation:
        return cls(user=user, roles=roles_of(user), today=timezone.localdate())


@dataclass(frozen=True)
class Item:
    """One thing to do (or to know): what, and where it is done."""

    text: str
    url: str
    late: bool = False
    fyi: bool = False  # for information (the next seminar): left out where its link is listed


Rule = Callable[[Situation], list[Item]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    applies: Callable[[Situation], bool]
    rules: tuple[Rule, ...] = field(default_factory=tuple)


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def day_label(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def names(teams: Iterable[ImprovementTeam]) -> str:
    listed = sorted(team.name for team in teams)
    shown = ", ".join(listed[:NAMES_SHOWN])
    return shown + (f" (+{len(listed) - NAMES_SHOWN})" if len(listed) > NAMES_SHOWN else "")


# --- Months and missing data -----------------------------------------------------------------


def open_month(programme: Programme, today: dt.date) -> dt.date | None:
    """Last month, while its data deadline has not passed yet (and the programme covers it)."""
    month = add_months(first_of_month(today), -1)
    if not programme.covers(month):
        return None
    return month if today <= data_deadline(month, programme.data_deadline_day) else None


def latest_due_month(programme: Programme, today: dt.date) -> dt.date | None:
    """The newest month whose data deadline has passed."""
    due = due_months(programme.start_date, programme.end_date, programme.data_deadline_day, today)
    return due[-1] if due else None


def missing_by_period(programmes: Iterable[Programme], periods: dict[int, list[dt.date]]) -> dict:
    """{(team id, period): team} for the active teams lacking a figure, period by period."""
    wanted: dict[dt.date, list[int]] = defaultdict(list)
    for programme in programmes:
        for period in periods.get(programme.pk, []):
            wanted[period].append(programme.pk)
    missing = {}
    for period, programme_ids in sorted(wanted.items()):
        for pk, team in late_teams(programme_ids, period).items():
            missing[pk, period] = team
    return missing


def active_programmes(ids: Iterable[int]) -> list[Programme]:
    return list(
        Programme.objects.filter(pk__in=list(ids), status=Programme.Status.ACTIVE).order_by("name")
    )


# --- Owed monthly reports -----------------------------------------------------------------------


def report_month(programme: Programme, today: dt.date) -> dt.date | None:
    """The month whose monthly report is owed: the newest whose data deadline has passed, if
    the programme's monthly reports page offers it (it offers the months up to the current)."""
    month = latest_due_month(programme, today)
    return month if month in reportable_months(programme) else None


def report_months(programmes: Iterable[Programme], today: dt.date) -> dict[int, dt.date]:
    return {p.pk: m for p in programmes if (m := report_month(p, today))}


def teams_by_programme(
    months: dict[int, dt.date], select: Callable[[dt.date, QuerySet], QuerySet]
) -> dict[int, list[ImprovementTeam]]:
    """The teams `select` picks of each programme for its month: one query per distinct month."""
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    for programme_id, month in months.items():
        by_month[month].append(programme_id)
    grouped: dict[int, list[ImprovementTeam]] = defaultdict(list)
    for month, programme_ids in by_month.items():
        teams = ImprovementTeam.objects.filter(programme_id__in=programme_ids)
        for team in select(month, teams.only("pk", "name", "programme_id")).order_by("name"):
            grouped[team.programme_id].append(team)
    return grouped


def reports_url(programme_id: int, month: dt.date, anchor: str = "") -> str:
    url = reverse("indicators:monthly_reports", args=[programme_id])
    return f"{url}?{urlencode({'maaned': f'{month:%Y-%m}'})}{anchor}"


# --- Seminars -----------------------------------------------------------------------------------


def next_seminar_item(seminar: Seminar | None) -> list[Item]:
    if seminar is None:
        return []
    values = {
        "seminar": seminar,
        "programme": seminar.programme.name,
        "day": day_label(timezone.localdate(seminar.starts_at)),
        "place": seminar.place,
    }
    return [
        Item(
            _("Næste seminar: %(seminar)s (%(programme)s) den %(day)s, %(place)s.") % values,
            reverse("seminars:detail", args=[seminar.pk]),
            fyi=True,
        )
    ]


def upcoming_seminars(programme_ids: Iterable[int]) -> QuerySet[Seminar]:
    return (
        Seminar.objects.upcoming()
        .filter(programme_id__in=list(programme_ids))
        .select_related("programme")
        .order_by("starts_at", "pk")
    )
