"""Whom a person may deactivate, and which invitation a link belongs to.

The permissions themselves (`accounts.invite_user`, `accounts.deactivate_user`, …) live in the role
matrix (`accounts/roles.py`); this module applies them to one person.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from accounts.roles import roles_of


def deactivation_refusal(user: User, person: User) -> str | None:
    """Why `user` may not (de)activate `person`, in Danish; None when they may.

    An administrator may (de)activate anyone else. A regional coordinator only people whose every
    team lies in their region(s) and who hold no other role, since other roles reach beyond it.
    `person` must come from `people.selectors.administrable_users` (its annotations and
    prefetches are read here).
    """
    if person.pk == user.pk:
        return _("Du kan ikke deaktivere dig selv.")
    if not user.has_perm("accounts.deactivate_user"):
        return _("Kun administratorer og regionale tovholdere kan deaktivere brugere.")
    if user.is_superuser:
        return None
    regions = roles_of(user).regions
    outside = [
        m.team.name for m in person.team_memberships.all() if m.team.region_id not in regions
    ]
    reasons = [
        (person.is_superuser or person.is_staff, _("%(person)s er administrator.")),
        (person.is_steering_group_member, _("%(person)s er medlem af styregruppen.")),
        (bool(person.led_programmes.all()), _("%(person)s er national projektleder.")),
        (bool(person.coordinated_regions.all()), _("%(person)s er regional tovholder.")),
        (bool(person.expert_memberships.all()), _("%(person)s er medlem af en ekspertgruppe.")),
        (bool(outside), _("%(person)s er også med i teams uden for din region (%(teams)s).")),
    ]
    for applies, reason in reasons:
        if applies:
            values = {"person": person, "teams": ", ".join(outside)}
            return f"{reason % values} {_('Kun en administrator kan ændre det.')}"
    return None


def get_invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, or None for an unknown token."""
    return (
        Invitation.objects.select_related("user", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
