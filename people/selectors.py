"""Reads for the people pages: whom a person administers, what they may invite to, their roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Invitation, User
from accounts.roles import roles_of
from programmes.models import ExpertGroup, ExpertMember, ProgrammeLead, RegionalCoordinator
from teams.models import ImprovementTeam, TeamMember

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class PersonAnnotations(TypedDict):
        has_open_invitation: bool

    # A user as `administrable_users` gives them.
    Person: TypeAlias = WithAnnotations[User, PersonAnnotations]

# The statuses the user list can filter by.
ACTIVE, INVITED, EXPIRED, DEACTIVATED = "aktiv", "inviteret", "udloebet", "deaktiveret"


def administrable_users(user: User) -> QuerySet[Person]:
    """The people `user` may administer, with what the list and the deactivation rule need.

    An administrator: everyone. A regional coordinator: the members of teams in their region(s)
    and the people they invited who have not accepted yet. A national project lead: the people of
    their programme(s): team members, expert group and other leads.
    """
    people = User.objects.all()
    if not user.is_superuser:
        roles = roles_of(user)
        leads = roles.lead_programmes
        people = people.filter(
            Q(pk__in=TeamMember.objects.filter(team__region_id__in=roles.regions).values("user_id"))
            | Q(
                pk__in=Invitation.objects.filter(invited_by=user, used_at__isnull=True).values(
                    "user_id"
                )
            )
            | Q(pk__in=TeamMember.objects.filter(team__programme_id__in=leads).values("user_id"))
            | Q(pk__in=ExpertMember.objects.filter(group__programme_id__in=leads).values("user_id"))
            | Q(pk__in=ProgrammeLead.objects.filter(programme_id__in=leads).values("user_id"))
        )
    return people.annotate(
        has_open_invitation=Exists(Invitation.objects.open().filter(user=OuterRef("pk"))),
    ).prefetch_related(
        Prefetch(
            "led_programmes",
            queryset=ProgrammeLead.objects.select_related("programme").order_by("programme__name"),
        ),
        Prefetch(
            "coordinated_regions",
            queryset=RegionalCoordinator.objects.select_related("region").order_by("region__name"),
        ),
        Prefetch(
            "team_memberships",
            queryset=TeamMember.objects.select_related("team__programme").order_by(
                "team__programme__name", "team__name"
            ),
        ),
        Prefetch(
            "expert_memberships",
            queryset=ExpertMember.objects.select_related("group__programme").order_by(
                "group__programme__name"
            ),
        ),
    )


def user_list(user: User, *, query: str = "", status: str = "") -> QuerySet[Person]:
    """`administrable_users`, searched by name/e-mail (every word must match) and by status."""
    people = administrable_users(user)
    for word in query.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    never_accepted = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if status == ACTIVE:
        people = people.filter(is_active=True)
    elif status == INVITED:
        people = people.filter(is_active=False, has_open_invitation=True)
    elif status == EXPIRED:
        people = people.filter(never_accepted, is_active=False, has_open_invitation=False)
    elif status == DEACTIVATED:
        people = people.filter(~never_accepted, is_active=False)
    return people.order_by("first_name", "last_name", "email")


def status_of(person: Person) -> str:
    """One of ACTIVE, INVITED, EXPIRED, DEACTIVATED (needs `has_open_invitation`)."""
    if person.is_active:
        return ACTIVE
    if person.has_open_invitation:
        return INVITED
    return DEACTIVATED if person.has_usable_password() else EXPIRED


def invite_targets(user: User) -> tuple[QuerySet[ImprovementTeam], QuerySet[ExpertGroup]]:
    """The teams and expert groups `user` may add people to (the role matrix as querysets)."""
    teams = ImprovementTeam.objects.select_related("programme", "region").order_by(
        "programme__name", "region__name", "name"
    )
    groups = ExpertGroup.objects.select_related("programme").order_by("programme__name")
    if not user.is_superuser:
        roles = roles_of(user)
        teams = teams.filter(
            Q(region_id__in=roles.regions) | Q(programme_id__in=roles.lead_programmes)
        )
        groups = groups.filter(programme_id__in=roles.lead_programmes)
    return teams, groups


def roles_overview(user: User) -> dict:
    """What a person is attached to, for their profile page."""
    return {
        "led_programmes": ProgrammeLead.objects.filter(user=user)
        .select_related("programme", "organisation")
        .order_by("programme__name"),
        "coordinated_regions": RegionalCoordinator.objects.filter(user=user)
        .select_related("region")
        .order_by("region__name"),
        "team_memberships": TeamMember.objects.filter(user=user)
        .select_related("team__programme", "team__region", "organisation")
        .order_by("team__programme__name", "team__name"),
        "expert_memberships": ExpertMember.objects.filter(user=user)
        .select_related("group__programme", "organisation")
        .order_by("group__programme__name"),
    }
