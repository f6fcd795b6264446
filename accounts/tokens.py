"""Personal access tokens for the API and secret calendar addresses: made, found, revoked.

A secret is shown once, when it is made; only its SHA-256 hash is stored. Looking a secret up
compares hashes in the database (an index lookup), so no timing of string comparisons leaks it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessToken, CalendarFeed, User

SECRET_BYTES = 32  # 256 bits


def _new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(SECRET_BYTES)


@transaction.atomic
def token_create(*, user: User, name: str, scope: str, days: int) -> tuple[AccessToken, str]:
    """A new token for `user`; returns it with its secret, which is not stored anywhere."""
    if not 1 <= days <= AccessToken.MAX_DAYS:
        raise ValidationError(
            {"days": _("Vælg mellem 1 og %(max)d dage.") % {"max": AccessToken.MAX_DAYS}}
        )
    secret = _new_secret(AccessToken.PREFIX)
    token = AccessToken(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=secret[: AccessToken.SHOWN],
        token_hash=AccessToken.hash_token(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, secret


def token_revoke(*, token: AccessToken) -> None:
    """Revoke the token for good (it stays in the list, marked revoked)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_for_secret(secret: str) -> AccessToken | None:
    """The usable token with this secret (its person loaded), noting its use; else None."""
    if not secret.startswith(AccessToken.PREFIX) or len(secret) > 200:
        return None
    token = (
        AccessToken.objects.usable()
        .select_related("user")
        .filter(token_hash=AccessToken.hash_token(secret))
        .first()
    )
    if token is not None:
        _note_use(token)
    return token


# Last use is shown to the minute: a client asking many times a minute writes it once a minute.
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)


def _note_use(token: AccessToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_RESOLUTION:
        return
    # An update, not a save: last use is not a change the audit trail should list.
    token.last_used_at = now
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new secret calendar address for `user`; the earlier ones stop working."""
    calendar_feed_revoke(user=user)
    secret = _new_secret()
    feed = CalendarFeed.objects.create(
        user=user, prefix=secret[:8], token_hash=AccessToken.hash_token(secret)
    )
    return feed, secret


def calendar_feed_revoke(*, user: User) -> None:
    """Every calendar address of `user` stops working."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_feed_for_secret(secret: str) -> CalendarFeed | None:
    """The live calendar address with this secret, its person active; noting its use."""
    if len(secret) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(
            token_hash=AccessToken.hash_token(secret),
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )
    if feed is not None:
        feed.last_used_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=feed.last_used_at)
    return feed
