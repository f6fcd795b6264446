"""The roles of people (accounts.roles) follow their team memberships."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.roles import roles_changed
from teams.models import ImprovementTeam, TeamMember


@receiver([post_save, post_delete], sender=TeamMember)
def _membership_changed(sender: Any, instance: TeamMember, **kwargs: Any) -> None:
    roles_changed([instance.user_id])


@receiver(post_save, sender=ImprovementTeam)
def _team_changed(sender: Any, instance: ImprovementTeam, created: bool, **kwargs: Any) -> None:
    """A team moved to another programme moves its members' roles with it."""
    if not created:
        roles_changed(instance.members.values_list("user_id", flat=True))
