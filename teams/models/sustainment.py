"""How a team (or the programme, nationally) holds the gains after the LKT (seed 003): the
sustainment plan, its approval by the team's formal leader, and its review log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from programmes.models import Programme
from programmes.validators import validate_no_cpr
from teams.models import ImprovementTeam


class SustainmentPlanState(models.TextChoices):
    DRAFT = "draft", _("Udkast")
    APPROVED = "approved", _("Godkendt")


class SustainmentPlan(CheckedFields):
    """How the gains are held after the LKT (seed 003): the programme's national plan (no team)
    or a team's local plan, approved by the team's formal leader."""

    State = SustainmentPlanState

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sustainment_plans"
    )
    team = models.OneToOneField(
        ImprovementTeam,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sustainment_plan",
    )
    criteria = models.TextField(
        _("fastholdelseskriterier"), blank=True, max_length=4000, validators=[validate_no_cpr]
    )
    roles = models.TextField(
        _("roller og ansvar"), blank=True, max_length=4000, validators=[validate_no_cpr]
    )
    anchoring = models.TextField(
        _("forankring"), blank=True, max_length=4000, validators=[validate_no_cpr]
    )
    resources = models.TextField(
        _("ressourcer"), blank=True, max_length=4000, validators=[validate_no_cpr]
    )
    state = models.CharField(
        _("tilstand"),
        max_length=10,
        choices=SustainmentPlanState.choices,
        default=SustainmentPlanState.DRAFT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkendt af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("fastholdelsesplan")
        verbose_name_plural = _("fastholdelsesplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(team__isnull=True),
                name="sustainment_plan_one_national",
            ),
            models.CheckConstraint(
                condition=Q(state__in=SustainmentPlanState.values),
                name="sustainment_plan_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=SustainmentPlanState.DRAFT) | Q(approved_at__isnull=False),
                name="sustainment_plan_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.team or self.programme)


class SustainmentLogEntry(CheckedFields):
    """One line of a sustainment plan's review log: when the plan was followed up, and what
    was found (do the gains hold, what was decided)."""

    plan = models.ForeignKey(SustainmentPlan, on_delete=models.CASCADE, related_name="log")
    held_on = models.DateField(_("dato"))
    note = models.TextField(_("hvad fandt I?"), max_length=4000, validators=[validate_no_cpr])
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("opfølgning på fastholdelsesplan")
        verbose_name_plural = _("opfølgninger på fastholdelsesplaner")
        ordering = ["plan", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="sustainment_log_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.held_on.isoformat()}"
