"""The programmes a person may see (every signed-in user) or change (by the role matrix)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from programmes.models import Programme


def get_programme_for_user(user: User, pk: int, permission: str | None = None) -> Programme:
    """The programme, 404 when the user may not see it, 403 when `permission` is not held."""
    programme = get_object_or_404(Programme.objects.select_related("lead_region", "co_lead"), pk=pk)
    if not user.has_perm("programmes.view_programme", programme):
        raise Http404
    if permission and not user.has_perm(permission, programme):
        raise PermissionDenied
    return programme
