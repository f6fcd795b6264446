"""Changes to an indicator's definition: the saved versions and the expert group's proposals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from indicators.models import Indicator
from programmes.validators import validate_no_cpr

if TYPE_CHECKING:
    pass


# The fields whose change alters what an indicator's chart means: each change is drawn on its
# charts as "Definition ændret". The name, order and national goal only relabel it.
DEFINITION_FIELDS = (
    "definition",
    "kind",
    "measure",
    "numerator_definition",
    "denominator_definition",
    "unit",
    "multiplier",
    "better_direction",
    "target",
    "frequency",
    "data_source",
)


class IndicatorVersion(CheckedFields):
    """One saved change of an indicator: who, when, and each changed field's old and new value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    changes = models.JSONField(_("ændringer"), default=dict, help_text=_("{felt: [før, efter]}"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ændret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("ændret"), default=timezone.now)
    month = models.DateField(
        _("måned"),
        help_text=_("Måneden ændringen vises ved på graferne: den, teams registrerer for nu."),
    )
    proposal = models.OneToOneField(
        "IndicatorProposal",
        verbose_name=_("forslag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="version",
    )

    class Meta:
        verbose_name = _("indikatorversion")
        verbose_name_plural = _("indikatorversioner")
        ordering = ["indicator", "-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="indicator_version_day_1"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.changed_at:%Y-%m-%d}"

    @property
    def changes_definition(self) -> bool:
        return any(name in DEFINITION_FIELDS for name in self.changes)


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Afventer")
    ACCEPTED = "accepted", _("Accepteret")
    DECLINED = "declined", _("Afvist")


class IndicatorProposal(CheckedFields):
    """An expert group member's proposed change of an indicator, with the reason, and the
    national project lead's decision; kept whatever the decision."""

    Status = ProposalStatus

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="proposals")
    changes = models.JSONField(_("foreslåede ændringer"), default=dict)
    reason = models.TextField(_("begrundelse"), validators=[validate_no_cpr])
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("foreslået af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("foreslået"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besluttet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    decision_note = models.TextField(_("bemærkning til beslutningen"), blank=True)

    class Meta:
        verbose_name = _("ændringsforslag")
        verbose_name_plural = _("ændringsforslag")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="proposal_needs_reason"),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
