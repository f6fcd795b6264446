"""The learning library's objects for a person: the programme (404 outside it), the cycle or idea
to try too (404 when not of that programme), and the person's own teams in the programme."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import roles_of
from programmes.models import ChangeIdea, ChangeIdeaStatus, Programme
from teams.models import ImprovementTeam, PDSACycle, PDSAState


def get_library_for_user(user: User, pk: int) -> Programme:
    """The programme whose library the person may read, else 404."""
    programme = get_object_or_404(Programme.objects.select_related("lead_region"), pk=pk)
    if not user.has_perm("learning.view_library", programme):
        raise Http404
    return programme


def own_teams(user: User, programme: Programme) -> list[ImprovementTeam]:
    """The teams of the programme the person is a member of (whose cycles they write)."""
    if not roles_of(user).teams:
        return []
    return list(
        ImprovementTeam.objects.filter(programme=programme, pk__in=roles_of(user).teams).order_by(
            "name"
        )
    )


def get_learned_cycle(programme: Programme, pk: int) -> PDSACycle:
    """A studied or decided cycle of the programme (those the library shows), else 404."""
    return get_object_or_404(
        PDSACycle.objects.select_related("team", "change_idea"),
        pk=pk,
        team__programme=programme,
        state__in=[PDSAState.STUDIED, PDSAState.DECIDED],
    )


def get_library_idea(programme: Programme, pk: int) -> ChangeIdea:
    """A change idea the library shows, else 404."""
    return get_object_or_404(
        ChangeIdea.objects.exclude(status=ChangeIdeaStatus.DECLINED), pk=pk, programme=programme
    )
