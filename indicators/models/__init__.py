"""Indicators of a programme and the teams' measurements of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CheckedFields
from programmes.models import Programme
from programmes.validators import validate_no_cpr
from teams.models import ImprovementTeam

if TYPE_CHECKING:
    import datetime as dt

    from accounts.models import User


class IndicatorKind(models.TextChoices):
    PROCESS = "process", _("Procesindikator")
    OUTCOME = "outcome", _("Resultatindikator")
    BALANCING = "balancing", _("Balanceindikator")


class Measure(models.TextChoices):
    PROPORTION = "proportion", _("Andel (tæller/nævner)")
    RATE = "rate", _("Rate (antal pr. eksponering)")
    COUNT = "count", _("Antal")
    VALUE = "value", _("Måleværdi")


MEASURES_WITH_DENOMINATOR = (Measure.PROPORTION, Measure.RATE)


class Direction(models.TextChoices):
    UP = "up", _("Højere er bedre")
    DOWN = "down", _("Lavere er bedre")
    NONE = "none", _("Ingen retning")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Månedlig")
    QUARTERLY = "quarterly", _("Kvartalsvis")


class DataSource(models.TextChoices):
    PORTAL = "portal", _("Registreres af teamet i portalen")
    DATABASE = "database", _("Hentes fra klinisk kvalitetsdatabase")
    OTHER = "other", _("Anden kilde")


# The SPC chart each kind of measure is drawn as.
CHART_FOR_MEASURE = {
    Measure.PROPORTION: "p",
    Measure.RATE: "u",
    Measure.COUNT: "c",
    Measure.VALUE: "i",
}


class Indicator(CheckedFields):
    """What a programme measures, how, and which direction is better."""

    Kind = IndicatorKind
    Measure = Measure
    Direction = Direction

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("navn"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=IndicatorKind.choices)
    measure = models.CharField(_("måltype"), max_length=20, choices=Measure.choices)
    numerator_definition = models.TextField(_("tæller"), blank=True)
    denominator_definition = models.TextField(_("nævner"), blank=True)
    unit = models.CharField(_("enhed"), max_length=50, blank=True, help_text=_("F.eks. %."))
    multiplier = models.PositiveIntegerField(
        _("multiplikator"),
        default=1,
        help_text=_("F.eks. 100 for procent eller 1000 for pr. 1.000 sengedage."),
    )
    better_direction = models.CharField(
        _("bedre retning"), max_length=10, choices=Direction.choices, default=Direction.UP
    )
    target = models.DecimalField(
        _("mål"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("I samme enhed som grafen, f.eks. 90 for 90 %."),
    )
    frequency = models.CharField(
        _("hyppighed"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    data_source = models.CharField(
        _("datakilde"), max_length=20, choices=DataSource.choices, default=DataSource.PORTAL
    )
    national_goal = models.CharField(_("understøtter nationalt mål"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="indicator_name_unique"),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="indicator_measure_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"
            ),
            models.CheckConstraint(condition=Q(multiplier__gte=1), name="indicator_multiplier_1"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_denominator(self) -> bool:
        return self.measure in MEASURES_WITH_DENOMINATOR

    @property
    def chart(self) -> str:
        return CHART_FOR_MEASURE[Measure(self.measure)]


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def for_series(self, team: ImprovementTeam, indicator: Indicator) -> MeasurementQuerySet:
        return self.filter(team=team, indicator=indicator).order_by("period_start")


class Measurement(CheckedFields):
    """One team's figure for one indicator in one period: aggregates only, never patient data."""

    team = models.ForeignKey(
        ImprovementTeam,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period_start = models.DateField(_("periode"), help_text=_("Første dag i perioden."))
    numerator = models.DecimalField(
        _("tæller"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("nævner"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(_("værdi"), max_digits=14, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True, validators=[validate_no_cpr])
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    objects = MeasurementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Read by django-simple-history when it writes a version: who made it, and when (not fields).
    _history_user: User | None
    _history_date: dt.datetime

    class Meta:
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        ordering = ["team", "indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "indicator", "period_start"], name="measurement_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="measurement_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="measurement_denominator_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(numerator__isnull=False, denominator__isnull=False, value__isnull=True)
                    | Q(numerator__isnull=True, denominator__isnull=True, value__isnull=False)
                ),
                name="measurement_fraction_or_value",
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1), name="measurement_period_starts_on_day_1"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        month = date_format(self.period_start, "YEAR_MONTH_FORMAT")
        return f"{self.team} · {self.indicator} · {month}"

    def clean(self) -> None:
        errors = measurement_errors(
            self.indicator if self.indicator_id else None,
            self.team if self.team_id else None,
            period_start=self.period_start,
            numerator=self.numerator,
            denominator=self.denominator,
            value=self.value,
        )
        if errors:
            raise ValidationError(errors)

    @property
    def plotted(self) -> float | None:
        """The value the chart shows: the ratio times the multiplier, or the value itself."""
        if self.value is not None:
            return float(self.value)
        if self.numerator is None or not self.denominator:
            return None
        return float(self.numerator / self.denominator) * self.indicator.multiplier


class ChartChangeKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline (centerlinje fastfrosset)")
    SPLIT = "split", _("Opdeling ved en ændring")


class ChartChange(CheckedFields):
    """A national project lead's decision about how an indicator's charts are read.

    A baseline freezes the centre line and limits on the periods up to and including
    `period_start`; a split starts a new part (own centre line, limits and runs analysis) at
    `period_start`. Without a team it applies to every team's chart and to the programme's.
    """

    Kind = ChartChangeKind

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="chart_changes")
    team = models.ForeignKey(
        ImprovementTeam,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chart_changes",
        help_text=_("Tom: gælder alle teams og programmets graf."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=ChartChangeKind.choices)
    period_start = models.DateField(_("periode"))
    reason = models.TextField(_("begrundelse"), validators=[validate_no_cpr])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("ændring af graf")
        verbose_name_plural = _("ændringer af grafer")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="chart_change_needs_reason"),
            models.CheckConstraint(
                condition=Q(kind__in=ChartChangeKind.values), name="chart_change_kind_valid"
            ),
            models.CheckConstraint(condition=Q(period_start__day=1), name="chart_change_day_1"),
            models.UniqueConstraint(
                fields=["indicator", "team", "kind", "period_start"],
                name="chart_change_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["indicator", "kind", "period_start"],
                condition=Q(team__isnull=True),
                name="chart_change_once_for_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_kind_display()} {self.period_start:%Y-%m}"

    def clean(self) -> None:
        programme = self.indicator.programme if self.indicator_id else None
        if self.period_start and programme and not programme.covers(self.period_start):
            raise ValidationError({"period_start": _("Vælg en måned i programmets periode.")})


class SeriesSummary(models.Model):
    """One series analysed when its data last changed, so status pages need not run SPC.

    Without a team it is the LKT-level aggregate of the indicator (sum of numerators over sum of
    denominators per month, or the mean per reporting team) without its provisional months.
    Written only by `indicators.summaries.refresh_summaries`.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="summaries")
    team = models.ForeignKey(
        ImprovementTeam,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="series_summaries",
        help_text=_("Tom: hele LKT'ets samlede serie."),
    )
    first_month = models.DateField(_("første måned"))
    points = models.JSONField(
        _("tæller, nævner og værdi pr. måned"), default=list, help_text=_("[[t, n, v], …]")
    )
    sparkline = models.JSONField(_("vist værdi pr. måned"), default=list)
    counts = models.JSONField(_("registreringer pr. måned"), default=list)
    verdict = models.CharField(_("vurdering"), max_length=30)
    versus_previous_phase = models.BooleanField(
        _("vurderet mod forrige fase"),
        default=False,
        help_text=_("Vurderingen er ændringen fra forrige fases centerlinje."),
    )
    previous_phase_cl = models.FloatField(_("forrige fases centerlinje"), null=True, blank=True)
    latest_phase_cl = models.FloatField(_("seneste fases centerlinje"), null=True, blank=True)
    assurance = models.CharField(_("målopfyldelse"), max_length=20, blank=True)
    signal_side = models.SmallIntegerField(
        _("signalets side"),
        default=0,
        help_text=_("1: over centerlinjen, -1: under, 0: intet signal."),
    )
    n_useful = models.PositiveIntegerField(_("brugbare målinger"), default=0)
    last_value = models.FloatField(_("seneste værdi"), null=True, blank=True)
    registered_recent = models.PositiveIntegerField(
        _("registreringer de seneste tre perioder"), default=0
    )
    provisional = models.JSONField(
        _("foreløbige måneder"),
        default=list,
        blank=True,
        help_text=_('[["ÅÅÅÅ-MM", rapporterende teams, forventede teams], …]; kun LKT-niveau.'),
    )
    signature = models.CharField(
        _("indikatorens indstillinger ved beregningen"), max_length=200, blank=True
    )
    computed_at = models.DateTimeField(_("beregnet"), default=timezone.now)

    class Meta:
        verbose_name = _("serieoversigt")
        verbose_name_plural = _("serieoversigter")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "team"], name="series_summary_once"),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(team__isnull=True),
                name="series_summary_once_for_lkt",
            ),
        ]
        indexes = [models.Index(fields=["computed_at"], name="series_summary_computed")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.team or 'LKT'}: {self.verdict}"


class UploadPreview(models.Model):
    """An uploaded file's checked rows, kept between preview and confirmation (not in the
    session, which every request loads); one per person, gone after `LKT_UPLOAD_PREVIEW_SECONDS`."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("filnavn"), max_length=255, blank=True)
    rows = models.JSONField(_("rækker"), default=list)
    created_at = models.DateTimeField(_("uploadet"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("upload til gennemsyn")
        verbose_name_plural = _("uploads til gennemsyn")

    def __str__(self) -> str:
        return self.filename


# Defined in their own module to keep this one short; imported here so Django finds them.
from indicators.models.definitions import DEFINITION_FIELDS as DEFINITION_FIELDS  # noqa: E402
from indicators.models.definitions import IndicatorProposal as IndicatorProposal  # noqa: E402
from indicators.models.definitions import IndicatorVersion as IndicatorVersion  # noqa: E402
from indicators.models.definitions import ProposalStatus as ProposalStatus  # noqa: E402
from indicators.models.rules import measurement_errors as measurement_errors  # noqa: E402
from indicators.models.rules import period_error as period_error  # noqa: E402
