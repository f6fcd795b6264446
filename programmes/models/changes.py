"""The programme's driver diagram: its primary and secondary drivers and the change ideas that
together form the LKT's change package (seeds 000, 001, 004; DOMAIN.md "PDSA and the change
package")."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from programmes.models import Programme
from programmes.validators import validate_no_cpr


class Driver(CheckedFields):
    """A driver of the programme's aim: primary when it has no parent, secondary under a primary."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="drivers"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("primær drivkraft"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Tom for en primær drivkraft."),
    )
    title = models.CharField(_("drivkraft"), max_length=200)
    description = models.TextField(
        _("beskrivelse"), blank=True, max_length=2000, validators=[validate_no_cpr]
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("drivkraft")
        verbose_name_plural = _("drivkræfter")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="driver_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        if parent is None:
            return
        if parent.programme_id != self.programme_id:
            raise ValidationError({"parent": _("Drivkraften hører til et andet program.")})
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("En sekundær drivkraft skal ligge under en primær drivkraft.")}
            )


class ChangeSource(models.TextChoices):
    EVIDENCE = "evidence", _("Evidens")
    EXPERIENCE = "experience", _("Et teams erfaring")
    CONCEPT = "concept", _("Koncept")


class ChangeIdeaStatus(models.TextChoices):
    PACKAGE = "package", _("I forandringspakken")
    PROPOSED = "proposed", _("Foreslået af et team")
    DECLINED = "declined", _("Ikke optaget")


class ChangeIdea(CheckedFields):
    """A change idea under a secondary driver; the ideas in the package form the change package.
    A team's own idea can be proposed to the package (status `proposed`) and accepted by the
    national lead or the expert group."""

    Source = ChangeSource
    Status = ChangeIdeaStatus

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="change_ideas"
    )
    driver = models.ForeignKey(
        Driver,
        verbose_name=_("sekundær drivkraft"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_ideas",
    )
    title = models.CharField(_("forandringsidé"), max_length=200)
    description = models.TextField(
        _("beskrivelse"), blank=True, max_length=4000, validators=[validate_no_cpr]
    )
    source = models.CharField(
        _("kilde"), max_length=20, choices=ChangeSource.choices, default=ChangeSource.EVIDENCE
    )
    source_detail = models.CharField(
        _("kilde, nærmere"),
        max_length=300,
        blank=True,
        help_text=_("F.eks. en guideline, et teams navn eller “Kom Trygt Hjem”."),
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("indikatorer, den skal flytte"),
        blank=True,
        related_name="change_ideas",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChangeIdeaStatus.choices,
        default=ChangeIdeaStatus.PACKAGE,
    )
    proposed_by_team = models.ForeignKey(
        "teams.ImprovementTeam",
        verbose_name=_("foreslået af team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_change_ideas",
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("forandringsidé")
        verbose_name_plural = _("forandringsidéer")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeIdeaStatus.values), name="change_idea_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ChangeSource.values), name="change_idea_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        driver = self.driver if self.driver_id else None
        if driver is None:
            return
        if driver.programme_id != self.programme_id:
            raise ValidationError({"driver": _("Drivkraften hører til et andet program.")})
        if driver.parent_id is None:
            raise ValidationError(
                {"driver": _("En forandringsidé skal ligge under en sekundær drivkraft.")}
            )


class DiagramRevision(models.Model):
    """One saved change of the driver diagram: who, when, what, and the diagram afterwards."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="diagram_revisions"
    )
    changed_at = models.DateTimeField(_("ændret"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ændret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("ændring"), max_length=300)
    snapshot = models.JSONField(_("diagrammet efter ændringen"), default=dict)

    class Meta:
        verbose_name = _("ændring af driverdiagram")
        verbose_name_plural = _("ændringer af driverdiagram")
        ordering = ["programme", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.summary}"
