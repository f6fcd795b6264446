"""Writes for people: invite to a team or expert group, accept an invitation, (de)activate.

Invitation e-mails go out with `send_mail` once the transaction commits; a failing mail server is
logged (`robust=True`) rather than undoing an invitation that is already saved.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Invitation, User
from lkt_portal.roles import forget_roles
from programmes.models import ExpertGroup, ExpertMember
from teams.models import ImprovementTeam, TeamMember

logger = logging.getLogger(__name__)

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
    _add_membership(person=person, target=target, role=role, sector=sector)
    with translation.override(settings.LANGUAGE_CODE):  # stored, and mailed, in Danish
        described = describe_target(target, role)
    if person.is_active:
        _mail_on_commit(
            person,
            subject=gettext_lazy("Du er tilføjet i LKT-portalen"),
            template="accounts/added_email.txt",
            context={"inviter": by, "invited_to": described,
                     "link": _absolute(site_url, reverse("login"))},
        )  # fmt: skip
        return InviteResult(person=person, invitation=None)
    invitation = _issue_invitation(person=person, by=by, invited_to=described, site_url=site_url)
    return InviteResult(person=person, invitation=invitation)


@transaction.atomic
def invitation_resend(*, person: User, by: User, site_url: str) -> Invitation:
    """A fresh link for someone who has not accepted yet; earlier links keep working."""
    if person.is_active or person.has_usable_password():
        raise ValidationError(
            _("%(person)s har allerede en adgangskode og skal ikke inviteres igen.")
            % {"person": person}
        )
    latest = person.invitations.first()
    invited_to = latest.invited_to if latest else _("LKT-portalen")
    return _issue_invitation(person=person, by=by, invited_to=invited_to, site_url=site_url)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the invited person's password, activate them and use up their open invitations."""
    locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not locked.can_be_accepted:
        raise ValidationError(_("Invitationen kan ikke længere bruges."))
    person = locked.user
    person.set_password(password)
    person.is_active = True
    person.save(update_fields=["password", "is_active"])
    Invitation.objects.open().filter(user=person).update(used_at=timezone.now())
    return person


@transaction.atomic
def user_deactivate(*, person: User, by: User) -> None:
    """Close the person's access (memberships and history stay) and withdraw open invitations."""
    if person.pk == by.pk:
        raise ValidationError(_("Du kan ikke deaktivere dig selv."))
    User.objects.filter(pk=person.pk).update(is_active=False)
    Invitation.objects.open().filter(user=person).update(expires_at=timezone.now())
    person.is_active = False


@transaction.atomic
def user_reactivate(*, person: User, by: User) -> None:
    """Open a deactivated person's access again; people who never accepted get a new invitation."""
    if not person.has_usable_password():
        raise ValidationError(
            _("%(person)s har aldrig oprettet en adgangskode. Send en ny invitation i stedet.")
            % {"person": person}
        )
    User.objects.filter(pk=person.pk).update(is_active=True)
    person.is_active = True


def _add_membership(*, person: User, target: InviteTarget, role: str, sector: str) -> None:
    if isinstance(target, ImprovementTeam):
        if TeamMember.objects.filter(team=target, user=person).exists():
            raise ValidationError(
                {"email": _("%(person)s er allerede med i teamet %(team)s.")
                 % {"person": person, "team": target.name}}
            )  # fmt: skip
        member = TeamMember(team=target, user=person, role=role)
    else:
        if ExpertMember.objects.filter(group=target, user=person).exists():
            raise ValidationError(
                {"email": _("%(person)s er allerede med i ekspertgruppen for %(programme)s.")
                 % {"person": person, "programme": target.programme.name}}
            )  # fmt: skip
        if role == ExpertMember.Role.CHAIR and target.members.filter(role=role).exists():
            raise ValidationError(
                {"role": _("Ekspertgruppen har allerede en formand. Vælg rollen medformand, "
                           "eller skift formanden under ekspertgruppen først.")}
            )  # fmt: skip
        member = ExpertMember(group=target, user=person, role=role, sector=sector)
    member.full_clean()
    member.save()
    forget_roles(person)


def _issue_invitation(*, person: User, by: User, invited_to: str, site_url: str) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        user=person,
        invited_by=by,
        invited_to=invited_to[:300],
        token_hash=Invitation.hash_token(token),
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    link = _absolute(site_url, reverse("accounts:accept_invitation", args=[token]))
    _mail_on_commit(
        person,
        subject=gettext_lazy("Invitation til LKT-portalen"),
        template="accounts/invitation_email.txt",
        context={"inviter": by, "invited_to": invited_to, "link": link,
                 "expires_at": invitation.expires_at},
    )  # fmt: skip
    return invitation


def _mail_on_commit(person: User, *, subject: Promise, template: str, context: dict) -> None:
    """Send a Danish e-mail to `person` once the transaction has committed."""

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(template, {"person": person, **context})
            send_mail(str(subject), body, None, [person.email])
        logger.info("Sent %s to user %s", template, person.pk)

    transaction.on_commit(send, robust=True)


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path
