"""The national overview: one row per LKT with its teams, seminars, data and traffic light."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import core.months
from core.months import months_between
from indicators.models import Indicator
from indicators.summaries import registered_in, summaries_for
from indicators.wording import active_wording
from programmes.models import (
    Organisation,
    Programme,
    ProgrammeStatusChange,
    Region,
    StatusRating,
)
from status.selectors.series import SeriesStatus, series_status
from status.selectors.sustainment import ProgrammeHolding, sustainment_holding
from status.traffic import Facts, IndicatorFact, Light, traffic_light
from teams.models import ImprovementTeam

SECTOR_LABELS = {
    "regional": _("region/hospital"),
    "municipal": _("kommune"),
    "primary": _("almen praksis"),
}
MUNICIPAL_KINDS = [Organisation.Kind.MUNICIPALITY, Organisation.Kind.KL]


# --- Periods ---------------------------------------------------------------------------------


def due_months(programme: Programme, today: dt.date) -> list[dt.date]:
    """The programme's last three periods whose data deadline has passed."""
    return core.months.due_months(
        programme.start_date, programme.end_date, programme.data_deadline_day, today
    )


def phase_text(programme: Programme, today: dt.date, sustainment_since: dt.date | None) -> str:
    """'8 mdr. tilbage', '14 mdr. i fastholdelse' …: where the programme is in its life."""
    status = programme.status
    if status == Programme.Status.SUSTAINMENT:
        n = max(0, months_between(sustainment_since or programme.end_date, today))
        return ngettext("%(n)d md. i fastholdelse", "%(n)d mdr. i fastholdelse", n) % {"n": n}
    if status == Programme.Status.COMPLETED:
        return str(_("afsluttet %(month)s")) % {"month": _month(programme.end_date)}
    if status == Programme.Status.PREPARING and programme.start_date > today:
        n = max(1, months_between(today, programme.start_date))
        return ngettext("starter om %(n)d md.", "starter om %(n)d mdr.", n) % {"n": n}
    if programme.end_date < today:
        return str(_("slutdatoen %(month)s er passeret")) % {"month": _month(programme.end_date)}
    n = months_between(today, programme.end_date)
    return ngettext("%(n)d md. tilbage", "%(n)d mdr. tilbage", n) % {"n": n}


# --- The national overview -------------------------------------------------------------------


@dataclass
class StatusRow:
    """One LKT on the national overview."""

    programme: Programme
    phase: str
    teams: int = 0
    teams_by_region: list[tuple[Region, int]] = field(default_factory=list)
    sectors: list[tuple[str, int]] = field(default_factory=list)
    seminars_held: int = 0
    seminars_planned: int = 0
    registered: int = 0
    expected: int = 0
    periods: list[dt.date] = field(default_factory=list)
    indicators: list[SeriesStatus] = field(default_factory=list)
    light: Light | None = None
    rating: StatusRating | None = None
    sustainment: ProgrammeHolding | None = None  # in sustainment: who holds the gains

    @property
    def completeness(self) -> int | None:
        if not self.expected:
            return None
        return min(100, round(100 * self.registered / self.expected))

    @property
    def periods_text(self) -> str:
        if not self.periods:
            return ""
        return f"{_month(self.periods[0])}–{_month(self.periods[-1])}"

    @property
    def region_text(self) -> str:
        return ", ".join(f"{region.code} {n}" for region, n in self.teams_by_region)

    @property
    def sector_text(self) -> str:
        return ", ".join(f"{label} {n}" for label, n in self.sectors)


def filter_choices() -> tuple[list[Region], list[str]]:
    """Regions and the clinical areas in use, for the filters."""
    regions = list(Region.objects.order_by("name"))
    areas = list(
        Programme.objects.exclude(clinical_area="")
        .order_by("clinical_area")
        .values_list("clinical_area", flat=True)
        .distinct()
    )
    return regions, areas


def status_programmes(
    *, status: str = "", region: int | None = None, area: str = ""
) -> list[Programme]:
    """The programmes the overview shows, with their latest rating and sustainment start."""
    programmes = annotated_programmes()
    if status:
        programmes = programmes.filter(status=status)
    if region:
        programmes = programmes.filter(lead_region_id=region)
    if area:
        programmes = programmes.filter(clinical_area=area)
    return list(programmes.order_by("name"))


