"""Who the token acts as."""

from __future__ import annotations

from ninja import Router

from accounts.http import AuthenticatedRequest
from api.auth import token_of
from api.problems import PROBLEMS
from api.schemas import MeOut

router = Router()


@router.get("", response={200: MeOut, **PROBLEMS}, summary="Nøglens person")
def get_me(request: AuthenticatedRequest) -> dict:
    """The person the token acts as, and the token's name, scope and expiry."""
    token = token_of(request)
    return {
        "email": request.user.email,
        "name": request.user.get_full_name(),
        "token_name": token.name,
        "scope": token.scope,
        "expires_at": token.expires_at,
    }
