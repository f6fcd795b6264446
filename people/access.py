"""Whom a person may administer and invite to what (the role matrix applied to one target)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from people.selectors import administrable_users
from people.services import InviteTarget
from teams.models import ImprovementTeam


def get_person_for_user(user: User, pk: int) -> User:
    """A person `user` may administer (with the facts `deactivation_refusal` needs), else 404."""
    if not user.has_perm("accounts.invite_user"):
        raise PermissionDenied
    person = administrable_users(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def check_may_invite_to(user: User, target: InviteTarget) -> None:
    """403 unless `user` may add members to the team or expert group."""
    if isinstance(target, ImprovementTeam):
        allowed = user.has_perm("teams.manage_team_members", target)
    else:
        allowed = user.has_perm("programmes.manage_expert_group", target.programme)
    if not allowed:
        raise PermissionDenied
