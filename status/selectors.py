"""Reads for the steering group's status pages: a fixed number of queries per page.

Nothing here runs SPC on the stored measurements: verdicts, sparklines and registration counts
come from the cached `SeriesSummary` rows (see `indicators.summaries`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import core.months
from core.months import label_da, months_between
from indicators import spc
from indicators.charting import Chart, build_chart
from indicators.models import ChartChange, Indicator, SeriesSummary
from indicators.summaries import points_of, registered_in, summaries_for
from programmes.models import (
    Organisation,
    Programme,
    ProgrammeStatusChange,
    Region,
    StatusRating,
)
from status.sparkline import sparkline_svg
from status.traffic import Facts, IndicatorFact, Light, traffic_light
from teams.models import ImprovementTeam

VERDICT_SHORT = {
    "improvement": _("Forbedring"),
    "deterioration": _("Forværring"),
    "common_cause": _("Tilfældig variation"),
    "no_direction_signal": _("Signal uden retning"),
    "too_few_data": _("For få data"),
}
VERDICT_SYMBOLS = {
    "improvement": "+",
    "deterioration": "−",
    "common_cause": "~",
    "no_direction_signal": "!",
    "too_few_data": "…",
}
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
        return str(_("afsluttet %(month)s")) % {"month": label_da(programme.end_date)}
    if status == Programme.Status.PREPARING and programme.start_date > today:
        n = max(1, months_between(today, programme.start_date))
        return ngettext("starter om %(n)d md.", "starter om %(n)d mdr.", n) % {"n": n}
    if programme.end_date < today:
        return str(_("slutdatoen %(month)s er passeret")) % {"month": label_da(programme.end_date)}
    n = months_between(today, programme.end_date)
    return ngettext("%(n)d md. tilbage", "%(n)d mdr. tilbage", n) % {"n": n}


# --- Series ----------------------------------------------------------------------------------


@dataclass
class SeriesStatus:
    """One indicator's series (LKT level or one team) as a status page shows it."""

    indicator: Indicator
    summary: SeriesSummary
    team: ImprovementTeam | None = None

    @property
    def verdict(self) -> str:
        return self.summary.verdict

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_SHORT[self.verdict])

    @property
    def verdict_text(self) -> str:
        return spc.VERDICT_LABELS_DA[self.verdict]

    @property
    def verdict_symbol(self) -> str:
        return VERDICT_SYMBOLS[self.verdict]

    @property
    def assurance_label(self) -> str:
        return spc.ASSURANCE_LABELS_DA.get(self.summary.assurance, "")

    @property
    def sparkline(self) -> str:
        return sparkline_svg(self.summary.sparkline)

    @property
    def last_value(self) -> str:
        value = self.summary.last_value
        if value is None:
            return ""
        unit = self.indicator.unit
        return spc.format_number_da(value) + (f" {unit}" if unit else "")


def _series(indicator: Indicator, summary: SeriesSummary, team=None) -> SeriesStatus:
    return SeriesStatus(indicator, summary, team)


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

    @property
    def completeness(self) -> int | None:
        if not self.expected:
            return None
        return min(100, round(100 * self.registered / self.expected))

    @property
    def periods_text(self) -> str:
        if not self.periods:
            return ""
        return f"{label_da(self.periods[0])}–{label_da(self.periods[-1])}"

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
    indicators = _active_indicators(by_id)
    summaries = summaries_for(indicators, with_points=False)
    for indicator in indicators:
        row = rows[indicator.programme_id]
        summary = summaries[(indicator.pk, None)]
        row.indicators.append(_series(indicator, summary))
        row.registered += registered_in(summary, row.periods)
    n_indicators = defaultdict(int)
    for indicator in indicators:
        n_indicators[indicator.programme_id] += 1
    for programme_id, row in rows.items():
        row.expected = (
            _expected(teams.get(programme_id, []), row.periods) * n_indicators[programme_id]
        )
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


def _active_indicators(programmes: dict[int, Programme]) -> list[Indicator]:
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
    ids = [
        row.programme.latest_rating_id
        for row in rows.values()
        if getattr(row.programme, "latest_rating_id", None)
    ]
    if not ids:
        return
    for rating in StatusRating.objects.filter(pk__in=ids).select_related("rated_by"):
        rows[rating.programme_id].rating = rating


# --- One programme ---------------------------------------------------------------------------


@dataclass
class TeamStatus:
    """One team's row on a programme's (or a region's) status page."""

    team: ImprovementTeam
    registered: int = 0
    expected: int = 0
    series: list[SeriesStatus] = field(default_factory=list)

    @property
    def completeness(self) -> int | None:
        if not self.expected:
            return None
        return min(100, round(100 * self.registered / self.expected))

    def count(self, verdict: str) -> int:
        return sum(s.verdict == verdict for s in self.series)

    @property
    def improving(self) -> int:
        return self.count("improvement")

    @property
    def deteriorating(self) -> int:
        return self.count("deterioration")

    @property
    def too_few(self) -> int:
        return self.count("too_few_data")


