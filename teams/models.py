"""Local improvement teams, their members and their PDSA cycles."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from programmes.models import Organisation, Programme, Region
from programmes.validators import validate_no_cpr

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ImprovementMethod(models.TextChoices):
    MODEL_FOR_IMPROVEMENT = "mfi", _("Forbedringsmodellen (PDSA)")
    VIRGINIA_MASON = "vmps", _("Virginia Mason Production System")
    LEAN = "lean", _("Lean")
    OTHER = "other", _("Andet")


class TeamStatus(models.TextChoices):
    FORMING = "forming", _("Under etablering")
    ACTIVE = "active", _("Aktivt")
    PAUSED = "paused", _("Sat på pause")
    WITHDRAWN = "withdrawn", _("Udtrådt")
    COMPLETED = "completed", _("Afsluttet")


class ImprovementTeam(CheckedFields):
    """A local improvement team; cross-sector, a hospital and municipalities of its area."""

    Method = ImprovementMethod
    Status = TeamStatus

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("navn"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="teams",
        help_text=_("Regionen, hvis tovholdere administrerer teamet."),
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisationer"), related_name="teams"
    )
    method = models.CharField(
        _("forbedringsmetode"),
        max_length=10,
        choices=ImprovementMethod.choices,
        default=ImprovementMethod.MODEL_FOR_IMPROVEMENT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TeamStatus.choices, default=TeamStatus.FORMING
    )
    started_on = models.DateField(_("startet"), null=True, blank=True)
    aim = models.TextField(_("teamets mål"), blank=True, validators=[validate_no_cpr])
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("forbedringsteam")
        verbose_name_plural = _("forbedringsteams")
        ordering = ["programme", "region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="team_name_unique_in_lkt"),
            models.CheckConstraint(
                condition=Q(method__in=ImprovementMethod.values), name="team_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TeamStatus.values), name="team_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    LOCAL_LEAD = "local_lead", _("Lokal projektleder")
    MEMBER = "member", _("Teammedlem")
    FORMAL_LEADER = "formal_leader", _("Formel leder")
    QUALITY_COORDINATOR = "quality_coordinator", _("Kvalitetskoordinator")


class TeamMember(CheckedFields):
    """A person on an improvement team, with a role."""

    Role = TeamRole

    team = models.ForeignKey(ImprovementTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role = models.CharField(_("rolle"), max_length=20, choices=TeamRole.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    joined_on = models.DateField(_("indtrådt"), default=timezone.localdate)

    class Meta:
        verbose_name = _("teammedlem")
        verbose_name_plural = _("teammedlemmer")
        ordering = ["team", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
            models.CheckConstraint(
                condition=Q(role__in=TeamRole.values), name="team_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class PDSACycle(CheckedFields):
    """A Plan-Do-Study-Act test of change, optionally aimed at one indicator."""

    team = models.ForeignKey(ImprovementTeam, on_delete=models.CASCADE, related_name="pdsa_cycles")
    title = models.CharField(_("titel"), max_length=200)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pdsa_cycles",
    )
    plan = models.TextField(_("plan"), blank=True, validators=[validate_no_cpr])
    do = models.TextField(_("udfør"), blank=True, validators=[validate_no_cpr])
    study = models.TextField(_("studér"), blank=True, validators=[validate_no_cpr])
    act = models.TextField(_("handl"), blank=True, validators=[validate_no_cpr])
    started_on = models.DateField(_("startdato"))
    ended_on = models.DateField(_("slutdato"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("PDSA-cyklus")
        verbose_name_plural = _("PDSA-cyklusser")
        ordering = ["team", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pdsa_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Slutdatoen kan ikke ligge før startdatoen.")})
        indicator = self.indicator if self.indicator_id else None
        if (
            indicator is not None
            and self.team_id
            and indicator.programme_id != self.team.programme_id
        ):
            raise ValidationError({"indicator": _("Indikatoren hører ikke til teamets program.")})


# The IHI Breakthrough Series progress scale, as used in Danish collaboratives.
PROGRESS_SCALE: list[tuple[Decimal, StrOrPromise]] = [
    (Decimal("0.5"), _("0,5 – Tilsagn om deltagelse")),
    (Decimal("1.0"), _("1,0 – Teamet er ved at blive dannet")),
    (Decimal("1.5"), _("1,5 – Planlægningen er i gang")),
    (Decimal("2.0"), _("2,0 – Aktivitet, men ingen ændringer afprøvet")),
    (Decimal("2.5"), _("2,5 – Ændringer afprøvet, men ingen forbedring")),
    (Decimal("3.0"), _("3,0 – Beskeden forbedring")),
    (Decimal("3.5"), _("3,5 – Forbedring")),
    (Decimal("4.0"), _("4,0 – Betydelig forbedring")),
    (Decimal("4.5"), _("4,5 – Vedvarende forbedring")),
    (Decimal("5.0"), _("5,0 – Enestående, vedvarende resultater")),
]


class ProgressScore(CheckedFields):
    """The local project lead's monthly IHI progress score (0.5 to 5.0) for the team."""

    team = models.ForeignKey(
        ImprovementTeam, on_delete=models.CASCADE, related_name="progress_scores"
    )
    month = models.DateField(_("måned"), help_text=_("Første dag i måneden."))
    score = models.DecimalField(
        _("fremdriftsscore"), max_digits=2, decimal_places=1, choices=PROGRESS_SCALE
    )
    comment = models.TextField(_("kommentar"), blank=True, validators=[validate_no_cpr])
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("sat"), auto_now=True)

    class Meta:
        verbose_name = _("fremdriftsscore")
        verbose_name_plural = _("fremdriftsscorer")
        ordering = ["team", "month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="progress_score_once_a_month"),
            models.CheckConstraint(
                condition=Q(score__gte=0.5, score__lte=5), name="progress_score_0_5_to_5"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_score_month_day_1"),
        ]

    def clean(self) -> None:
        """A month from the programme's first to the current one: no score for the future."""
        if not self.month or not self.team_id:
            return
        first = self.team.programme.start_date.replace(day=1)
        if self.month < first:
            message = _("Måneden kan ikke ligge før programmets start (%(start)s).")
            raise ValidationError({"month": message % {"start": date_format(first, "F Y")}})
        if self.month > timezone.localdate():
            raise ValidationError({"month": _("Der kan ikke gives score for en kommende måned.")})

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}: {self.score}"
