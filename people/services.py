"""Inviting a person into a team or an expert group: the membership, and a user when they are new.

This lives above `accounts`, `programmes` and `teams` because it writes to all three; the
invitation link itself and its e-mail are `accounts.services.issue_invitation`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Invitation, User
from accounts.roles import forget_roles
from accounts.services import absolute_url, issue_invitation, mail_on_commit
from programmes.models import ExpertGroup, ExpertMember, Organisation
from programmes.services import check_one_chair, lock_expert_group
from teams.models import ImprovementTeam, TeamMember
from teams.services import team_member_refusal

InviteTarget = ImprovementTeam | ExpertGroup


@dataclass(frozen=True)
class InviteResult:
    person: User
    invitation: Invitation | None  # None: an active user was attached directly

    @property
    def was_attached(self) -> bool:
        return self.invitation is None


def describe_target(target: InviteTarget, role: str) -> str:
    """“teamet X i KOL som teammedlem”: what a person is invited to, for e-mails and pages."""
    if isinstance(target, ImprovementTeam):
        return _("teamet %(team)s i %(programme)s som %(role)s") % {
            "team": target.name,
            "programme": target.programme.name,
            "role": str(TeamMember.Role(role).label).lower(),
        }
    return _("ekspertgruppen for %(programme)s som %(role)s") % {
        "programme": target.programme.name,
        "role": str(ExpertMember.Role(role).label).lower(),
    }


@transaction.atomic
def user_invite(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    target: InviteTarget,
    role: str,
    sector: str = "",
    organisation: Organisation | None = None,
    site_url: str,
) -> InviteResult:
    """Attach a person to a team or expert group, inviting them by e-mail when they are new.

    An active user is attached at once and told so by e-mail. Anyone else gets an inactive user
    with an unusable password, the membership, and an invitation link valid for 14 days.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    person = User.objects.select_for_update().filter(email__iexact=email).first()
    if person is not None and not person.is_active and person.has_usable_password():
        raise ValidationError(
            {
                "email": _(
                    "%(person)s er deaktiveret i portalen. Personen skal genaktiveres (under "
                    "Brugere), før du kan tilføje dem."
                )
                % {"person": person}
            }
        )
    if person is None:
        person = User(email=email, first_name=first_name, last_name=last_name, is_active=False)
        person.set_unusable_password()
        person.full_clean()
        person.save()
    _add_membership(
        person=person, target=target, role=role, sector=sector, organisation=organisation, by=by
    )
    with translation.override(settings.LANGUAGE_CODE):  # stored, and mailed, in Danish
        described = describe_target(target, role)
    if person.is_active:
        mail_on_commit(
            person,
            subject=gettext_lazy("Du er tilføjet i LKT-portalen"),
            template="accounts/added_email.txt",
            context={"inviter": by, "invited_to": described,
                     "link": absolute_url(site_url, reverse("login"))},
        )  # fmt: skip
        return InviteResult(person=person, invitation=None)
    invitation = issue_invitation(person=person, by=by, invited_to=described, site_url=site_url)
    return InviteResult(person=person, invitation=invitation)


def _add_membership(
    *,
    person: User,
    target: InviteTarget,
    role: str,
    sector: str,
    organisation: Organisation | None,
    by: User,
) -> None:
    member: TeamMember | ExpertMember
    if isinstance(target, ImprovementTeam):
        if TeamMember.objects.filter(team=target, user=person).exists():
            raise ValidationError(
                {"email": _("%(person)s er allerede med i teamet %(team)s.")
                 % {"person": person, "team": target.name}}
            )  # fmt: skip
        member = TeamMember(team=target, user=person, role=role, organisation=organisation)
        refusal = team_member_refusal(member, by=by)  # the role matrix's rule for adding
        if refusal:
            raise ValidationError({"email": refusal})
    else:
        lock_expert_group(target)
        if ExpertMember.objects.filter(group=target, user=person).exists():
            raise ValidationError(
                {"email": _("%(person)s er allerede med i ekspertgruppen for %(programme)s.")
                 % {"person": person, "programme": target.programme.name}}
            )  # fmt: skip
        check_one_chair(target, role)
        member = ExpertMember(
            group=target, user=person, role=role, sector=sector, organisation=organisation
        )
    member.full_clean()
    member.save()
    forget_roles(person)
