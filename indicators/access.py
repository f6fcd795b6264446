"""Access to a team's data: open inside the team's programme, closed outside it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from indicators.models import Indicator
from teams.models import ImprovementTeam


def get_team_for_data(user: User, pk: int, permission: str | None = None) -> ImprovementTeam:
    """The team, 404 when its data is hidden from the user, 403 when `permission` is missing."""
    team = get_object_or_404(ImprovementTeam.objects.select_related("programme", "region"), pk=pk)
    if not user.has_perm("indicators.view_team_data", team):
        raise Http404
    if permission and not user.has_perm(permission, team):
        raise PermissionDenied
    return team


def get_indicator_for_user(user: User, pk: int, permission: str | None = None) -> Indicator:
    """The indicator, 404 unless its programme's results are open to the user (its chart changes
    name teams and reasons); 403 when `permission` (on its programme) is missing."""
    indicator = get_object_or_404(Indicator.objects.select_related("programme"), pk=pk)
    if not user.has_perm("indicators.view_team_data", indicator.programme):
        raise Http404
    if permission and not user.has_perm(permission, indicator.programme):
        raise PermissionDenied
    return indicator
