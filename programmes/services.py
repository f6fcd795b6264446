"""Writes for programmes: creation and the status workflow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from programmes.models import ExpertGroup, Programme, ProgrammeStatusChange, StatusRating


@transaction.atomic
def programme_create(*, by: User | None, reason: str = "", **fields: object) -> Programme:
    """Create a programme with its (empty) expert group and the first line of its history."""
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    ExpertGroup.objects.create(programme=programme)
    ProgrammeStatusChange.objects.create(
        programme=programme,
        from_status="",
        to_status=programme.status,
        reason=reason or _("Programmet blev oprettet."),
        changed_by=by,
    )
    return programme


@transaction.atomic
def programme_change_status(
    *, programme: Programme, status: str, by: User | None, reason: str
) -> ProgrammeStatusChange:
    """Move a programme to `status` if the workflow allows it, recording who, when and why."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if status not in Programme.Status.values:
        raise ValidationError({"status": _("Ukendt status: %(status)s.") % {"status": status}})
    if status == locked.status:
        raise ValidationError(
            {
                "status": _("Programmet har allerede status “%(status)s”.")
                % {"status": locked.get_status_display()}
            }
        )
    if not locked.can_change_to(status):
        allowed = ", ".join(
            str(Programme.Status(s).label) for s in Programme.TRANSITIONS[locked.status]
        )
        raise ValidationError(
            {
                "status": _(
                    "Et program med status “%(current)s” kan ikke skifte til “%(new)s”. "
                    "Mulige næste trin: %(allowed)s."
                )
                % {
                    "current": locked.get_status_display(),
                    "new": Programme.Status(status).label,
                    "allowed": allowed,
                }
            }
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Skriv en begrundelse for statusændringen.")})
    change = ProgrammeStatusChange(
        programme=locked,
        from_status=locked.status,
        to_status=status,
        reason=reason.strip(),
        changed_by=by,
    )
    change.full_clean()
    change.save()
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    programme.status = status
    return change


@transaction.atomic
def programme_rate_status(
    *, programme: Programme, colour: str, reason: str, by: User | None
) -> StatusRating:
    """Record the national project lead's traffic light for the programme; earlier ones stay."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv en begrundelse for vurderingen.")})
    rating = StatusRating(programme=programme, colour=colour, reason=reason, rated_by=by)
    rating.full_clean()
    rating.save()
    return rating
