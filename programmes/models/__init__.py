"""Regions, organisations, the LKT programmes, their status history, goals and expert groups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import months
from core.bounds import out_of_bounds
from core.models import CheckedFields
from programmes.validators import validate_no_cpr


def two_years_after(start: dt.date) -> dt.date:
    """The default end of an LKT: two years after its start (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + 2)
    except ValueError:
        return start.replace(year=start.year + 2, day=28)


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """'14, 2' → (14, 2): distinct whole days, largest first; ValueError when it is not that."""
    days = {int(part) for part in (text or "").replace(";", ",").split(",") if part.strip()}
    if not days or any(day < 1 or day > 365 for day in days) or len(days) > 10:
        raise ValueError(text)
    return tuple(sorted(days, reverse=True))


def validate_reminder_days(text: str) -> None:
    """Refuse anything but a comma-separated list of 1 to 10 whole days between 1 and 365."""
    try:
        parse_reminder_days(text)
    except ValueError:
        raise ValidationError(
            _("Skriv et eller flere hele antal dage fra 1 til 365, adskilt af komma, f.eks. 14,2."),
            code="reminder_days",
        ) from None


class Region(CheckedFields):
    """One of the five Danish regions."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    code = models.CharField(
        _("forkortelse"), max_length=5, unique=True, help_text=_("F.eks. RH, RSJ, RSD, RM, RN.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Region")
    HOSPITAL = "hospital", _("Hospital")
    DEPARTMENT = "department", _("Hospitalsafdeling")
    MUNICIPALITY = "municipality", _("Kommune")
    GENERAL_PRACTICE = "general_practice", _("Almen praksis")
    KL = "kl", _("KL (Kommunernes Landsforening)")
    HEALTH_CLUSTER = "health_cluster", _("Sundhedsklynge")
    OTHER = "other", _("Andet")


class Organisation(CheckedFields):
    """A hospital, department, municipality, practice or other body that takes part in LKTs."""

    Kind = OrganisationKind

    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Tom for landsdækkende organisationer som KL."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hører under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    catchment = models.ManyToManyField(
        "self",
        verbose_name=_("optageområde"),
        symmetrical=False,
        blank=True,
        related_name="catchment_hospitals",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        help_text=_("For et hospital: kommunerne i dets optageområde."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        """'municipal', 'primary' or 'regional': the sector a cross-sector LKT counts."""
        if self.kind in {self.Kind.MUNICIPALITY, self.Kind.KL}:
            return "municipal"
        if self.kind == self.Kind.GENERAL_PRACTICE:
            return "primary"
        return "regional"


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def running(self) -> ProgrammeQuerySet:
        """Programmes that are not yet completed (in preparation, active or paused)."""
        return self.filter(status__in=Programme.RUNNING)


class ProgrammeStatus(models.TextChoices):
    PREPARING = "preparing", _("Under forberedelse")
    ACTIVE = "active", _("Igangværende")
    PAUSED = "paused", _("Sat på pause")
    COMPLETED = "completed", _("Afsluttet")
    SUSTAINMENT = "sustainment", _("Fastholdelse")


class SustainmentFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Månedlig")
    QUARTERLY = "quarterly", _("Kvartalsvis")


class Programme(CheckedFields):
    """A national learning and quality team (LKT): one clinical area, about two years."""

    Status = ProgrammeStatus

    # Which status may follow which; the workflow in services.programme_change_status. An
    # ongoing LKT (active or paused) may go straight on to sustainment when its two years end.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PREPARING: (Status.ACTIVE, Status.PAUSED, Status.COMPLETED),
        Status.ACTIVE: (Status.PAUSED, Status.COMPLETED, Status.SUSTAINMENT),
        Status.PAUSED: (Status.PREPARING, Status.ACTIVE, Status.COMPLETED, Status.SUSTAINMENT),
        Status.COMPLETED: (Status.SUSTAINMENT, Status.ACTIVE),
        Status.SUSTAINMENT: (Status.COMPLETED,),
    }
    RUNNING = (Status.PREPARING, Status.ACTIVE, Status.PAUSED)

    name = models.CharField(
        _("navn"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("Der findes allerede et program med dette navn.")},
    )
    slug = models.SlugField(
        _("kort navn i adresser"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Det korte navn er allerede brugt af et andet program.")},
    )
    clinical_area = models.CharField(_("klinisk område"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True, validators=[validate_no_cpr])
    target_population = models.CharField(
        _("målgruppe"), max_length=300, blank=True, help_text=_("F.eks. borgere 65+ med hoftebrud.")
    )
    concept = models.CharField(
        _("bygger på"), max_length=300, blank=True, help_text=_("F.eks. “Kom Trygt Hjem”.")
    )
    lead_region = models.ForeignKey(
        Region,
        verbose_name=_("region med national projektledelse"),
        on_delete=models.PROTECT,
        related_name="led_programmes",
    )
    co_lead = models.ForeignKey(
        Organisation,
        verbose_name=_("medansvarlig organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_led_programmes",
        help_text=_("F.eks. KL ved et tværsektorielt LKT."),
    )
    is_cross_sector = models.BooleanField(_("tværsektorielt"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(
        _("slutdato"), blank=True, help_text=_("Tom: to år efter startdatoen.")
    )
    decided_on = models.DateField(_("besluttet af styregruppen"), null=True, blank=True)
    description_approved_on = models.DateField(
        _("projektbeskrivelse godkendt"), null=True, blank=True
    )
    data_deadline_day = models.PositiveSmallIntegerField(
        _("frist for data (dag i måneden)"),
        default=15,
        help_text=_("Data for en måned skal være registreret senest denne dag i måneden efter."),
    )
    seminar_reminder_days = models.CharField(
        _("påmindelser før seminarer (dage før)"),
        max_length=50,
        default="14,2",
        validators=[validate_reminder_days],
        help_text=_(
            "Hvor mange dage før et seminar deltagerne får en påmindelse, adskilt af komma, "
            "f.eks. 14,2."
        ),
    )
    data_reminder_days = models.CharField(
        _("påmindelser før datafristen (dage før)"),
        max_length=50,
        default="7,1",
        validators=[validate_reminder_days],
        help_text=_(
            "Hvor mange dage før datafristen teams, der mangler data, får en påmindelse, "
            "adskilt af komma, f.eks. 7,1."
        ),
    )
    aim = models.TextField(
        _("målsætning (aim)"),
        blank=True,
        max_length=2000,
        validators=[validate_no_cpr],
        help_text=_("Driverdiagrammets mål: hvad, hvor meget, for hvem og hvornår."),
    )
    sustainment_start = models.DateField(_("fastholdelse fra"), null=True, blank=True)
    sustainment_frequency = models.CharField(
        _("målefrekvens i fastholdelse"),
        max_length=10,
        choices=SustainmentFrequency.choices,
        default=SustainmentFrequency.MONTHLY,
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("program (LKT)")
        verbose_name_plural = _("programmer (LKT'er)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeStatus.values), name="programme_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="programme_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(data_deadline_day__gte=1, data_deadline_day__lte=28),
                name="programme_deadline_day_1_28",
            ),
            models.CheckConstraint(
                condition=Q(sustainment_frequency__in=SustainmentFrequency.values),
                name="programme_sustainment_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.start_date and not self.end_date:
            self.end_date = two_years_after(self.start_date)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.start_date and not self.end_date and not out_of_bounds(start=self.start_date):
            self.end_date = two_years_after(self.start_date)
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("Slutdatoen skal ligge efter startdatoen.")})

    def can_change_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    def covers(self, day: dt.date) -> bool:
        """True when `day` lies within the programme's period (its months, inclusive)."""
        first = self.start_date.replace(day=1)
        return first <= day <= self.end_date

    # --- Sustainment: measuring on after the end date (periods in core.months) -------------

    @property
    def in_sustainment(self) -> bool:
        """True when the programme is in sustainment and measures on after its end date."""
        return self.status == ProgrammeStatus.SUSTAINMENT and self.sustainment_start is not None

    @property
    def is_quarterly(self) -> bool:
        return self.sustainment_frequency == SustainmentFrequency.QUARTERLY

    def sustainment_periods(self, today: dt.date) -> list[dt.date]:
        """The sustainment periods that have ended by `today` (none outside sustainment)."""
        if not self.in_sustainment:
            return []
        return months.sustainment_periods(self.end_date, self.sustainment_frequency, today)

    def reporting_periods(self, today: dt.date) -> list[dt.date]:
        """Every period data can exist for by `today`: the LKT's months through last month,
        then the sustainment periods."""
        lkt = months.reporting_months(self.start_date, self.end_date, today)
        return lkt + self.sustainment_periods(today)

    def accepts_period(self, day: dt.date, today: dt.date) -> bool:
        """True when data may be registered for the period beginning on `day`: a month of the
        programme's period, or (in sustainment) a sustainment period that has ended."""
        if self.covers(day):
            return True
        return self.in_sustainment and months.is_sustainment_period(
            day, self.end_date, self.sustainment_frequency, today
        )

    def is_quarter(self, period: dt.date) -> bool:
        """True when `period` is a quarter of the sustainment measuring (not a month)."""
        return (
            self.in_sustainment
            and period > self.end_date
            and months.period_months(period, self.sustainment_frequency) == 3
        )

    def period_months(self, period: dt.date) -> int:
        """1 for a month, 3 for a sustainment quarter."""
        return 3 if self.is_quarter(period) else 1

    def period_label(self, period: dt.date) -> str:
        """'juli 2027', or '3. kvt. 2027' for a sustainment quarter (in the active language)."""
        if self.is_quarter(period):
            return str(_("%(quarter)d. kvt. %(year)d")) % {
                "quarter": months.quarter_number(period),
                "year": period.year,
            }
        return date_format(period, "YEAR_MONTH_FORMAT")

    def period_deadline(self, period: dt.date) -> dt.date:
        """The data deadline of `period`: the deadline day of the month after it."""
        return months.period_deadline(period, self.data_deadline_day, self.period_months(period))


