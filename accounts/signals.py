"""Authentication signals → the security trail; permission changes → the roles' version."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from accounts.models import SecurityEvent, User
from accounts.roles import roles_changed
from accounts.security import record
from accounts.two_factor import HAS_DEVICE_KEY, has_device


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(SecurityEvent.Kind.LOGIN, request, user=user)
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session["lkt_login_at"] = session["lkt_last_seen"] = now
        session[HAS_DEVICE_KEY] = has_device(user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(SecurityEvent.Kind.LOGOUT, request, user=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    record(SecurityEvent.Kind.LOGIN_FAILED, request, username=credentials.get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str = "", **kwargs: Any) -> None:
    record(SecurityEvent.Kind.LOCKED_OUT, request, username=username or "")


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    """A person's model permissions or groups changed (the admin): their cached ones are stale."""
    if action.startswith("post_"):
        roles_changed(pk_set or () if reverse else [instance.pk])


@receiver(m2m_changed, sender=Group.permissions.through)
def _group_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    """A group's permissions changed: so did those of everyone in it."""
    if action.startswith("post_"):
        groups = Group.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
        roles_changed(User.objects.filter(groups__in=groups).values_list("pk", flat=True))
