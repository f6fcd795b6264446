"""What is due at a moment: every reminder the rules call for that has not been sent yet.

A scan reads in bulk: a fixed number of queries however many seminars, teams and people there
are (tests/test_reminders_scale.py holds it to that). The rules, in Copenhagen time, with a
reminder day that starts at 07:00 (`timing.reminder_day`):

- Seminars. The people are the seminar's registered participants and the local project leads
  of the invited teams (not every member of an invited team: those who come register). Each
  gets one reminder per window of the programme's `seminar_reminder_days` (default 14 and 2
  days before), with the seminar's date in the occasion, so a seminar moved to another day is
  reminded of again. Outside a window, someone whose last mail showed another time or place
  gets an update (inside one, the reminder itself says what changed: one mail per change). A
  cancelled seminar that has not begun sends a cancellation to the people and to everyone
  mailed about it before. An agenda edit sends nothing.
- Data. For each active programme, the last complete month, and its deadline day in the month
  after: members of active teams that lack a figure for any active indicator registered in the
  portal get a reminder per window of `data_reminder_days` (default 7 and 1 days before); from
  the day after the deadline, the regional coordinators of the late teams' regions and the
  programme's national project leads get one list of the late teams.
- Milestones. From three months before an active programme ends, its national project leads are
  asked for the sustainment (fastholdelse) plan, once per end date.
- Sustainment (`reminders.sustainment`): reviews, and data at the sustainment frequency.

Nobody is mailed about a kind they turned off, nor while their user is deactivated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from core.months import add_months, data_deadline, first_of_month
from indicators.models import DataSource, Frequency, Indicator, Measurement
from programmes.models import Programme, ProgrammeLead, RegionalCoordinator, parse_reminder_days
from reminders import config
from reminders.due import Due
from reminders.models import ReminderKind, ReminderStatus, SeminarRevision, SentReminder
from reminders.preferences import opted_out, preference_kind
from reminders.revisions import expected_sequence, seminar_fingerprint
from reminders.sustainment import review_candidates, sustainment_data_candidates
from reminders.timing import (
    local_date,
    reminder_day,
    window,
)
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, TeamMember, TeamRole

CANCEL = "cancel"


def due_reminders(at: dt.datetime) -> list[Due]:
    """Everything due at `at` that nobody has sent, is sending, or has given up on."""
    candidates = [
        *seminar_candidates(at),
        *data_candidates(at),
        *milestone_candidates(at),
        *review_candidates(at),
        *sustainment_data_candidates(at),
    ]
    return sorted(unsettled(wanted(candidates)))


def wanted(candidates: Iterable[Due]) -> list[Due]:
    """The candidates whose recipient has not turned their kind (or notice) off."""
    off = opted_out()
    return [
        c for c in candidates if (c.recipient_id, preference_kind(c.kind, c.occasion)) not in off
    ]


def stale_claims_before() -> dt.datetime:
    """Claims older than this belong to a worker that died (real time, whatever `at` is)."""
    return timezone.now() - config.CLAIM_TIMEOUT


def settles(status: str, claimed_at: dt.datetime, stale_before: dt.datetime) -> bool:
    """A record settles its reminder (sent, failed, or being sent) unless its claim is stale."""
    return not (status == ReminderStatus.CLAIMED and claimed_at < stale_before)


def unsettled(candidates: Iterable[Due]) -> list[Due]:
    """Drop what has a record already, except claims left behind by a worker that died."""
    candidates = list(dict.fromkeys(candidates))
    if not candidates:
        return []
    ids: dict[str, set[int]] = defaultdict(set)
    for due in candidates:
        ids[due.kind].add(due.object_id)
    match = Q()
    for kind, object_ids in ids.items():
        match |= Q(kind=kind, object_id__in=object_ids)
    stale_before = stale_claims_before()
    settled = {
        (kind, object_id, recipient_id, occasion)
        for kind, object_id, recipient_id, occasion, status, claimed_at in (
            SentReminder.objects.filter(match)
            .order_by()
            .values_list("kind", "object_id", "recipient_id", "occasion", "status", "claimed_at")
        )
        if settles(status, claimed_at, stale_before)
    }
    return [due for due in candidates if due.key not in settled]


# Seminars ------------------------------------------------------------------------------------


def seminar_reminder_occasion(seminar: Seminar, offset: int) -> str:
    """Per window and date: a seminar moved to another day gets its reminders again."""
    return f"reminder-{offset}d-{local_date(seminar.starts_at).isoformat()}"


def seminar_update_occasion(seminar: Seminar, stored: SeminarRevision | None) -> str:
    return f"update-{expected_sequence(seminar, stored)}"


def seminar_recipients(seminar_ids: list[int]) -> dict[int, set[int]]:
    """Registered participants and the invited teams' local project leads, by seminar."""
    people: dict[int, set[int]] = defaultdict(set)
    registered = (
        Registration.objects.filter(
            seminar_id__in=seminar_ids, cancelled_at__isnull=True, user__is_active=True
        )
        .order_by()
        .values_list("seminar_id", "user_id")
    )
    leads = SeminarInvitation.objects.filter(
        seminar_id__in=seminar_ids,
        team__members__role=TeamRole.LOCAL_LEAD,
        team__members__user__is_active=True,
    ).values_list("seminar_id", "team__members__user_id")
    for seminar_id, user_id in [*registered, *leads]:
        people[seminar_id].add(user_id)
    return people


