"""Bearer-token authentication: the token's person becomes `request.user`, for the role matrix.

Each authenticated request is counted against the token's rate limit (429 with Retry-After
beyond it) and written to the security trail. `require_write` refuses read tokens (403).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from accounts.models import AccessToken, SecurityEvent
from accounts.ratelimit import seconds_to_wait
from accounts.security import record
from accounts.tokens import token_for_secret
from api.problems import ProblemError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lkt_…`: a personal access token from the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        found = token_for_secret(token.strip())
        if found is None:
            return None
        request.user = found.user
        wait = seconds_to_wait("api", f"token:{found.pk}")
        if wait:
            record(SecurityEvent.Kind.RATE_LIMITED, request, user=found.user)
            raise ProblemError(
                429,
                _("Nøglen har brugt sin kvote; prøv igen om %(seconds)d sekunder.")
                % {"seconds": wait},
                headers={"Retry-After": str(wait)},
            )
        record(SecurityEvent.Kind.API_REQUEST, request, user=found.user)
        return found


def token_of(request: HttpRequest) -> AccessToken:
    """The token the request was authenticated with."""
    token = getattr(request, "auth", None)
    assert isinstance(token, AccessToken)  # noqa: S101 -- every operation needs TokenAuth
    return token


def require_write(request: HttpRequest) -> AccessToken:
    """The request's token, when it may write; a 403 problem for a read token."""
    token = token_of(request)
    if not token.may_write:
        raise ProblemError(403, _("Nøglen må kun læse. Lav en nøgle med skriveadgang."))
    return token
