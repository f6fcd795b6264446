"""Reads for the PDSA pages: a team's cycles with what the list shows, and the choices the form
and the filters offer (all within the team's programme)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from indicators.models import Indicator
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus
from teams.models import ImprovementTeam, PDSACycle


def team_cycles(team: ImprovementTeam) -> QuerySet[PDSACycle]:
    """The team's cycles, newest first, with idea, ramp and indicators (a fixed number of
    queries however many there are)."""
    return (
        PDSACycle.objects.filter(team=team)
        .select_related("change_idea", "builds_on", "inspired_by__team")
        .prefetch_related("indicators")
        .order_by("-started_on", "-id")
    )


def ideas_for_team(
    team: ImprovementTeam, current: ChangeIdea | None = None
) -> QuerySet[ChangeIdea]:
    """Ideas a cycle of the team may test: the programme's change package and the team's own
    proposals (and the idea the cycle tests already, whatever became of it)."""
    offered = Q(status=ChangeIdeaStatus.PACKAGE) | Q(
        status=ChangeIdeaStatus.PROPOSED, proposed_by_team=team
    )
    if current is not None:
        offered |= Q(pk=current.pk)
    return ChangeIdea.objects.filter(offered, programme_id=team.programme_id).order_by(
        "position", "title", "id"
    )


def indicators_for_team(team: ImprovementTeam) -> QuerySet[Indicator]:
    """The programme's active indicators, in their order."""
    return Indicator.objects.filter(programme_id=team.programme_id, is_active=True).order_by(
        "order", "name"
    )


def earlier_cycles(team: ImprovementTeam, cycle: PDSACycle | None) -> QuerySet[PDSACycle]:
    """The team's other cycles, which a cycle may build on (a ramp)."""
    cycles = PDSACycle.objects.filter(team=team).order_by("-started_on", "-id")
    return cycles.exclude(pk=cycle.pk) if cycle is not None and cycle.pk else cycles


def cycle_followers(cycle: PDSACycle) -> QuerySet[PDSACycle]:
    """The team's cycles that build on this one, and other teams' cycles inspired by it."""
    return (
        PDSACycle.objects.filter(Q(builds_on=cycle) | Q(inspired_by=cycle))
        .select_related("team")
        .order_by("started_on", "id")
    )
