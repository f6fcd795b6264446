"""Writes for seminars: plan, change, cancel, invite teams, register and unregister participants.

Every write goes through here, and every one that changes what participants must know ends by
announcing it on `seminar_changed` once the transaction commits: the reminders (Celery) connect
there instead of being called from views.

Unregistering keeps the row and sets `cancelled_at` (the history of who withdrew stays); a
later registration of the same person revives that row, since a person has one row per seminar.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from programmes.models import Programme
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, TeamMember

# Sent after commit with `seminar` and `change`: "planned", "updated", "cancelled", "invited"
# (with `invitations`, the new invitations' ids), "registered" or "unregistered" (the last two
# also with `registration`).
seminar_changed = Signal()

EDITABLE_FIELDS = (
    "kind",
    "number",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "agenda",
)


def _announce(seminar: Seminar, change: str, **extra: Any) -> None:
    transaction.on_commit(
        lambda: seminar_changed.send(sender=Seminar, seminar=seminar, change=change, **extra)
    )


def _check_number_free(seminar: Seminar) -> None:
    """A readable error for the (programme, kind, number) constraint, before the database's."""
    if seminar.number is None:
        return
    taken = Seminar.objects.filter(
        programme_id=seminar.programme_id, kind=seminar.kind, number=seminar.number
    ).exclude(pk=seminar.pk)
    if taken.exists():
        raise ValidationError(
            {
                "number": _(
                    "Programmet har allerede et seminar af typen “%(kind)s” med nummer "
                    "%(number)s. Vælg et andet nummer."
                )
                % {"kind": seminar.get_kind_display(), "number": seminar.number}
            }
        )


def _refuse_if_cancelled(seminar: Seminar, message: str) -> None:
    if seminar.is_cancelled:
        raise ValidationError(message)


def _refuse_if_closed(seminar: Seminar) -> None:
    """Registrations change only while the seminar is neither cancelled nor begun."""
    _refuse_if_cancelled(seminar, _("Seminaret er aflyst; tilmeldinger kan ikke ændres."))
    if seminar.starts_at <= timezone.now():
        raise ValidationError(
            _("Seminaret er allerede afholdt eller begyndt; tilmeldinger kan ikke ændres.")
        )


def _locked(seminar: Seminar) -> Seminar:
    return Seminar.objects.select_for_update().get(pk=seminar.pk)


@transaction.atomic
def seminar_plan(*, programme: Programme, by: User | None, **fields: Any) -> Seminar:
    """Plan a seminar for the programme."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown seminar fields: {sorted(unknown)}")
    seminar = Seminar(programme=programme, **fields)
    _check_number_free(seminar)
    seminar.full_clean()
    seminar.save()
    _announce(seminar, "planned")
    return seminar


@transaction.atomic
def seminar_update(*, seminar: Seminar, by: User | None, **fields: Any) -> Seminar:
    """Change the seminar's description, time or place; a cancelled seminar stays as it was."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown seminar fields: {sorted(unknown)}")
    locked = _locked(seminar)
    _refuse_if_cancelled(locked, _("Et aflyst seminar kan ikke redigeres."))
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_number_free(locked)
    locked.full_clean()
    locked.save()
    for name in (*fields, "updated_at"):
        setattr(seminar, name, getattr(locked, name))
    _announce(locked, "updated")
    return seminar


@transaction.atomic
def seminar_cancel(*, seminar: Seminar, by: User | None, reason: str) -> Seminar:
    """Cancel the seminar with a reason; it stays visible, marked as cancelled."""
    locked = _locked(seminar)
    _refuse_if_cancelled(locked, _("Seminaret er allerede aflyst."))
    if locked.ends_at < timezone.now():
        raise ValidationError(_("Et afholdt seminar kan ikke aflyses."))
    if not (reason or "").strip():
        raise ValidationError({"cancel_reason": _("Skriv en årsag til aflysningen.")})
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason.strip()
    locked.full_clean()
    locked.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    seminar.cancelled_at, seminar.cancel_reason = locked.cancelled_at, locked.cancel_reason
    _announce(locked, "cancelled")
    return seminar


