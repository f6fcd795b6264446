"""Programmes (LKTs), their indicators and their LKT-level series."""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router

from accounts.http import AuthenticatedRequest
from api.problems import PROBLEMS
from api.schemas import IndicatorOut, ProgrammeOut, SeriesOut
from api.series import programme_series
from indicators.models import Indicator
from programmes.access import get_programme_for_user
from programmes.models import Programme

router = Router()

ChartKind = Literal["run", "spc"]


def _programme_with_results(request: AuthenticatedRequest, programme_id: int) -> Programme:
    """The programme, 404 unless its results are open to the person (as on the results page)."""
    programme = get_programme_for_user(request.user, programme_id)
    if not request.user.has_perm("indicators.view_team_data", programme):
        raise Http404
    return programme


@router.get("", response={200: list[ProgrammeOut], **PROBLEMS}, summary="Programmer")
def list_programmes(request: HttpRequest) -> list[Programme]:
    """Every programme, by name (programme descriptions are open to every signed-in person)."""
    if not request.user.has_perm("programmes.view_programme"):
        return []
    return list(Programme.objects.select_related("lead_region").order_by("name"))


@router.get("/{int:programme_id}", response={200: ProgrammeOut, **PROBLEMS}, summary="Et program")
def get_programme(request: AuthenticatedRequest, programme_id: int) -> Programme:
    """One programme; 404 when it does not exist."""
    return get_programme_for_user(request.user, programme_id)


@router.get(
    "/{int:programme_id}/indicators",
    response={200: list[IndicatorOut], **PROBLEMS},
    summary="Programmets indikatorer med definitioner",
)
def list_programme_indicators(request: AuthenticatedRequest, programme_id: int) -> list[Indicator]:
    """The programme's indicators, active first; 404 unless its results are open to you."""
    programme = _programme_with_results(request, programme_id)
    return list(programme.indicators.order_by("-is_active", "order", "name"))


@router.get(
    "/{int:programme_id}/series",
    response={200: list[SeriesOut], **PROBLEMS},
    summary="LKT-serier med analyse",
)
def list_programme_series(
    request: AuthenticatedRequest,
    programme_id: int,
    kind: ChartKind = "run",
) -> HttpResponse:
    """The LKT-level series of every active indicator, as the programme's results page draws
    them: Σ over the teams, centre line, limits, signals, verdict, assurance, provisional months.
    `kind`: run chart (`run`) or the indicator's control chart (`spc`). Computed once per
    version of the stored series, with an ETag (send it as `If-None-Match`: 304)."""
    programme = _programme_with_results(request, programme_id)
    return programme_series(request, programme, kind)