def status_rows(
    programmes: Sequence[Programme], regions: Iterable[Region], today: dt.date | None = None
) -> list[StatusRow]:
    """Every fact of the overview for the programmes: six queries, however many there are."""
    today = today or timezone.localdate()
    regions_by_id = {region.pk: region for region in regions}
    by_id = {p.pk: p for p in programmes}
    rows = {
        p.pk: StatusRow(
            programme=p,
            phase=phase_text(p, today, _local_date(getattr(p, "sustainment_since", None))),
            periods=due_months(p, today),
        )
        for p in programmes
    }
    if not rows:
        return []
    teams = _team_groups(list(by_id))
    _add_teams(rows, teams, regions_by_id)
    _add_sectors(rows, list(by_id))
    _add_seminars(rows, list(by_id))
    indicators = active_indicators_of(by_id)
    summaries = summaries_for(indicators, with_points=False)
    for indicator in indicators:
        row = rows[indicator.programme_id]
        summary = summaries[(indicator.pk, None)]
        row.indicators.append(series_status(indicator, summary))
        row.registered += registered_in(summary, row.periods)
    n_indicators: defaultdict[int, int] = defaultdict(int)
    for indicator in indicators:
        n_indicators[indicator.programme_id] += 1
    for programme_id, row in rows.items():
        row.expected = (
            _expected(teams.get(programme_id, []), row.periods) * n_indicators[programme_id]
        )
    for programme_id, holding in sustainment_holding(programmes, today).items():
        # In sustainment, completeness is that of the latest sustainment periods.
        row = rows[programme_id]
        row.sustainment = holding
        row.periods, row.registered, row.expected = (
            holding.due,
            holding.registered,
            holding.expected,
        )
    for row in rows.values():
        row.light = traffic_light(_facts(row))
    _add_ratings(rows)
    return [rows[p.pk] for p in programmes]


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def _team_groups(programme_ids: list[int]) -> dict[int, list[dict]]:
    """Teams counted by programme, region, status and start month (one grouped query)."""
    groups: dict[int, list[dict]] = defaultdict(list)
    for row in (
        ImprovementTeam.objects.filter(programme_id__in=programme_ids)
        .values("programme_id", "region_id", "status", "started_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        groups[row["programme_id"]].append(row)
    return groups


def _add_teams(rows: dict[int, StatusRow], teams: dict, regions: dict[int, Region]) -> None:
    for programme_id, groups in teams.items():
        per_region: dict[int, int] = defaultdict(int)
        for group in groups:
            per_region[group["region_id"]] += group["n"]
        row = rows[programme_id]
        row.teams = sum(per_region.values())
        row.teams_by_region = sorted(
            ((regions[r], n) for r, n in per_region.items() if r in regions),
            key=lambda pair: pair[0].name,
        )


def _expected(groups: list[dict], periods: list[dt.date]) -> int:
    """Team-periods expected in `periods`: teams not withdrawn, from their start month."""
    total = 0
    for group in groups:
        if group["status"] == ImprovementTeam.Status.WITHDRAWN:
            continue
        started = group["started_on"].replace(day=1) if group["started_on"] else None
        total += group["n"] * sum(1 for m in periods if started is None or m >= started)
    return total


def _sector_of_kind() -> Case:
    return Case(
        When(organisations__kind__in=MUNICIPAL_KINDS, then=Value("municipal")),
        When(organisations__kind=Organisation.Kind.GENERAL_PRACTICE, then=Value("primary")),
        When(organisations__isnull=False, then=Value("regional")),
        default=Value(""),
        output_field=CharField(),
    )


def _add_sectors(rows: dict[int, StatusRow], programme_ids: list[int]) -> None:
    """Teams with an organisation in each sector (a cross-sector team counts in several)."""
    counted: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        ImprovementTeam.objects.filter(programme_id__in=programme_ids)
        .annotate(sector=_sector_of_kind())
        .exclude(sector="")
        .values("programme_id", "sector")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    ):
        counted[row["programme_id"]][row["sector"]] = row["n"]
    for programme_id, sectors in counted.items():
        rows[programme_id].sectors = [
            (str(label), sectors[key]) for key, label in SECTOR_LABELS.items() if key in sectors
        ]


def _add_seminars(rows: dict[int, StatusRow], programme_ids: list[int]) -> None:
    now = timezone.now()
    held = Q(seminars__cancelled_at__isnull=True, seminars__ends_at__lt=now)
    planned = Q(seminars__cancelled_at__isnull=True, seminars__ends_at__gte=now)
    for row in (
        Programme.objects.filter(pk__in=programme_ids)
        .values("pk")
        .annotate(held=Count("seminars", filter=held), planned=Count("seminars", filter=planned))
        .order_by()
    ):
        rows[row["pk"]].seminars_held = row["held"]
        rows[row["pk"]].seminars_planned = row["planned"]


def active_indicators_of(programmes: dict[int, Programme]) -> list[Indicator]:
    indicators = list(
        Indicator.objects.filter(programme_id__in=list(programmes), is_active=True).order_by(
            "programme_id", "order", "name"
        )
    )
    for indicator in indicators:
        indicator.programme = programmes[indicator.programme_id]
    return indicators


def _facts(row: StatusRow) -> Facts:
    return Facts(
        paused=row.programme.status == Programme.Status.PAUSED,
        teams=row.teams,
        expected=row.expected,
        registered=row.registered,
        indicators=[
            IndicatorFact(s.indicator.name, s.indicator.kind, s.verdict) for s in row.indicators
        ],
    )


def _add_ratings(rows: dict[int, StatusRow]) -> None:
    # `latest_rating_id` is annotated by `_programmes()`.
    ids = [
        rating_id
        for row in rows.values()
        if (rating_id := getattr(row.programme, "latest_rating_id", None))
    ]
    if not ids:
        return
    for rating in StatusRating.objects.filter(pk__in=ids).select_related("rated_by"):
        rows[rating.programme_id].rating = rating


def annotated_programmes() -> QuerySet[Programme]:
    """Programmes with their lead region, co-lead, latest rating id and sustainment start."""
    sustainment = ProgrammeStatusChange.objects.filter(
        programme=OuterRef("pk"), to_status=Programme.Status.SUSTAINMENT
    ).order_by("-changed_at", "-pk")
    latest_rating = StatusRating.objects.filter(programme=OuterRef("pk")).order_by(
        "-rated_at", "-pk"
    )
    return Programme.objects.select_related("lead_region", "co_lead").annotate(
        sustainment_since=Subquery(sustainment.values("changed_at")[:1]),
        latest_rating_id=Subquery(latest_rating.values("pk")[:1]),
    )


def _month(day: dt.date) -> str:
    """'okt 2025' in Danish, 'Oct 2025' in English."""
    return active_wording().month(day.year, day.month)
