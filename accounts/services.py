"""Writes for people's accounts: issue and accept an invitation, (de)activate a person.

Inviting into a team or an expert group (which creates the membership) is `people/services.py`.

Invitation e-mails go out with `send_mail` once the transaction commits; a failing mail server is
logged (`robust=True`) rather than undoing an invitation that is already saved.
"""

from __future__ import annotations

import logging
import secrets

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
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, SecurityEvent, User
from accounts.security import record

logger = logging.getLogger(__name__)


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
    return issue_invitation(person=person, by=by, invited_to=invited_to, site_url=site_url)


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
    """Close the person's access (memberships and history stay) and withdraw open invitations.

    Saved through the model, so the audit log has who changed what; who did it is kept, since
    only the same authority or above may undo it (`reactivation_refusal`).
    """
    if person.pk == by.pk:
        raise ValidationError(_("Du kan ikke deaktivere dig selv."))
    person.is_active = False
    person.deactivated_by = by
    person.deactivated_by_administrator = by.is_superuser
    person.save(update_fields=["is_active", "deactivated_by", "deactivated_by_administrator"])
    Invitation.objects.open().filter(user=person).update(expires_at=timezone.now())
    record(SecurityEvent.Kind.USER_DEACTIVATED, user=by, username=person.email)


def reactivation_refusal(person: User, by: User) -> str | None:
    """Why `by` may not undo `person`'s deactivation, in Danish; None when they may.

    An administrator may undo anyone's; everyone else not an administrator's.
    """
    if person.deactivated_by_administrator and not by.is_superuser:
        return _(
            "%(person)s blev deaktiveret af en administrator. "
            "Kun en administrator kan genaktivere personen."
        ) % {"person": person}
    return None


@transaction.atomic
def user_reactivate(*, person: User, by: User) -> None:
    """Open a deactivated person's access again; people who never accepted get a new invitation."""
    if not person.has_usable_password():
        raise ValidationError(
            _("%(person)s har aldrig oprettet en adgangskode. Send en ny invitation i stedet.")
            % {"person": person}
        )
    refusal = reactivation_refusal(person, by)
    if refusal:
        raise ValidationError(refusal)
    person.is_active = True
    person.deactivated_by = None
    person.deactivated_by_administrator = False
    person.save(update_fields=["is_active", "deactivated_by", "deactivated_by_administrator"])
    record(SecurityEvent.Kind.USER_REACTIVATED, user=by, username=person.email)


def issue_invitation(*, person: User, by: User, invited_to: str, site_url: str) -> Invitation:
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
    link = absolute_url(site_url, reverse("accounts:accept_invitation", args=[token]))
    mail_on_commit(
        person,
        subject=gettext_lazy("Invitation til LKT-portalen"),
        template="accounts/invitation_email.txt",
        context={"inviter": by, "invited_to": invited_to, "link": link,
                 "expires_at": invitation.expires_at},
    )  # fmt: skip
    return invitation


def mail_on_commit(person: User, *, subject: Promise, template: str, context: dict) -> None:
    """Send a Danish e-mail to `person` once the transaction has committed."""

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(template, {"person": person, **context})
            send_mail(str(subject), body, None, [person.email])
        logger.info("Sent %s to user %s", template, person.pk)

    transaction.on_commit(send, robust=True)


def absolute_url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


@transaction.atomic
def profile_update(*, person: User, **fields: object) -> User:
    """Change one's own name, phone or workplace (the profile form's fields)."""
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=list(fields))
    return person


def two_factor_device(user: User) -> TOTPDevice:
    """The person's authenticator being set up: the unconfirmed one, created on first use."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": user.email}
    )
    return device


def two_factor_confirm(device: TOTPDevice) -> None:
    """The first right code confirms the device: from now on it is asked for after login."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])


RECOVERY_CODE_COUNT = 10


@transaction.atomic
def two_factor_recovery_codes(user: User) -> list[str]:
    """New one-time recovery codes for a lost phone; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Reservekoder"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record(SecurityEvent.Kind.RECOVERY_CODES_CREATED, user=user)
    return codes
