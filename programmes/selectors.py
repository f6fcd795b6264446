"""Reads for programme pages that cross models."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from lkt_portal.roles import roles_of
from programmes.models import Organisation, Programme


def programme_list(user: User) -> QuerySet[Programme]:
    """Every programme (their descriptions are public to signed-in users), with team counts."""
    return (
        Programme.objects.select_related("lead_region", "co_lead")
        .annotate(team_count=Count("teams", distinct=True))
        .order_by("name")
    )


@dataclass
class RegionTeams:
    region: object
    teams: list
    sectors: dict[str, int]


def teams_by_region(programme: Programme) -> list[RegionTeams]:
    """The programme's teams grouped by region, with how many organisations of each sector."""
    teams = (
        programme.teams.select_related("region")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("kind")))
        .annotate(member_count=Count("members"))
        .order_by("region__name", "name")
    )
    groups: dict[int, RegionTeams] = {}
    for team in teams:
        group = groups.setdefault(team.region_id, RegionTeams(team.region, [], defaultdict(int)))
        group.teams.append(team)
        for organisation in team.organisations.all():
            group.sectors[organisation.sector] += 1
    for group in groups.values():
        group.sectors = dict(group.sectors)
    return list(groups.values())


def my_work(user: User) -> dict:
    """What the signed-in person works on: programmes, teams and upcoming seminars."""
    from seminars.models import Seminar
    from teams.models import ImprovementTeam

    roles = roles_of(user)
    programmes = (
        Programme.objects.filter(Q(pk__in=roles.programmes) | Q(lead_region_id__in=roles.regions))
        .select_related("lead_region")
        .order_by("name")
    )
    teams = (
        ImprovementTeam.objects.filter(Q(pk__in=roles.teams) | Q(region_id__in=roles.regions))
        .select_related("programme", "region")
        .order_by("programme__name", "name")
    )
    seminars = (
        Seminar.objects.upcoming()
        .filter(
            Q(programme_id__in=roles.lead_programmes | roles.expert_programmes)
            | Q(invited_teams__in=roles.teams)
            | Q(invited_teams__region_id__in=roles.regions)
        )
        .select_related("programme")
        .distinct()
        .order_by("starts_at")[:10]
    )
    return {
        "roles": roles,
        "my_programmes": programmes,
        "my_teams": teams,
        "my_seminars": seminars,
        "now": timezone.now(),
    }
