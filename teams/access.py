"""The teams a person may see (inside their programmes) or change (by the role matrix)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from teams.models import ImprovementTeam, TeamMember


def get_team_for_user(user: User, pk: int, permission: str | None = None) -> ImprovementTeam:
    """The team, 404 when the user may not see it, 403 when `permission` is not held."""
    team = get_object_or_404(ImprovementTeam.objects.select_related("programme", "region"), pk=pk)
    if not user.has_perm("teams.view_teams", team):
        raise Http404
    if permission and not user.has_perm(permission, team):
        raise PermissionDenied
    return team


def get_member_for_user(user: User, team_pk: int, member_pk: int) -> TeamMember:
    """A member of a team whose members the user may manage (404 / 403 as for the team)."""
    team = get_team_for_user(user, team_pk, "teams.manage_team_members")
    member = get_object_or_404(TeamMember.objects.select_related("user"), pk=member_pk, team=team)
    member.team = team
    return member
