"""One indicator with its definition."""

from __future__ import annotations

from ninja import Router

from accounts.http import AuthenticatedRequest
from api.problems import PROBLEMS
from api.schemas import IndicatorOut
from indicators.access import get_indicator_for_user
from indicators.models import Indicator

router = Router()


@router.get("/{int:indicator_id}", response={200: IndicatorOut, **PROBLEMS}, summary="En indikator")
def get_indicator(request: AuthenticatedRequest, indicator_id: int) -> Indicator:
    """The indicator and its definition; 404 unless its programme's results are open to you."""
    return get_indicator_for_user(request.user, indicator_id)
