"""Reads for team pages that cross models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import roles_of, team_member_candidates
from accounts.search import PICKER_RESULTS, people_matching
from core.months import first_of_month, months
from programmes.models import Organisation, Programme, Region
from teams.models import (
    RATING_GAP,
    ImprovementTeam,
    MonthlyNote,
    PDSACycle,
    ProgressScore,
    TeamMember,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Headings for a team's organisations, in the order a cross-sector team reads: hospital first.
SECTOR_HEADINGS: dict[str, StrOrPromise] = {
    "regional": _("Region og hospital"),
    "municipal": _("Kommune"),
    "primary": _("Almen praksis"),
}


@dataclass
class SectorOrganisations:
    sector: str
    heading: StrOrPromise
    organisations: list[Organisation]


def team_list(user: User) -> QuerySet[ImprovementTeam]:
    """The teams the user may see, with programme, region, organisations and number of members."""
    teams = (
        ImprovementTeam.objects.select_related("programme", "region")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .annotate(member_count=Count("members", distinct=True))
        .order_by("programme__name", "region__name", "name")
    )
    # Without an object the matrix answers for every programme at once: administrators,
    # steering group members and coordinators read all teams; others those of their programmes.
    if not user.has_perm("teams.view_teams"):
        teams = teams.filter(programme_id__in=roles_of(user).programmes)
    return teams


def programmes_with_visible_teams(user: User) -> QuerySet[Programme]:
    """The programmes whose teams the user may see: the choices of the team list's filter."""
    programmes = Programme.objects.order_by("name")
    if not user.has_perm("teams.view_teams"):
        programmes = programmes.filter(pk__in=roles_of(user).programmes)
    return programmes


def regions_for_new_team(user: User, programme: Programme) -> list[Region]:
    """The regions the user may create a team of `programme` in: where they may change it."""
    return [
        region
        for region in Region.objects.order_by("name")
        if user.has_perm("teams.change_team", ImprovementTeam(programme=programme, region=region))
    ]


