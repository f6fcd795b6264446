"""Who reaches the status pages: the steering group, coordinators, national leads, admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from indicators.models import Indicator
from programmes.models import Programme, Region
from status.selectors.overview import annotated_programmes

PERMISSION = "programmes.view_status_overview"


def require_status_access(user: User) -> None:
    """403 unless the person may read the national status overview."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def get_programme_for_status(user: User, pk: int, permission: str | None = None) -> Programme:
    """The programme with the overview's annotations; 403 without access, 404 when unknown."""
    require_status_access(user)
    programme = get_object_or_404(annotated_programmes(), pk=pk)
    if permission and not user.has_perm(permission, programme):
        raise PermissionDenied
    return programme


def get_indicator_for_status(user: User, pk: int) -> Indicator:
    require_status_access(user)
    return get_object_or_404(Indicator.objects.select_related("programme__lead_region"), pk=pk)


def get_region_for_status(user: User, pk: int) -> Region:
    require_status_access(user)
    return get_object_or_404(Region, pk=pk)
