"""The regions' pages: each region's LKTs and teams, and one region's teams across LKTs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from programmes.models import Programme, Region
from status.selectors.overview import active_indicators_of, due_months
from status.selectors.teams import team_statuses
from teams.models import ImprovementTeam


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
    indicators = active_indicators_of(programmes)
    periods = {pk: due_months(p, today) for pk, p in programmes.items()}
    return team_statuses(teams, indicators, lambda programme: periods[programme.pk])
