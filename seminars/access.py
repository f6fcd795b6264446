"""Seminars a person may see or manage, and whom they may register for one.

Every signed-in user sees every seminar (programme information is public); the participant list
follows `teams.view_teams` on the programme. Registering someone else needs
`seminars.register_participants` on the participant's team; a member of an invited team may
always register (and unregister) themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import roles_of
from seminars.models import Registration, Seminar
from teams.models import ImprovementTeam, TeamMember


def get_seminar_for_user(user: User, pk: int, permission: str | None = None) -> Seminar:
    """The seminar, 404 when the user may not see it, 403 when `permission` is not held."""
    seminar = get_object_or_404(
        Seminar.objects.select_related("programme", "programme__lead_region"), pk=pk
    )
    if not user.has_perm("programmes.view_programme", seminar.programme):
        raise Http404
    if permission and not user.has_perm(permission, seminar.programme):
        raise PermissionDenied
    return seminar


def registrable_teams(user: User, teams: list[ImprovementTeam]) -> list[ImprovementTeam]:
    """The teams among `teams` whose members the user may register for a seminar."""
    return [team for team in teams if user.has_perm("seminars.register_participants", team)]


def registration_choices(
    user: User, seminar: Seminar, invited: list[ImprovementTeam]
) -> QuerySet[TeamMember]:
    """Members of the invited teams the user may register: the teams they administer, and self."""
    managed = [team.pk for team in registrable_teams(user, invited)]
    own = [team.pk for team in invited if team.pk in roles_of(user).teams]
    if not managed and not own:
        return TeamMember.objects.none()
    return (
        TeamMember.objects.filter(Q(team_id__in=managed) | Q(team_id__in=own, user=user))
        .select_related("user", "team")
        .order_by("team__name", "user__first_name", "user__last_name", "user__email")
    )


def may_register(user: User, member: TeamMember) -> bool:
    """May the user register this team member (themselves, or as a registrar of the team)?"""
    return member.user_id == user.pk or user.has_perm("seminars.register_participants", member.team)


def may_unregister(user: User, registration: Registration) -> bool:
    """May the user withdraw this registration (their own, or one they could have made)?"""
    if registration.user_id == user.pk:
        return True
    target = registration.team if registration.team_id else registration.seminar
    return user.has_perm("seminars.register_participants", target)
