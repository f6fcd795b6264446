"""Writes for an indicator's definition: creation, versioned edits, deactivation, deletion, and
the expert group's proposals that the national project lead accepts or declines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Field, Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.months import add_months
from core.numbers import trimmed
from indicators.models import (
    DEFINITION_FIELDS,
    Indicator,
    IndicatorProposal,
    IndicatorVersion,
    Measurement,
    ProposalStatus,
)
from indicators.summaries import refresh_summaries
from programmes.models import Programme

# Every field a person sets on an indicator (the programme and the order are set for them).
EDITABLE_FIELDS = ("name", *DEFINITION_FIELDS, "national_goal")


def stored(indicator: Indicator, name: str) -> str | None:
    """A field's value as kept in a version or a proposal (text; None for empty numbers)."""
    value = getattr(indicator, name)
    if isinstance(value, Decimal):
        return format(trimmed(value), "f")
    return None if value is None else str(value)


def _restored(name: str, text: str | None) -> Any:
    field = Indicator._meta.get_field(name)
    return field.to_python(text)  # type: ignore[union-attr]


def readable_changes(changes: dict[str, list[str | None]]) -> list[tuple[str, str, str]]:
    """(field label, before, after) for a version's or a proposal's changes, as people read
    them: choices by their label, numbers with a decimal comma in Danish."""
    rows = []
    for name, (before, after) in changes.items():
        try:
            field = Indicator._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, Field):
            continue
        rows.append((str(field.verbose_name), _shown(field, before), _shown(field, after)))
    return rows


def _shown(field: Any, text: str | None) -> str:
    if text is None or text == "":
        return "–"
    choices = dict(field.choices or ())
    if text in choices:
        return str(choices[text])
    if isinstance(field, DecimalField):
        return str(number_format(Decimal(text)))
    return text


def has_data(indicator: Indicator) -> bool:
    return Measurement.objects.filter(indicator=indicator).exists()


@transaction.atomic
def indicator_create(*, programme: Programme, by: User | None, **fields: Any) -> Indicator:
    """A new indicator, last in the programme's order."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    last = programme.indicators.aggregate(last=Max("order"))["last"] or 0
    indicator = Indicator(programme=programme, order=last + 1)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(indicator, name, fields[name])
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    by: User | None,
    proposal: IndicatorProposal | None = None,
    **fields: Any,
) -> IndicatorVersion | None:
    """Change the indicator's fields and keep the change as a version (None: nothing changed).

    Once teams have registered data the measure stays (their figures are numerator and
    denominator, or one value); a change of the target or the settings a verdict depends on
    re-analyses the stored series summaries.
    """
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    changes: dict[str, list[str | None]] = {}
    for name in EDITABLE_FIELDS:
        if name not in fields:
            continue
        before = stored(locked, name)
        setattr(locked, name, fields[name])
        after = stored(locked, name)
        if before != after:
            changes[name] = [before, after]
    if not changes:
        return None
    if "measure" in changes and has_data(locked):
        raise ValidationError(
            {
                "measure": _(
                    "Måltypen kan ikke ændres, når teams har registreret data. "
                    "Opret en ny indikator i stedet, og deaktivér denne."
                )
            }
        )
    locked.full_clean()
    locked.save()
    now = timezone.now()
    version = IndicatorVersion(
        indicator=locked,
        changes=changes,
        changed_by=by,
        changed_at=now,
        # Drawn at last month: its figures are the ones teams register now, under the new
        # definition (the running month is on no chart yet).
        month=add_months(timezone.localdate(now).replace(day=1), -1),
        proposal=proposal,
    )
    version.full_clean()
    version.save()
    if set(changes) & {"measure", "better_direction", "target", "multiplier"}:
        transaction.on_commit(lambda: refresh_summaries([locked.pk]))
    for name in EDITABLE_FIELDS:
        setattr(indicator, name, getattr(locked, name))
    return version


@transaction.atomic
def indicator_set_active(*, indicator: Indicator, active: bool, by: User | None) -> Indicator:
    """Deactivate an indicator (its data and charts stay), or take it into use again."""
    indicator.is_active = active
    indicator.save(update_fields=["is_active"])
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: User | None) -> None:
    """Delete an indicator no team has registered data for; one with data is deactivated."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if has_data(indicator):
        raise ValidationError(
            _("Indikatoren har data og kan ikke slettes. Deaktivér den i stedet.")
        )
    indicator.delete()


@transaction.atomic
def proposal_add(
    *, indicator: Indicator, reason: str, by: User | None, **fields: Any
) -> IndicatorProposal:
    """An expert group member's proposed change, with the reason; refused when it changes
    nothing."""
    changes = {}
    probe = Indicator(**{name: getattr(indicator, name) for name in EDITABLE_FIELDS})
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(probe, name, fields[name])
            if stored(probe, name) != stored(indicator, name):
                changes[name] = [stored(indicator, name), stored(probe, name)]
    if not changes:
        raise ValidationError(_("Forslaget ændrer intet ved indikatoren."))
    if "measure" in changes and has_data(indicator):
        raise ValidationError(
            {"measure": _("Måltypen kan ikke ændres, når teams har registreret data.")}
        )
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    pending = indicator.proposals.filter(status=ProposalStatus.PENDING, proposed_by=by)
    if by is not None and any(p.changes == changes for p in pending):
        raise ValidationError(_("Du har allerede foreslået netop denne ændring. Den afventer."))
    proposal = IndicatorProposal(
        indicator=indicator, changes=changes, reason=reason, proposed_by=by
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _decide(proposal: IndicatorProposal, status: str, note: str, by: User | None) -> None:
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.full_clean()
    proposal.save()


def _pending(proposal: IndicatorProposal) -> IndicatorProposal:
    """The proposal locked, refused when it has been decided already (a form posted twice)."""
    locked = IndicatorProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_pending:
        raise ValidationError(
            _("Forslaget er allerede %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def proposal_accept(
    *, proposal: IndicatorProposal, by: User | None, note: str = ""
) -> IndicatorVersion | None:
    """Apply the proposed change to the indicator (a version, drawn on its charts)."""
    locked = _pending(proposal)
    fields = {name: _restored(name, new) for name, (_old, new) in locked.changes.items()}
    _decide(locked, ProposalStatus.ACCEPTED, note, by)
    version = indicator_update(indicator=locked.indicator, by=by, proposal=locked, **fields)
    proposal.refresh_from_db()
    return version


@transaction.atomic
def proposal_decline(*, proposal: IndicatorProposal, by: User | None, note: str = "") -> None:
    """Decline the proposal: the indicator stays as it is, the proposal is kept."""
    locked = _pending(proposal)
    _decide(locked, ProposalStatus.DECLINED, note, by)
    proposal.refresh_from_db()
