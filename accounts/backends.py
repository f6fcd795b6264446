"""Login throttling (django-axes) for web requests; Django's model permissions, cached."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from accounts.roles import per_roles_version


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, skipped where there is no web request (shell, tests' client.login).

    Only requests can be throttled by address; a caller without one is our own code.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class CachedModelBackend(ModelBackend):
    """Django's model permissions (given in the admin), read once per version of the person's
    posts and permissions rather than in two queries on every request that asks a question the
    role matrix answers no to (the navigation asks several). `accounts.signals` moves the
    version on when a person's permissions or groups, or a group's permissions, change."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        asked = user_obj.is_active and not user_obj.is_anonymous and obj is None
        if asked and not hasattr(user_obj, "_perm_cache"):
            load = super().get_all_permissions
            user_obj._perm_cache = per_roles_version(user_obj, "perms", lambda: load(user_obj))
        return super().get_all_permissions(user_obj, obj)
