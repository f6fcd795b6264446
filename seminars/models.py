"""Learning seminars, the teams invited to them, and participants' registrations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from programmes.models import Programme
from programmes.validators import validate_no_cpr
from teams.models import ImprovementTeam


class SeminarKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Fælles ledelsesseminar")
    KICKOFF = "kickoff", _("Kick-off")
    LEARNING = "learning", _("Læringsseminar")
    CLOSING = "closing", _("Afslutningsseminar")


class SeminarQuerySet(models.QuerySet["Seminar"]):
    def upcoming(self) -> SeminarQuerySet:
        return self.filter(ends_at__gte=timezone.now(), cancelled_at__isnull=True)


class Seminar(CheckedFields):
    """A seminar of one programme: a day (or two) with a place and an agenda."""

    Kind = SeminarKind

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="seminars"
    )
    kind = models.CharField(_("type"), max_length=20, choices=SeminarKind.choices)
    number = models.PositiveSmallIntegerField(
        _("nummer"), null=True, blank=True, help_text=_("F.eks. 2 for læringsseminar 2.")
    )
    title = models.CharField(_("titel"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    agenda = models.TextField(_("program for dagen"), blank=True, validators=[validate_no_cpr])
    cancelled_at = models.DateTimeField(_("aflyst"), null=True, blank=True)
    cancel_reason = models.TextField(_("årsag til aflysning"), blank=True)
    invited_teams: models.ManyToManyField[ImprovementTeam, SeminarInvitation] = (
        models.ManyToManyField(
            ImprovementTeam,
            verbose_name=_("inviterede teams"),
            through="SeminarInvitation",
            related_name="seminars",
            blank=True,
        )
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminarer")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="seminar_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SeminarKind.values), name="seminar_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "number"],
                condition=Q(number__isnull=False),
                name="seminar_number_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        label = self.get_kind_display()
        return f"{label} {self.number}" if self.number else str(label)

    @property
    def kind_badge(self) -> str:
        """The kind beside a title that does not already say it, else "".

        Titles are written in Danish, so the title is compared with the kind's Danish name: an
        English page must not show "Afslutningsseminar" beside "Closing seminar 1".
        """
        if not self.title:
            return ""
        with translation.override("da"):
            danish = str(self.get_kind_display())
        if danish.lower() in self.title.lower():
            return ""
        label = str(self.get_kind_display())
        return f"{label} {self.number}" if self.number else label

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("Seminaret kan ikke slutte, før det begynder.")})


class SeminarInvitation(CheckedFields):
    """A team invited to a seminar."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(ImprovementTeam, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    registered_count: int  # set by `seminars.selectors.seminar_invitations`, not a field

    class Meta:
        verbose_name = _("inviteret team")
        verbose_name_plural = _("inviterede teams")
        constraints = [
            models.UniqueConstraint(fields=["seminar", "team"], name="seminar_team_invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team} → {self.seminar}"

    def clean(self) -> None:
        if self.team_id and self.seminar_id and self.team.programme_id != self.seminar.programme_id:
            raise ValidationError(_("Kun teams fra seminarets eget program kan inviteres."))


class Registration(CheckedFields):
    """A person's registration for a seminar."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deltager"),
        on_delete=models.CASCADE,
        related_name="seminar_registrations",
    )
    team = models.ForeignKey(
        ImprovementTeam,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("tilmeldt"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("afmeldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["seminar", "user"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "user"], name="registration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.seminar}"


class MaterialKind(models.TextChoices):
    PROGRAMME = "programme", _("Program")
    SLIDES = "slides", _("Præsentation")
    HANDOUT = "handout", _("Materiale til deltagerne")
    OTHER = "other", _("Andet")


def material_path(material: SeminarMaterial, filename: str) -> str:
    """A name of our own under the seminar's folder: the person's file name is never a path."""
    return f"seminars/{material.seminar_id}/{uuid.uuid4().hex}.{material.extension}"


class SeminarMaterial(CheckedFields):
    """A file for a seminar (programme, slides, handouts), kept in Django's default storage.

    The file is served only through `seminars:material_download`, which applies the role matrix;
    its type (`content_type`, `extension`) was read from its bytes when it was uploaded.
    """

    Kind = MaterialKind

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("type"), max_length=20, choices=MaterialKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("fil"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("filnavn"), max_length=200)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("størrelse"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploadet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    class Meta:
        verbose_name = _("seminarmateriale")
        verbose_name_plural = _("seminarmaterialer")
        ordering = ["seminar", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MaterialKind.values), name="seminar_material_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title
