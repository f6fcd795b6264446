"""Whom a person may administer, invite to what, and deactivate.

The permissions themselves (`accounts.invite_user`, `accounts.deactivate_user`, …) live in the role
matrix (`accounts/roles.py`); this module applies them to one person or one invitation target.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import roles_of
from accounts.services import reactivation_refusal
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


def deactivation_refusal(user: User, person: User) -> str | None:
    """Why `user` may not (de)activate `person`, in Danish; None when they may.

    An administrator may (de)activate anyone else. A regional coordinator only people whose every
    team lies in their region(s) and who hold no other role, since other roles reach beyond it.
    `person` must come from `administrable_users` (its annotations and prefetches are read
    here).
    """
    if person.pk == user.pk:
        return _("Du kan ikke deaktivere dig selv.")
    if not user.has_perm("accounts.deactivate_user"):
        return _("Kun administratorer og regionale tovholdere kan deaktivere brugere.")
    if user.is_superuser:
        return None
    if not person.is_active and (refusal := reactivation_refusal(person, user)):
        return refusal
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
