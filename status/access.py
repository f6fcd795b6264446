"""Who reaches the status pages: the steering group, coordinators, national leads, admins.

The pages show teams' results, so past the door they follow the data pages' rule
("indicators.view_team_data", as `indicators.access`): the steering group, coordinators and
administrators read every LKT; a national lead only their own (404 for another's).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import roles_of
from indicators.models import Indicator
from programmes.models import Programme, Region
from status.selectors.overview import annotated_programmes
from teams.models import ImprovementTeam

PERMISSION = "programmes.view_status_overview"
RESULTS = "indicators.view_team_data"


def require_status_access(user: User) -> None:
    """403 unless the person may read the national status overview."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def get_programme_for_status(
    user: User, pk: int, permission: str | None = None, *, annotated: bool = True
) -> Programme:
    """The programme, with the overview's annotations unless `annotated` is false (the status
    page, whose blocks are kept, reads them only when it renders them again); 403 without
    access, 404 when unknown."""
    require_status_access(user)
    programme = get_object_or_404(annotated_programmes() if annotated else Programme, pk=pk)
    if not user.has_perm(RESULTS, programme):
        raise Http404
    if permission and not user.has_perm(permission, programme):
        raise PermissionDenied
    return programme


def get_indicator_for_status(user: User, pk: int) -> Indicator:
    require_status_access(user)
    indicator = get_object_or_404(Indicator.objects.select_related("programme__lead_region"), pk=pk)
    if not user.has_perm(RESULTS, indicator.programme):
        raise Http404
    return indicator


def get_region_for_status(user: User, pk: int) -> Region:
    require_status_access(user)
    return get_object_or_404(Region, pk=pk)


def visible_teams(user: User, teams: QuerySet[ImprovementTeam]) -> QuerySet[ImprovementTeam]:
    """Those of `teams` whose results the person may read (a region's page spans LKTs)."""
    # Without an object the matrix answers for every programme at once (as `teams.selectors`).
    if user.has_perm(RESULTS):
        return teams
    return teams.filter(programme_id__in=roles_of(user).programmes)