def programme_status(programme: Programme, today: dt.date | None = None) -> dict:
    """Everything the programme's status page (and its PDF) shows, in a fixed number of queries.

    The indicators' LKT-level charts are drawn from the cached monthly figures, never from the
    measurements.
    """
    today = today or timezone.localdate()
    if not hasattr(programme, "latest_rating_id"):
        programme = annotated_programmes().get(pk=programme.pk)
    regions = list(Region.objects.order_by("name"))
    (row,) = status_rows([programme], regions, today)
    teams = list(
        programme.teams.select_related("region")
        .prefetch_related("organisations")
        .order_by("region__name", "name")
    )
    team_rows = team_statuses(teams, [s.indicator for s in row.indicators], row.periods)
    return {
        "programme": programme,
        "row": row,
        "charts": lkt_charts(programme, row.indicators),
        "teams": team_rows,
        "seminars": list(programme.seminars.order_by("starts_at")),
        "ratings": list(programme.ratings.select_related("rated_by")[:3]),
        "today": today,
        "now": timezone.now(),
    }


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


def team_statuses(
    teams: Sequence[ImprovementTeam], indicators: Sequence[Indicator], periods_of: object
) -> list[TeamStatus]:
    """Each team's series and completeness; `periods_of` is a list of months, or a function
    from a team's programme to its list of months (teams from several programmes)."""
    by_team = {team.pk: TeamStatus(team) for team in teams}
    summaries = summaries_for(
        indicators, team_ids=list(by_team), lkt=False, only=("verdict", "counts")
    )
    for indicator in indicators:
        for team in teams:
            if team.programme_id != indicator.programme_id:
                continue
            status = by_team[team.pk]
            summary = summaries[(indicator.pk, team.pk)]
            status.series.append(_series(indicator, summary, team))
            periods = periods_of(team.programme) if callable(periods_of) else periods_of
            started = team.started_on.replace(day=1) if team.started_on else None
            own = [m for m in periods if started is None or m >= started]
            status.registered += min(registered_in(summary, own), len(own))
            if team.status != ImprovementTeam.Status.WITHDRAWN:
                status.expected += len(own)
    return [by_team[team.pk] for team in teams]


def lkt_charts(programme: Programme, series: Sequence[SeriesStatus]) -> list[Chart]:
    """The LKT-level control chart of each indicator, drawn from its cached monthly figures."""
    from indicators.selectors import programme_months

    months = programme_months(programme)
    indicators = [s.indicator for s in series]
    summaries = summaries_for(indicators)  # with the monthly figures this time
    changes = defaultdict(list)
    for change in ChartChange.objects.filter(indicator__in=indicators, team__isnull=True):
        changes[change.indicator_id].append(change)
    charts = []
    for indicator in indicators:
        summary = summaries[(indicator.pk, None)]
        charts.append(
            build_chart(
                indicator,
                months,
                points_of(summary, months),
                title=f"{indicator.name} – {programme.name}",
                kind="spc",
                changes=changes.get(indicator.pk, []),
                width=720,
                height=300,
            )
        )
    return charts


# --- One indicator ---------------------------------------------------------------------------


def indicator_status(indicator: Indicator, teams: Sequence[ImprovementTeam]) -> dict:
    """The indicator's LKT-level chart and its teams' series (the page's teams only)."""
    programme = indicator.programme
    lkt = summaries_for([indicator])[(indicator.pk, None)]
    (chart,) = lkt_charts(programme, [_series(indicator, lkt)])
    summaries = summaries_for(
        [indicator], team_ids=[t.pk for t in teams], lkt=False, with_points=False
    )
    return {
        "lkt": _series(indicator, lkt),
        "chart": chart,
        "team_series": [_series(indicator, summaries[(indicator.pk, t.pk)], t) for t in teams],
    }


# --- Regions ---------------------------------------------------------------------------------


@dataclass
class RegionRow:
    region: Region
    leads: int = 0
    programmes: int = 0
    teams: int = 0
    active_teams: int = 0


def region_rows() -> list[RegionRow]:
    """Each region: LKTs it leads, LKTs it has teams in, and its teams (three queries)."""
    rows = {region.pk: RegionRow(region) for region in Region.objects.order_by("name")}
    for row in Programme.objects.values("lead_region_id").annotate(n=Count("id")).order_by():
        if row["lead_region_id"] in rows:
            rows[row["lead_region_id"]].leads = row["n"]
    for row in (
        ImprovementTeam.objects.values("region_id")
        .annotate(
            teams=Count("id"),
            programmes=Count("programme", distinct=True),
            active=Count("id", filter=Q(status=ImprovementTeam.Status.ACTIVE)),
        )
        .order_by()
    ):
        region = rows[row["region_id"]]
        region.teams, region.programmes = row["teams"], row["programmes"]
        region.active_teams = row["active"]
    return list(rows.values())


def region_teams(region: Region):
    """The region's teams across LKTs, by LKT then name (a queryset to paginate)."""
    return (
        ImprovementTeam.objects.filter(region=region)
        .select_related("programme", "region")
        .prefetch_related("organisations")
        .order_by(F("programme__name").asc(), "name")
    )


def region_team_statuses(teams: Sequence[ImprovementTeam], today: dt.date | None = None):
    """Team rows for one page of a region's teams (teams from several programmes)."""
    today = today or timezone.localdate()
    programmes = {team.programme_id: team.programme for team in teams}
    indicators = _active_indicators(programmes)
    periods = {pk: due_months(p, today) for pk, p in programmes.items()}
    return team_statuses(teams, indicators, lambda programme: periods[programme.pk])
