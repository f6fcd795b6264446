"""The teams and PDSA cycles a person may read (everyone in the programme) or write (the team's
own members), by the role matrix: 404 outside the programme, 403 for a reader who would write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from teams.models import ImprovementTeam, PDSACycle


def get_pdsa_team_for_user(user: User, pk: int, *, write: bool = False) -> ImprovementTeam:
    """The team whose cycles the user reads (404 otherwise), or writes (`write`; 403)."""
    team = get_object_or_404(ImprovementTeam.objects.select_related("programme", "region"), pk=pk)
    if not user.has_perm("teams.view_pdsa", team):
        raise Http404
    if write and not user.has_perm("teams.change_pdsa", team):
        raise PermissionDenied
    return team


def get_cycle_for_user(user: User, team_pk: int, pk: int, *, write: bool = False) -> PDSACycle:
    """One cycle of the team, as `get_pdsa_team_for_user` allows; 404 for another team's."""
    team = get_pdsa_team_for_user(user, team_pk, write=write)
    cycle = get_object_or_404(
        PDSACycle.objects.select_related("change_idea", "builds_on", "inspired_by__team"),
        pk=pk,
        team=team,
    )
    cycle.team = team
    return cycle