@transaction.atomic
def seminar_invite_teams(
    *, seminar: Seminar, teams: Iterable[ImprovementTeam], by: User | None
) -> tuple[list[ImprovementTeam], list[ImprovementTeam]]:
    """Make exactly `teams` the invited teams; returns the teams (added, removed).

    A team of another programme is refused, and so is withdrawing the invitation of a team whose
    members are still registered (unregister them first).
    """
    locked = _locked(seminar)
    _refuse_if_cancelled(locked, _("Et aflyst seminar kan ikke invitere teams."))
    wanted = {team.pk: team for team in teams}
    foreign = [team for team in wanted.values() if team.programme_id != locked.programme_id]
    if foreign:
        raise ValidationError(
            {
                "teams": _("Kun teams fra programmet %(programme)s kan inviteres, ikke: %(teams)s.")
                % {
                    "programme": locked.programme.name,
                    "teams": ", ".join(team.name for team in foreign),
                }
            }
        )
    current = {
        invitation.team_id: invitation for invitation in locked.invitations.select_related("team")
    }
    removed = [current[pk] for pk in current.keys() - wanted.keys()]
    still_registered = set(
        locked.registrations.filter(
            cancelled_at__isnull=True, team_id__in=[invitation.team_id for invitation in removed]
        ).values_list("team__name", flat=True)
    )
    if still_registered:
        raise ValidationError(
            {
                "teams": _(
                    "Invitationen kan ikke trækkes tilbage, mens teamets deltagere er "
                    "tilmeldt: %(teams)s. Afmeld dem først."
                )
                % {"teams": ", ".join(sorted(still_registered))}
            }
        )
    added, invitations = [], []
    for pk in wanted.keys() - current.keys():
        invitation = SeminarInvitation(seminar=locked, team=wanted[pk])
        invitation.full_clean()
        invitation.save()
        added.append(wanted[pk])
        invitations.append(invitation.pk)
    for invitation in removed:
        invitation.delete()
    if added or removed:
        _announce(locked, "invited", invitations=sorted(invitations))
    return added, [invitation.team for invitation in removed]


@transaction.atomic
def seminar_register(
    *, seminar: Seminar, user: User, team: ImprovementTeam, by: User | None
) -> Registration:
    """Register a member of an invited team; a withdrawn registration is revived."""
    locked = _locked(seminar)
    _refuse_if_closed(locked)
    if not locked.invitations.filter(team=team).exists():
        raise ValidationError(
            _("Teamet %(team)s er ikke inviteret til seminaret.") % {"team": team.name}
        )
    if not TeamMember.objects.filter(team=team, user=user).exists():
        raise ValidationError(
            _("%(person)s er ikke medlem af teamet %(team)s.") % {"person": user, "team": team}
        )
    registration = Registration.objects.filter(seminar=locked, user=user).first()
    if registration is not None and registration.cancelled_at is None:
        raise ValidationError(_("%(person)s er allerede tilmeldt seminaret.") % {"person": user})
    if registration is None:
        registration = Registration(seminar=locked, user=user)
    registration.team = team
    registration.cancelled_at = None
    registration.registered_at = timezone.now()
    registration.full_clean()
    registration.save()
    _announce(locked, "registered", registration=registration)
    return registration


@transaction.atomic
def seminar_unregister(*, registration: Registration, by: User | None) -> Registration:
    """Withdraw a registration (kept, marked with `cancelled_at`)."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    seminar = _locked(locked.seminar)
    if locked.cancelled_at is not None:
        raise ValidationError(
            _("%(person)s er allerede afmeldt seminaret.") % {"person": locked.user}
        )
    _refuse_if_closed(seminar)
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    registration.cancelled_at = locked.cancelled_at
    _announce(seminar, "unregistered", registration=locked)
    return registration
