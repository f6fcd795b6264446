"""The national project lead's own traffic light for a programme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from programmes.models import Programme
from programmes.validators import validate_no_cpr


class StatusColour(models.TextChoices):
    GREEN = "green", _("Grøn")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Rød")


class StatusRating(CheckedFields):
    """The national project lead's own traffic light for the programme; the latest one counts."""

    Colour = StatusColour

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="ratings"
    )
    colour = models.CharField(_("vurdering"), max_length=10, choices=StatusColour.choices)
    reason = models.TextField(_("begrundelse"), validators=[validate_no_cpr])
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vurderet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("projektledelsens vurdering")
        verbose_name_plural = _("projektledelsens vurderinger")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="status_rating_needs_reason"),
            models.CheckConstraint(
                condition=Q(colour__in=StatusColour.values), name="status_rating_colour_valid"
            ),
        ]
        indexes = [models.Index(fields=["programme", "-rated_at"])]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_colour_display()}"
