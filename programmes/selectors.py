"""Reads for programme pages that cross models."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import User
from accounts.search import PICKER_RESULTS, people_matching
from programmes.models import ExpertGroup, Organisation, Programme


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
        programme.teams.select_related("region", "sustainment_plan")
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


def expert_candidates(group: ExpertGroup, query: str) -> list[User]:
    """The first few active people outside the expert group whose name or e-mail matches every
    word of `query` (two characters at least); nobody for a shorter query."""
    people = User.objects.filter(is_active=True).exclude(expert_memberships__group=group)
    return list(people_matching(people, query)[:PICKER_RESULTS])


def sustainment_summary(programme: Programme) -> dict[str, object]:
    """The national plan's state and how many of the teams' plans are approved (the plans are
    reached through their relation: programmes imports no teams)."""
    plans = list(programme.sustainment_plans.values_list("team_id", "state"))
    return {
        "national": next((state for team, state in plans if team is None), None),
        "approved": sum(1 for team, state in plans if team is not None and state == "approved"),
        "teams": programme.teams.count(),
        "next_review": programme.sustainment_reviews.filter(held_on__isnull=True)
        .order_by("due_on")
        .first(),
    }
