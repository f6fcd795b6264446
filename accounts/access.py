"""Which invitation a link belongs to (whom a person may administer: `people/access.py`)."""

from __future__ import annotations

from accounts.models import Invitation


def get_invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, or None for an unknown token."""
    return (
        Invitation.objects.select_related("user", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
