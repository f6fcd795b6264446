"""The programme whose driver diagram a person may read (404 outside the programme) or edit
(403 for readers), by the role matrix ("learning.view_diagram", "learning.change_diagram")."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from programmes.models import Programme
from programmes.models.changes import ChangeIdea, Driver


def get_diagram_programme(user: User, pk: int, *, change: bool = False) -> Programme:
    """The programme, 404 when the person may not read its diagram, 403 when `change` is asked
    and not held."""
    programme = get_object_or_404(Programme.objects.select_related("lead_region"), pk=pk)
    if not user.has_perm("learning.view_diagram", programme):
        raise Http404
    if change and not user.has_perm("learning.change_diagram", programme):
        raise PermissionDenied
    return programme


def get_driver(programme: Programme, pk: int) -> Driver:
    return get_object_or_404(Driver.objects.select_related("parent"), pk=pk, programme=programme)


def get_idea(programme: Programme, pk: int) -> ChangeIdea:
    return get_object_or_404(
        ChangeIdea.objects.select_related("driver__parent", "proposed_by_team"),
        pk=pk,
        programme=programme,
    )
