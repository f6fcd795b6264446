"""Programmes (LKTs): every signed-in person may read them ("programmes.view_programme")."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from api.problems import PROBLEMS
from api.schemas import ProgrammeOut
from programmes.access import get_programme_for_user
from programmes.models import Programme

router = Router()


@router.get("", response={200: list[ProgrammeOut], **PROBLEMS}, summary="Programmer")
def list_programmes(request: HttpRequest) -> list[Programme]:
    """Every programme, by name."""
    if not request.user.has_perm("programmes.view_programme"):
        return []
    return list(Programme.objects.select_related("lead_region").order_by("name"))


@router.get("/{int:programme_id}", response={200: ProgrammeOut, **PROBLEMS}, summary="Et program")
def get_programme(request: HttpRequest, programme_id: int) -> Programme:
    """One programme; 404 when it does not exist."""
    return get_programme_for_user(request.user, programme_id)  # type: ignore[arg-type]
