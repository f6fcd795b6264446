"""Improvement teams and their series."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from ninja import Router

from accounts.http import AuthenticatedRequest
from api.problems import PROBLEMS
from api.schemas import SeriesOut, TeamOut
from api.series import team_series
from indicators.access import get_team_for_data
from teams.access import get_team_for_user
from teams.models import ImprovementTeam
from teams.selectors import team_list

router = Router()


@router.get("", response={200: list[TeamOut], **PROBLEMS}, summary="Teams")
def list_teams(request: AuthenticatedRequest) -> list[ImprovementTeam]:
    """The teams you may see: all for the steering group, coordinators and administrators,
    else those of your programmes."""
    return list(team_list(request.user))


@router.get("/{int:team_id}", response={200: TeamOut, **PROBLEMS}, summary="Et team")
def get_team(request: AuthenticatedRequest, team_id: int) -> ImprovementTeam:
    return get_team_for_user(request.user, team_id)


@router.get(
    "/{int:team_id}/series",
    response={200: list[SeriesOut], **PROBLEMS},
    summary="Teamets serier med analyse",
)
def list_team_series(
    request: AuthenticatedRequest,
    team_id: int,
    kind: Literal["run", "spc"] = "run",
) -> HttpResponse:
    """The team's series of every active indicator, as its results page draws them; computed
    once per version of the stored series, with an ETag (send it as `If-None-Match`: 304)."""
    team = get_team_for_data(request.user, team_id)
    return team_series(request, team, kind)
