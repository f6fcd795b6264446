"""Every API operation × every role, walked from the OpenAPI schema with each role's token.

The operations come from /api/v1/openapi.json, so a new operation without an expectation here
fails `test_every_operation_has_an_expectation`. Expectations are written by hand from what each
role is for (the same as the pages: tests/test_every_url.py), one letter per role in `ROLES`:

    u  401: no token (anonymous)
    o  allowed: 2xx
    f  403: may see, may not do
    n  404: may not see (or does not exist for this person)
    v  422: the rows sent are refused (measurements for a team the person may not write)

Each role sends a *write* token, so the role matrix alone decides; read tokens are refused on
every operation that changes something (`test_read_tokens_may_not_change_anything`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.tokens import calendar_feed_create, token_create
from teams.models import PDSACycle
from tests.factories import IndicatorFactory, SeminarFactory
from tests.test_every_url import ROLES  # the same roles, in the same order

pytestmark = pytest.mark.django_db


# operationId: codes per role. Objects: programme KOL, its team in Region Midtjylland (the local
# lead's), an indicator of KOL, a seminar of KOL. The outsider's team is in ADHD; `nobody` is
# attached to nothing.
EXPECTED: dict[str, str] = {
    "get_me": "uooooooooo",
    "list_programmes": "uooooooooo",
    "get_programme": "uooooooooo",
    "list_programme_indicators": "uooooooonn",
    "list_programme_series": "uooooooonn",
    "get_indicator": "uooooooonn",
    "list_teams": "uooooooooo",
    "get_team": "uooooooonn",
    "list_team_series": "uooooooonn",
    "list_seminars": "uooooooooo",
    "get_seminar": "uooooooooo",
    # By its secret address, no token: each role reads its own; an unknown address is a 404.
    "seminar_feed": "nooooooooo",
    # Writes for the team in Region Midtjylland: its members (and administrators) only. Whoever
    # may write no team at all is refused outright; another team's member gets the rows' errors.
    "write_measurements": "uoffffovvf",
    "create_pdsa_cycle": "uoffffofnn",
    "update_pdsa_cycle": "uoffffofnn",
}

# JSON bodies of operations that take one (by operationId), made from the world's objects;
# write operations add theirs here.
BODIES: dict[str, Callable[[World], Any]] = {
    "write_measurements": lambda world: [
        {
            "team": world.cast.kol_rm.pk,
            "indicator": world.indicator.pk,
            "period": "2024-03",
            "numerator": 3,
            "denominator": 4,
        }
    ],
    "create_pdsa_cycle": lambda world: {"title": "Ring til fem patienter"},
    "update_pdsa_cycle": lambda world: {"state": "running", "do": "Fire er ringet op."},
}

STATUS = {"u": 401, "f": 403, "n": 404, "v": 422}


def operations(client: Client) -> list[tuple[str, str, dict]]:
    """(method, path, operation) for every operation of the live schema."""
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


class World:
    def __init__(self, cast) -> None:
        self.cast = cast
        self.indicator = IndicatorFactory(programme=cast.kol)
        self.seminar = SeminarFactory(programme=cast.kol)
        self.seminar.invited_teams.add(cast.kol_rm)
        self.cycle = PDSACycle.objects.create(
            team=cast.kol_rm, title="Ring", started_on=dt.date(2024, 3, 1)
        )

    def path(self, template: str, role: str) -> str:
        values = {
            "programme_id": self.cast.kol.pk,
            "team_id": self.cast.kol_rm.pk,
            "indicator_id": self.indicator.pk,
            "seminar_id": self.seminar.pk,
            "cycle_id": self.cycle.pk,
            "secret": (
                calendar_feed_create(user=getattr(self.cast, role))[1]
                if role != "anonymous"
                else "no-such-address"
            ),
        }
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(value))
        assert "{" not in path, f"No value for a parameter of {template}: add it to World.path"
        return path


def send(client: Client, method: str, path: str, operation: dict, secret: str | None, world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    make = BODIES.get(operation["operationId"])
    if method == "GET":
        return client.get(path, **headers)
    body = make(world) if make else {}
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", **headers
    )


def test_every_operation_has_an_expectation(client) -> None:
    assert {op["operationId"] for _, _, op in operations(client)} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_each_role_as_expected(client, cast, role) -> None:
    world = World(cast)
    secret = None
    if role != "anonymous":
        _token, secret = token_create(user=getattr(cast, role), name="t", scope="write", days=1)
    wrong = []
    for method, template, operation in operations(client):
        code = EXPECTED.get(operation["operationId"], "?" * len(ROLES))[ROLES.index(role)]
        response = send(client, method, world.path(template, role), operation, secret, world)
        documented = set(operation["responses"])
        ok = (
            200 <= response.status_code < 300
            if code == "o"
            else response.status_code == STATUS.get(code)
        )
        if not ok or str(response.status_code) not in documented:
            wrong.append(
                f"{method} {template} ({operation['operationId']}): {response.status_code}"
            )
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", template
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_read_tokens_may_not_change_anything(client, cast) -> None:
    world = World(cast)
    _token, secret = token_create(user=cast.administrator, name="t", scope="read", days=1)
    for method, template, operation in operations(client):
        if method in ("GET", "HEAD", "OPTIONS"):
            continue
        response = send(
            client, method, world.path(template, "administrator"), operation, secret, world
        )
        assert response.status_code == 403, f"{method} {template}"
