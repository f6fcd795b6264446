"""Reads for team pages that cross models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import roles_of, team_member_candidates
from core.text import one_line
from programmes.models import Organisation, Programme, Region
from teams.models import ImprovementTeam, PDSACycle, TeamMember

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


PICKER_RESULTS = 8  # a few at a time: the picker is a search, not a directory


def member_candidates(user: User, team: ImprovementTeam, query: str) -> list[User]:
    """The first few active people `user` may add to `team` whose name or e-mail matches every
    word of `query` (two characters at least); nobody for a shorter query."""
    words = one_line(query).split()  # a NUL or control character typed or posted is a space
    if len("".join(words)) < 2:
        return []
    people = User.objects.filter(is_active=True).exclude(team_memberships__team=team)
    for word in words[:5]:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    candidates = team_member_candidates(user, team, people)
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
    """The team's PDSA cycles, newest first, with the indicator each is aimed at."""
    return team.pdsa_cycles.select_related("indicator").order_by("-started_on", "-id")


def team_seminars(team: ImprovementTeam) -> QuerySet:
    """The seminars the team is invited to, in date order."""
    return team.seminars.order_by("starts_at")