def team_members(team: ImprovementTeam) -> QuerySet[TeamMember]:
    """The team's members, local project leads first, then by name."""
    lead_first = Case(
        When(role=TeamMember.Role.LOCAL_LEAD, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        team.members.select_related("user", "organisation")
        .annotate(lead_first=lead_first)
        .order_by("lead_first", "user__first_name", "user__last_name", "user__email")
    )


def member_candidates(user: User, team: ImprovementTeam, query: str) -> list[User]:
    """The first few active people `user` may add to `team` whose name or e-mail matches every
    word of `query` (two characters at least); nobody for a shorter query."""
    people = User.objects.filter(is_active=True).exclude(team_memberships__team=team)
    candidates = team_member_candidates(user, team, people_matching(people, query))
    return list(candidates.order_by("first_name", "last_name", "email")[:PICKER_RESULTS])


def team_organisations_by_sector(team: ImprovementTeam) -> list[SectorOrganisations]:
    """The team's organisations grouped by sector (hospital, municipality, practice)."""
    groups: dict[str, list[Organisation]] = {sector: [] for sector in SECTOR_HEADINGS}
    for organisation in team.organisations.order_by("kind", "name"):
        groups.setdefault(organisation.sector, []).append(organisation)
    return [
        SectorOrganisations(sector, SECTOR_HEADINGS.get(sector, sector), organisations)
        for sector, organisations in groups.items()
        if organisations
    ]


def team_pdsa_cycles(team: ImprovementTeam) -> QuerySet[PDSACycle]:
    """The team's PDSA cycles, newest first, with the indicators each is aimed at."""
    return team.pdsa_cycles.prefetch_related("indicators").order_by("-started_on", "-id")


def team_seminars(team: ImprovementTeam) -> QuerySet:
    """The seminars the team is invited to, in date order."""
    return team.seminars.order_by("starts_at")


# --- The monthly report ---------------------------------------------------------------------

# The teams expected to report each month; paused, withdrawn and completed teams are not.
REPORTING_STATUSES = (ImprovementTeam.Status.FORMING, ImprovementTeam.Status.ACTIVE)


@dataclass
class MonthlyReport:
    """One team's month: its own score, the expert group's score and its note (each or None)."""

    team: ImprovementTeam
    month: dt.date
    own: ProgressScore | None = None
    expert: ProgressScore | None = None
    note: MonthlyNote | None = None

    @property
    def reported(self) -> bool:
        """The team's monthly report is its own score together with its note."""
        return self.own is not None and self.note is not None

    @property
    def gap(self) -> Decimal | None:
        if self.own is None or self.expert is None:
            return None
        return abs(self.own.score - self.expert.score)

    @property
    def to_discuss(self) -> bool:
        """A whole point or more between the two scores: for the next seminar."""
        return self.gap is not None and self.gap >= RATING_GAP


def reportable_months(programme: Programme) -> list[dt.date]:
    """The months a report or score can be given for: the programme's, up to the current one."""
    today = timezone.localdate()
    last = min(first_of_month(programme.end_date), first_of_month(today))
    return months(programme.start_date, last) if last >= programme.start_date.replace(day=1) else []


def teams_without_monthly_report(
    month: dt.date, teams: QuerySet[ImprovementTeam] | None = None
) -> QuerySet[ImprovementTeam]:
    """Of `teams` (all teams by default), those expected to report that have not given both
    their own score and their note for `month` (the first of a month). One query."""
    teams = ImprovementTeam.objects.all() if teams is None else teams
    own = ProgressScore.objects.filter(
        team=OuterRef("pk"), month=month, rater=ProgressScore.Rater.TEAM
    )
    note = MonthlyNote.objects.filter(team=OuterRef("pk"), month=month)
    return (
        teams.filter(status__in=REPORTING_STATUSES)
        .annotate(has_own_score=Exists(own), has_note=Exists(note))
        .filter(Q(has_own_score=False) | Q(has_note=False))
    )


def teams_without_expert_score(
    month: dt.date, teams: QuerySet[ImprovementTeam] | None = None
) -> QuerySet[ImprovementTeam]:
    """Of `teams` (all teams by default), those expected to report that the expert group has
    not scored for `month` (the first of a month). One query."""
    teams = ImprovementTeam.objects.all() if teams is None else teams
    expert = ProgressScore.objects.filter(
        team=OuterRef("pk"), month=month, rater=ProgressScore.Rater.EXPERT
    )
    return teams.filter(status__in=REPORTING_STATUSES).exclude(Exists(expert))


def programme_monthly_reports(programme: Programme, month: dt.date) -> list[MonthlyReport]:
    """Every team of the programme expected to report (or that did) for `month`. Three queries."""
    scores = ProgressScore.objects.filter(team__programme=programme, month=month)
    notes = MonthlyNote.objects.filter(team__programme=programme, month=month)
    reports = {
        team.pk: MonthlyReport(team, month)
        for team in programme.teams.select_related("region").order_by("region__name", "name")
    }
    for score in scores:
        report = reports[score.team_id]
        setattr(report, "own" if score.rater == ProgressScore.Rater.TEAM else "expert", score)
    for note in notes:
        reports[note.team_id].note = note
    return [
        r
        for r in reports.values()
        if r.team.status in REPORTING_STATUSES or r.own or r.expert or r.note
    ]


def programme_rating_gaps(programme: Programme, months: list[dt.date]) -> list[MonthlyReport]:
    """The months of `months` in which a team's own score and the expert group's differ by a
    whole point or more, newest first: the conversations for the next seminar. One query."""
    reports: dict[tuple[int, dt.date], MonthlyReport] = {}
    scores = ProgressScore.objects.filter(
        team__programme=programme, month__in=months
    ).select_related("team")
    for score in scores:
        report = reports.setdefault(
            (score.team_id, score.month), MonthlyReport(score.team, score.month)
        )
        setattr(report, "own" if score.rater == ProgressScore.Rater.TEAM else "expert", score)
    gaps = [r for r in reports.values() if r.to_discuss]
    return sorted(gaps, key=lambda r: (-r.month.toordinal(), r.team.name))


def team_monthly_reports(team: ImprovementTeam) -> list[MonthlyReport]:
    """The team's months with a score or a note, newest first. Two queries."""
    reports: dict[dt.date, MonthlyReport] = {}
    for score in team.progress_scores.select_related("set_by"):
        report = reports.setdefault(score.month, MonthlyReport(team, score.month))
        setattr(report, "own" if score.rater == ProgressScore.Rater.TEAM else "expert", score)
    for note in team.monthly_notes.all():
        reports.setdefault(note.month, MonthlyReport(team, note.month)).note = note
    return sorted(reports.values(), key=lambda r: r.month, reverse=True)
