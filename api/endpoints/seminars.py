"""Learning seminars (open to every signed-in person, as the seminar calendar is)."""

from __future__ import annotations

from ninja import Router

from accounts.http import AuthenticatedRequest
from api.problems import PROBLEMS
from api.schemas import SeminarOut
from seminars.access import get_seminar_for_user
from seminars.models import Seminar
from seminars.selectors import seminar_calendar

router = Router()


def seminar_out(seminar: Seminar) -> dict:
    return {
        "id": seminar.pk,
        "programme_id": seminar.programme_id,
        "kind": seminar.kind,
        "number": seminar.number,
        "title": str(seminar),
        "starts_at": seminar.starts_at,
        "ends_at": seminar.ends_at,
        "place": seminar.place,
        "address": seminar.address,
        "agenda": seminar.agenda,
        "cancelled": seminar.cancelled_at is not None,
    }


@router.get("", response={200: list[SeminarOut], **PROBLEMS}, summary="Seminarer")
def list_seminars(
    request: AuthenticatedRequest, past: bool = False, programme_id: int | None = None
) -> list[dict]:
    """Upcoming seminars, soonest first (`past=true`: past ones, latest first)."""
    if not request.user.has_perm("programmes.view_programme"):
        return []
    seminars = seminar_calendar(past=past)
    if programme_id is not None:
        seminars = seminars.filter(programme_id=programme_id)
    return [seminar_out(s) for s in seminars[:500]]


@router.get("/{int:seminar_id}", response={200: SeminarOut, **PROBLEMS}, summary="Et seminar")
def get_seminar(request: AuthenticatedRequest, seminar_id: int) -> dict:
    return seminar_out(get_seminar_for_user(request.user, seminar_id))
