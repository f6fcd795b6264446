"""The roles of people (accounts.roles) follow their posts: every change moves their version on."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.roles import roles_changed
from programmes.models import ExpertGroup, ExpertMember, ProgrammeLead, RegionalCoordinator


@receiver([post_save, post_delete], sender=ProgrammeLead)
@receiver([post_save, post_delete], sender=ExpertMember)
@receiver([post_save, post_delete], sender=RegionalCoordinator)
def _post_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    roles_changed([instance.user_id])


@receiver(post_save, sender=ExpertGroup)
def _expert_group_changed(sender: Any, instance: ExpertGroup, created: bool, **kwargs: Any) -> None:
    """An expert group moved to another programme moves its members' roles with it."""
    if not created:
        roles_changed(instance.members.values_list("user_id", flat=True))
