"""Writes for sustainment plans (seed 003): the national plan, the teams' plans, their approval
by the team's formal leader, and the review log."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import may_approve_sustainment_plan
from programmes.models import Programme
from teams.models import ImprovementTeam, SustainmentLogEntry, SustainmentPlan

SECTIONS = ("criteria", "roles", "anchoring", "resources")


def section_title(name: str) -> str:
    """The section's name as the plan's field names it, e.g. "forankring"."""
    return str(cast(models.Field, SustainmentPlan._meta.get_field(name)).verbose_name)


def national_plan_of(programme: Programme) -> SustainmentPlan:
    """The programme's national plan, or an unsaved empty one."""
    plan = SustainmentPlan.objects.filter(programme=programme, team__isnull=True).first()
    return plan or SustainmentPlan(programme=programme)


def team_plan_of(team: ImprovementTeam) -> SustainmentPlan:
    """The team's local plan, or an unsaved empty one."""
    plan = SustainmentPlan.objects.filter(team=team).first()
    return plan or SustainmentPlan(programme_id=team.programme_id, team=team)


def _locked(plan: SustainmentPlan) -> SustainmentPlan:
    """The plan's row locked, or (not saved yet) its programme's, so two first saves of the
    same plan do not both insert it; the plan saved meanwhile is returned then."""
    if plan.pk:
        return SustainmentPlan.objects.select_for_update().get(pk=plan.pk)
    Programme.objects.select_for_update().filter(pk=plan.programme_id).first()
    saved = SustainmentPlan.objects.filter(
        programme_id=plan.programme_id, team_id=plan.team_id
    ).first()
    return saved or plan


@transaction.atomic
def sustainment_plan_save(*, plan: SustainmentPlan, by: User | None, **sections: str) -> bool:
    """Save the plan's sections; True when an approved plan went back to draft because of it."""
    plan = _locked(plan)
    changed = False
    for name in SECTIONS:
        if name in sections:
            value = (sections[name] or "").strip()
            changed = changed or value != getattr(plan, name)
            setattr(plan, name, value)
    reopened = changed and plan.state == SustainmentPlan.State.APPROVED
    if reopened:
        plan.state = SustainmentPlan.State.DRAFT
        plan.approved_by = None
        plan.approved_at = None
    plan.full_clean()
    plan.save()
    return reopened


@transaction.atomic
def sustainment_plan_approve(*, plan: SustainmentPlan, by: User) -> SustainmentPlan:
    """The team's formal leader approves the team's plan: who and when are recorded."""
    if plan.team_id is None or not may_approve_sustainment_plan(by, plan.team):
        raise PermissionDenied
    if not plan.pk:
        raise ValidationError(_("Planen er ikke skrevet endnu."))
    plan = SustainmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state == SustainmentPlan.State.APPROVED:
        raise ValidationError(_("Planen er allerede godkendt."))
    missing = [section_title(name) for name in SECTIONS if not getattr(plan, name).strip()]
    if missing:
        raise ValidationError(
            _("Planen kan ikke godkendes, før disse afsnit er udfyldt: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    plan.state = SustainmentPlan.State.APPROVED
    plan.approved_by = by
    plan.approved_at = timezone.now()
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def sustainment_log_add(
    *, plan: SustainmentPlan, held_on: dt.date, note: str, by: User | None
) -> SustainmentLogEntry:
    """Write a line in the plan's review log (the plan is saved first if it was not yet)."""
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Opfølgningen kan ikke ligge i fremtiden.")})
    plan = _locked(plan)
    if not plan.pk:
        plan.full_clean()
        plan.save()
    entry = SustainmentLogEntry(
        plan=plan, held_on=held_on, note=(note or "").strip(), written_by=by
    )
    entry.full_clean()
    entry.save()
    return entry
