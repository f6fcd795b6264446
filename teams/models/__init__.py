"""Local improvement teams, their members and their PDSA cycles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
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
from core.months import first_of_month
from programmes.models import Organisation, Programme, Region
from programmes.validators import validate_no_cpr

if TYPE_CHECKING:
    from collections.abc import Iterable

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


class PDSAState(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    RUNNING = "running", _("I gang")
    STUDIED = "studied", _("Studeret")
    DECIDED = "decided", _("Besluttet")


class PDSADecision(models.TextChoices):
    ADOPT = "adopt", _("Indfør (adopt)")
    ADAPT = "adapt", _("Tilpas (adapt)")
    ABANDON = "abandon", _("Opgiv (abandon)")


class PDSACycle(CheckedFields):
    """A Plan-Do-Study-Act test of a change idea (from the programme's change package or the
    team's own), optionally aimed at an indicator; cycles can build on each other (a ramp)."""

    State = PDSAState
    Decision = PDSADecision

    team = models.ForeignKey(ImprovementTeam, on_delete=models.CASCADE, related_name="pdsa_cycles")
    title = models.CharField(_("titel"), max_length=200)
    change_idea = models.ForeignKey(
        "programmes.ChangeIdea",
        verbose_name=_("forandringsidé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
    )
    own_idea = models.CharField(
        _("teamets egen idé"),
        max_length=200,
        blank=True,
        help_text=_("Når cyklussen afprøver en idé, der ikke (endnu) er i forandringspakken."),
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("indikatorer"),
        blank=True,
        related_name="pdsa_cycles",
        help_text=_("De indikatorer i programmet, som ændringen skal flytte."),
    )
    builds_on = models.ForeignKey(
        "self",
        verbose_name=_("bygger på cyklus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
    )
    inspired_by = models.ForeignKey(
        "self",
        verbose_name=_("inspireret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspired",
        help_text=_("Et andet teams cyklus, som teamet også vil prøve."),
    )
    state = models.CharField(
        _("tilstand"), max_length=10, choices=PDSAState.choices, default=PDSAState.PLANNED
    )
    prediction = models.TextField(
        _("forudsigelse"),
        blank=True,
        max_length=2000,
        validators=[validate_no_cpr],
        help_text=_("Vi forventer, at …"),
    )
    who = models.CharField(_("hvem"), max_length=200, blank=True)
    where = models.CharField(_("hvor"), max_length=200, blank=True)
    plan = models.TextField(_("plan"), blank=True, validators=[validate_no_cpr])
    do = models.TextField(_("udfør"), blank=True, validators=[validate_no_cpr])
    observations = models.TextField(_("observationer"), blank=True, validators=[validate_no_cpr])
    study = models.TextField(_("studér"), blank=True, validators=[validate_no_cpr])
    act = models.TextField(_("handl"), blank=True, validators=[validate_no_cpr])
    decision = models.CharField(
        _("beslutning"), max_length=10, choices=PDSADecision.choices, blank=True
    )
    started_on = models.DateField(_("startdato"))
    ended_on = models.DateField(_("slutdato"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[indicators])

    class Meta:
        verbose_name = _("PDSA-cyklus")
        verbose_name_plural = _("PDSA-cyklusser")
        ordering = ["team", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pdsa_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(state__in=PDSAState.values), name="pdsa_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=PDSADecision.values),
                name="pdsa_decision_valid",
            ),
            # A decision only after the study, and a decided cycle has one.
            models.CheckConstraint(
                condition=(Q(state=PDSAState.DECIDED) & ~Q(decision="") & ~Q(study=""))
                | (~Q(state=PDSAState.DECIDED) & Q(decision="")),
                name="pdsa_decision_after_study",
            ),
            models.CheckConstraint(
                condition=~Q(state=PDSAState.STUDIED) | ~Q(study=""),
                name="pdsa_studied_has_study",
            ),
            models.CheckConstraint(
                condition=~Q(builds_on=models.F("id")), name="pdsa_not_built_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Slutdatoen kan ikke ligge før startdatoen.")})
        if not self.team_id:
            return
        programme_id = self.team.programme_id
        idea = self.change_idea if self.change_idea_id else None
        if idea is not None and idea.programme_id != programme_id:
            raise ValidationError(
                {"change_idea": _("Forandringsidéen hører ikke til teamets program.")}
            )
        earlier = self.builds_on if self.builds_on_id else None
        if earlier is not None and (earlier.team_id != self.team_id or earlier.pk == self.pk):
            raise ValidationError(
                {"builds_on": _("En cyklus kan kun bygge på en anden af teamets egne cyklusser.")}
            )
        if earlier is not None and self._ramp_leads_back():
            raise ValidationError(
                {
                    "builds_on": _(
                        "Cyklussen kan ikke bygge på en cyklus, der selv bygger videre på den "
                        "(en rampe går kun fremad)."
                    )
                }
            )
        if self.decision and not self.study.strip():
            raise ValidationError(
                {"decision": _("Beslut først, når cyklussen er studeret (udfyld “Studér”).")}
            )
        if self.state == PDSAState.DECIDED and not self.decision:
            raise ValidationError(
                {"decision": _("Vælg en beslutning: indfør, tilpas eller opgiv.")}
            )
        if self.state == PDSAState.STUDIED and not self.study.strip():
            raise ValidationError({"study": _("Udfyld “Studér”: resultatet mod forudsigelsen.")})
        if self.decision and self.state != PDSAState.DECIDED:
            raise ValidationError({"state": _("En cyklus med en beslutning er besluttet.")})

    def _ramp_leads_back(self) -> bool:
        """Whether following `builds_on` from this cycle comes back to it (A → B → A): one query
        per step of the ramp, which is a handful of cycles."""
        if self.pk is None:
            return False  # a new cycle: nothing builds on it yet
        seen: set[int] = set()
        step = self.builds_on_id
        while step is not None and step not in seen:
            if step == self.pk:
                return True
            seen.add(step)
            step = PDSACycle.objects.filter(pk=step).values_list("builds_on_id", flat=True).first()
        return False

    def clean_indicators(self, indicators: Iterable[models.Model]) -> None:
        """The indicators a cycle aims at belong to its team's programme (a many-to-many
        relation cannot carry a database check; the services and the form ask this)."""
        foreign = [
            i for i in indicators if getattr(i, "programme_id", None) != self.team.programme_id
        ]
        if foreign:
            raise ValidationError({"indicators": _("Indikatoren hører ikke til teamets program.")})


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

# What each step means, for the short help beside the scale (same order as PROGRESS_SCALE).
PROGRESS_SCALE_MEANING: list[StrOrPromise] = [
    _("Teamet har meldt sig, men arbejdet er ikke begyndt."),
    _("Teamet er sammensat; mål og målinger drøftes."),
    _("Mål og målinger er fastlagt; de første ændringer planlægges."),
    _("Teamet indsamler data, men har endnu ikke afprøvet ændringer."),
    _("PDSA-cyklusser er gennemført, men målingerne har ikke flyttet sig."),
    _("De første tegn på forbedring ses i målingerne."),
    _("Tydelig forbedring i flere af målingerne."),
    _("De fleste mål er nået eller tæt på."),
    _("Forbedringen holder over tid og spredes i organisationen."),
    _("Alle mål er nået, og resultaterne fastholdes i den daglige drift."),
]

# A difference of a whole point or more between the team's and the expert group's score is a
# conversation for the next seminar (the IHI double rating).
RATING_GAP = Decimal("1.0")


class Rater(models.TextChoices):
    TEAM = "team", _("Teamets egen vurdering")
    EXPERT = "expert", _("Ekspertgruppens vurdering")


def reportable_month_error(programme: Programme, month: dt.date) -> StrOrPromise | None:
    """Why a monthly report or score cannot be given for `month`, in Danish; None when it can:
    a month of the programme's period (or after it, in sustainment), not after the current one."""
    first = first_of_month(programme.start_date)
    if month < first:
        message = _("Måneden kan ikke ligge før programmets start (%(start)s).")
        return message % {"start": date_format(first, "YEAR_MONTH_FORMAT")}
    if month > first_of_month(timezone.localdate()):
        return _("Der kan ikke gives score eller rapport for en kommende måned.")
    if (
        programme.end_date
        and month > first_of_month(programme.end_date)
        and not programme.in_sustainment
    ):
        message = _("Måneden kan ikke ligge efter programmets slutning (%(end)s).")
        return message % {"end": date_format(programme.end_date, "YEAR_MONTH_FORMAT")}
    return None


class MonthOfTeam(CheckedFields):
    """A team's entry for a month of its programme, from the first month to the current one."""

    team: models.ForeignKey[ImprovementTeam, ImprovementTeam]
    team_id: int
    month = models.DateField(_("måned"), help_text=_("Første dag i måneden."))

    class Meta:
        abstract = True

    def clean(self) -> None:
        if not self.month or not self.team_id:
            return
        error = reportable_month_error(self.team.programme, self.month)
        if error:
            raise ValidationError({"month": error})


class ProgressScore(MonthOfTeam):
    """A monthly IHI progress score (0.5 to 5.0) of a team: the team's own (set by its local
    project lead) or the expert group's, each with a short reason."""

    Rater = Rater

    team = models.ForeignKey(
        ImprovementTeam, on_delete=models.CASCADE, related_name="progress_scores"
    )
    rater = models.CharField(_("vurderet af"), max_length=10, choices=Rater.choices)
    score = models.DecimalField(
        _("fremdriftsscore"), max_digits=2, decimal_places=1, choices=PROGRESS_SCALE
    )
    comment = models.TextField(
        _("begrundelse"), blank=True, max_length=500, validators=[validate_no_cpr]
    )
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
        ordering = ["team", "month", "rater"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month", "rater"], name="progress_score_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0.5, score__lte=5), name="progress_score_0_5_to_5"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_score_month_day_1"),
            models.CheckConstraint(
                condition=Q(rater__in=Rater.values), name="progress_score_rater_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m} ({self.rater}): {self.score}"


class MonthlyNote(MonthOfTeam):
    """The team's short monthly note: with its own score, the team's monthly report."""

    team = models.ForeignKey(
        ImprovementTeam, on_delete=models.CASCADE, related_name="monthly_notes"
    )
    tried = models.TextField(_("hvad vi afprøvede"), max_length=1000, validators=[validate_no_cpr])
    learned = models.TextField(_("hvad vi lærte"), max_length=1000, validators=[validate_no_cpr])
    next_steps = models.TextField(_("næste skridt"), max_length=1000, validators=[validate_no_cpr])
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("skrevet"), auto_now=True)

    class Meta:
        verbose_name = _("månedsnote")
        verbose_name_plural = _("månedsnoter")
        ordering = ["team", "month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="monthly_note_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_note_month_day_1"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}"


# Defined in its own module to keep this one short; imported here so Django finds it.
from teams.models.sustainment import SustainmentLogEntry as SustainmentLogEntry  # noqa: E402
from teams.models.sustainment import SustainmentPlan as SustainmentPlan  # noqa: E402
from teams.models.sustainment import SustainmentPlanState as SustainmentPlanState  # noqa: E402