class ProgrammeStatusChange(CheckedFields):
    """One step in a programme's status history: who, when and why."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("fra status"), max_length=20, choices=Programme.Status.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=20, choices=Programme.Status.choices)
    reason = models.TextField(_("begrundelse"), validators=[validate_no_cpr])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ændret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("statusændring")
        verbose_name_plural = _("statushistorik")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="status_change_needs_reason"),
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="status_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.programme}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )


class ImprovementGoal(CheckedFields):
    """A goal the expert group has set for the programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("mål"), validators=[validate_no_cpr])
    # Named, not imported: indicators build on programmes (import contracts in pyproject.toml).
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        help_text=_("Indikatoren målet følges på."),
    )
    target_value = models.DecimalField(
        _("målværdi"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("I indikatorens enhed, f.eks. 90 for 90 %."),
    )
    target_date = models.DateField(_("nås senest"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("forbedringsmål")
        verbose_name_plural = _("forbedringsmål")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        indicator = self.indicator if self.indicator_id else None
        if indicator is not None and indicator.programme_id != self.programme_id:
            raise ValidationError({"indicator": _("Indikatoren hører ikke til programmet.")})


# Defined in their own modules to keep this one short; imported here so Django finds them.
from programmes.models.changes import ChangeIdea as ChangeIdea  # noqa: E402
from programmes.models.changes import ChangeIdeaStatus as ChangeIdeaStatus  # noqa: E402
from programmes.models.changes import ChangeSource as ChangeSource  # noqa: E402
from programmes.models.changes import DiagramRevision as DiagramRevision  # noqa: E402
from programmes.models.changes import Driver as Driver  # noqa: E402
from programmes.models.posts import ExpertGroup as ExpertGroup  # noqa: E402
from programmes.models.posts import ExpertMember as ExpertMember  # noqa: E402
from programmes.models.posts import ExpertRole as ExpertRole  # noqa: E402
from programmes.models.posts import ExpertSector as ExpertSector  # noqa: E402
from programmes.models.posts import ProgrammeLead as ProgrammeLead  # noqa: E402
from programmes.models.posts import RegionalCoordinator as RegionalCoordinator  # noqa: E402
from programmes.models.ratings import StatusColour as StatusColour  # noqa: E402
from programmes.models.ratings import StatusRating as StatusRating  # noqa: E402
from programmes.models.sustainment import SustainmentReview as SustainmentReview  # noqa: E402