@dataclass
class SeminarHistory:
    """The records per seminar and person: which occasions, and what their last mail showed."""

    records: dict[tuple[int, int], dict[str, tuple[str, dt.datetime]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    last_shown: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)
    mailed: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    stale_before: dt.datetime = field(default_factory=lambda: stale_claims_before())

    @classmethod
    def of(cls, seminar_ids: list[int]) -> SeminarHistory:
        history = cls()
        rows = (
            SentReminder.objects.filter(kind=ReminderKind.SEMINAR, object_id__in=seminar_ids)
            .order_by()
            .values_list(
                "pk", "object_id", "recipient_id", "occasion", "status", "claimed_at", "revision"
            )
        )
        for pk, seminar_id, person, occasion, status, claimed_at, revision in rows:
            history.records[seminar_id, person][occasion] = (status, claimed_at)
            if status == ReminderStatus.FAILED:
                continue  # a mail that never arrived showed nothing
            history.mailed[seminar_id].add(person)
            if pk > history.last_shown.get((seminar_id, person), (0, ""))[0]:
                history.last_shown[seminar_id, person] = (pk, revision)
        return history

    def is_open(self, seminar_id: int, person: int, occasion: str) -> bool:
        record = self.records[seminar_id, person].get(occasion)
        return record is None or not settles(*record, self.stale_before)

    def shown_other_than(self, seminar_id: int, person: int, fingerprint: str) -> bool:
        shown = self.last_shown.get((seminar_id, person))
        return shown is not None and shown[1] not in ("", fingerprint)


def seminar_candidates(at: dt.datetime, seminar_ids: list[int] | None = None) -> list[Due]:
    """Reminders, updates and cancellations due for the seminars (all, or those of the ids)."""
    offsets = {
        pk: parse_reminder_days(days)
        for pk, days in Programme.objects.order_by().values_list("pk", "seminar_reminder_days")
    }
    if not offsets:
        return []
    horizon = at + dt.timedelta(days=max(max(days) for days in offsets.values()) + 2)
    mailed_about = SentReminder.objects.filter(
        kind=ReminderKind.SEMINAR, status__in=[ReminderStatus.CLAIMED, ReminderStatus.SENT]
    ).values("object_id")
    scope = Seminar.objects.filter(starts_at__gt=at)
    if seminar_ids is not None:
        scope = scope.filter(pk__in=seminar_ids)
    seminars = list(
        scope.filter(
            Q(cancelled_at__isnull=True, starts_at__lte=horizon)
            | Q(cancelled_at__isnull=False)
            | Q(pk__in=mailed_about)
        ).only("pk", "programme_id", "starts_at", "ends_at", "place", "address", "cancelled_at")
    )
    if not seminars:
        return []
    ids = [seminar.pk for seminar in seminars]
    people = seminar_recipients(ids)
    history = SeminarHistory.of(ids)
    revisions = SeminarRevision.objects.in_bulk(ids)
    today = reminder_day(at)
    due: list[Due] = []
    for seminar in seminars:
        if seminar.cancelled_at is not None:
            everyone = people[seminar.pk] | history.mailed[seminar.pk]
            due += [Due(ReminderKind.SEMINAR, seminar.pk, person, CANCEL) for person in everyone]
            continue
        days_left = (local_date(seminar.starts_at) - today).days
        offset = window(days_left, offsets[seminar.programme_id])
        reminder = seminar_reminder_occasion(seminar, offset) if offset else None
        update = seminar_update_occasion(seminar, revisions.get(seminar.pk))
        fingerprint = seminar_fingerprint(seminar)
        # Everyone told the old time or place hears of the new (an invited team's members
        # too); only participants and local leads are reminded.
        for person in people[seminar.pk] | history.mailed[seminar.pk]:
            participant = person in people[seminar.pk]
            if reminder and participant and history.is_open(seminar.pk, person, reminder):
                # A reminder shows the current time and place (and says they changed, if they
                # did): no separate update is needed.
                due.append(Due(ReminderKind.SEMINAR, seminar.pk, person, reminder))
            elif history.shown_other_than(seminar.pk, person, fingerprint):
                due.append(Due(ReminderKind.SEMINAR, seminar.pk, person, update))
    return due


# Data ----------------------------------------------------------------------------------------


def data_period(at: dt.datetime) -> tuple[dt.date, dt.date]:
    """The month whose data is chased at `at` (the last complete one) and the reminder day."""
    today = reminder_day(at)
    return add_months(first_of_month(today), -1), today


def late_teams(programme_ids: Iterable[int], period: dt.date) -> dict[int, ImprovementTeam]:
    """Active teams of the programmes that lack a figure for `period`, by id.

    Required: every active indicator registered in the portal; a monthly one for the month
    itself, a quarterly one only when `period` closes a quarter, and then any month of it.
    """
    programme_ids = list(programme_ids)
    closes_quarter = period.month % 3 == 0
    required: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, programme_id, frequency in (
        Indicator.objects.filter(
            programme_id__in=programme_ids, is_active=True, data_source=DataSource.PORTAL
        )
        .order_by()
        .values_list("pk", "programme_id", "frequency")
    ):
        if frequency == Frequency.MONTHLY or closes_quarter:
            required[programme_id].append((pk, frequency))
    if not required:
        return {}
    quarter_start = add_months(period, -2) if closes_quarter else period
    registered: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    for team_id, indicator_id, period_start in (
        Measurement.objects.filter(
            team__programme_id__in=list(required),
            indicator__programme_id__in=list(required),
            period_start__gte=quarter_start,
            period_start__lte=period,
        )
        .order_by()
        .values_list("team_id", "indicator_id", "period_start")
    ):
        registered[team_id, indicator_id].add(period_start)
    teams = (
        ImprovementTeam.objects.filter(
            programme_id__in=list(required), status=ImprovementTeam.Status.ACTIVE
        )
        .select_related("region")
        .only("pk", "name", "programme_id", "region__name")
    )
    return {
        team.pk: team
        for team in teams
        if not all(
            has_figure(frequency, registered[team.pk, indicator_id], period)
            for indicator_id, frequency in required[team.programme_id]
        )
    }


def has_figure(frequency: str, months: set[dt.date], period: dt.date) -> bool:
    """A monthly indicator needs the month itself, a quarterly one any month of the quarter."""
    return period in months if frequency == Frequency.MONTHLY else bool(months)


def data_candidates(at: dt.datetime) -> list[Due]:
    period, today = data_period(at)
    before: dict[int, int] = {}  # programme → the window's offset
    after: list[int] = []
    for programme in Programme.objects.filter(status=Programme.Status.ACTIVE).only(
        "pk", "start_date", "end_date", "data_deadline_day", "data_reminder_days"
    ):
        if not programme.covers(period):
            continue
        days_left = (data_deadline(period, programme.data_deadline_day) - today).days
        if days_left < 0:
            after.append(programme.pk)
        elif offset := window(days_left, parse_reminder_days(programme.data_reminder_days)):
            before[programme.pk] = offset
    if not before and not after:
        return []
    late = late_teams([*before, *after], period)
    month = f"{period:%Y-%m}"
    due = [
        Due(ReminderKind.DATA, team_id, user_id, f"{month}:{before[late[team_id].programme_id]}d")
        for team_id, user_id in TeamMember.objects.filter(
            team_id__in=[pk for pk, team in late.items() if team.programme_id in before],
            user__is_active=True,
        )
        .order_by()
        .values_list("team_id", "user_id")
    ]
    overdue = [team for team in late.values() if team.programme_id in after]
    if overdue:
        due += [
            Due(ReminderKind.DATA_LATE, programme_id, user_id, month)
            for programme_id, user_id in late_list_recipients(overdue)
        ]
    return due


def late_list_recipients(teams: Iterable[ImprovementTeam]) -> set[tuple[int, int]]:
    """(programme, person): the national leads, and the coordinators of the teams' regions."""
    teams = list(teams)
    regions: dict[int, set[int]] = defaultdict(set)
    for team in teams:
        regions[team.region_id].add(team.programme_id)
    pairs = set(
        ProgrammeLead.objects.filter(
            programme_id__in={team.programme_id for team in teams}, user__is_active=True
        ).values_list("programme_id", "user_id")
    )
    for region_id, user_id in RegionalCoordinator.objects.filter(
        region_id__in=list(regions), user__is_active=True
    ).values_list("region_id", "user_id"):
        pairs |= {(programme_id, user_id) for programme_id in regions[region_id]}
    return pairs


# Milestones ----------------------------------------------------------------------------------

SUSTAINMENT_MONTHS = 3


def sustainment_occasion(end_date: dt.date) -> str:
    """Per end date: a programme that is prolonged is asked again before its new end."""
    return f"sustainment-plan-{end_date.isoformat()}"


def milestone_candidates(at: dt.datetime) -> list[Due]:
    today = reminder_day(at)
    leads = ProgrammeLead.objects.filter(
        programme__status=Programme.Status.ACTIVE,
        programme__end_date__gte=today,
        programme__end_date__lte=add_months(today, SUSTAINMENT_MONTHS),
        user__is_active=True,
    ).values_list("programme_id", "programme__end_date", "user_id")
    return [
        Due(ReminderKind.MILESTONE, programme_id, user_id, sustainment_occasion(end))
        for programme_id, end, user_id in leads
    ]
