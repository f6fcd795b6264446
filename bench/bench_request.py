"""What one signed-in request costs, middleware by middleware (`make bench-request`).

The session and the person are loaded lazily, so their queries show under the first middleware
that reads them (SessionTimeoutMiddleware); the role lookups under TwoFactorMiddleware (who must
use a second factor) and the view's template (the navigation's `{% can %}` questions).

A stopwatch is put before every middleware of `settings.MIDDLEWARE` and before the view; each
records the time and the queries made so far on the way in and on the way out, so a
middleware's own share is its way in plus its way out, without what lies inside it. A small
signed-in page (the regions table) and `/healthz` are asked `REQUESTS` times each, through
Django's test client on a throwaway PostgreSQL, for a steering group member and for a national
team's local project lead (the role lookups). Figures, not assertions.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pg import django_on_postgres, redis_cache_env  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
_marks: list[tuple[int, str, float, int]] = []  # (stopwatch, "in"/"out", time, queries)


def _queries() -> int:
    from django.db import connection

    return len(connection.queries_log)


def _stopwatch(number: int) -> type:
    class Stopwatch:
        def __init__(self, get_response: Any) -> None:
            self.get_response = get_response

        def __call__(self, request: Any) -> Any:
            _marks.append((number, "in", time.perf_counter(), _queries()))
            response = self.get_response(request)
            _marks.append((number, "out", time.perf_counter(), _queries()))
            return response

    return Stopwatch


def world() -> dict[str, Any]:
    from django.utils import timezone

    from accounts.models import User
    from programmes.models import Programme, ProgrammeLead, Region
    from teams.models import ImprovementTeam, TeamMember

    region = Region.objects.create(name="Region Midtjylland", code="RM")
    today = timezone.localdate()
    programme = Programme.objects.create(
        name="LKT",
        slug="lkt",
        clinical_area="Område",
        lead_region=region,
        status="active",
        start_date=today.replace(day=1, year=today.year - 1),
        end_date=today.replace(day=1, year=today.year + 1),
    )
    team = ImprovementTeam.objects.create(programme=programme, region=region, name="Team")
    steering = User.objects.create_user("styregruppe@example.dk", is_steering_group_member=True)
    member = User.objects.create_user("team@example.dk")
    TeamMember.objects.create(team=team, user=member, role="local_lead")
    ProgrammeLead.objects.create(
        programme=programme, user=User.objects.create_user("projektleder@example.dk")
    )
    return {"steering": steering, "member": member, "team": team}


def anatomy(user: Any, path: str) -> tuple[list[str], dict[str, list[float]], dict[str, int]]:
    """Per middleware (and the view): median own time in ms and queries of one request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    names = list(settings.MIDDLEWARE)
    module = sys.modules[__name__]
    chain = []
    for number, name in enumerate([*names, "view"]):
        setattr(module, f"Stopwatch{number}", _stopwatch(number))
        chain.append(f"{__name__}.Stopwatch{number}")
        if name != "view":
            chain.append(name)
    times: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}
    with override_settings(MIDDLEWARE=chain):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        client.get(path)
        connection.force_debug_cursor = True
        for _ in range(REQUESTS):
            _marks.clear()
            connection.queries_log.clear()
            assert client.get(path).status_code == 200
            into = {n: (t, q) for n, way, t, q in _marks if way == "in"}
            out = {n: (t, q) for n, way, t, q in _marks if way == "out"}
            last = len(names)
            for number, name in enumerate(names):
                if number + 1 in into:  # the middleware passed the request on
                    own = (into[number + 1][0] - into[number][0]) + (
                        out[number][0] - out[number + 1][0]
                    )
                    asked = (into[number + 1][1] - into[number][1]) + (
                        out[number][1] - out[number + 1][1]
                    )
                else:
                    own, asked = out[number][0] - into[number][0], out[number][1] - into[number][1]
                times[name].append(own * 1000)
                queries[name] = asked
            times["view and template"].append((out[last][0] - into[last][0]) * 1000)
            queries["view and template"] = out[last][1] - into[last][1]
            times["whole request"].append((out[0][0] - into[0][0]) * 1000)
            queries["whole request"] = out[0][1] - into[0][1]
        connection.force_debug_cursor = False
    return [*names, "view and template", "whole request"], times, queries


def main() -> None:
    from django.urls import reverse

    env = {"ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "CONN_MAX_AGE": "60"}
    with redis_cache_env() as cache_env, django_on_postgres(**env, **cache_env):
        cast = world()
        for who, path in [
            ("steering", reverse("status:regions")),
            ("member", reverse("teams:detail", args=[cast["team"].pk])),
            ("steering", reverse("healthz")),
        ]:
            names, times, queries = anatomy(cast[who], path)
            print(f"\n{path} as the {who}, median of {REQUESTS} requests:")
            print(f"{'':<48}{'ms':>8}{'queries':>9}")
            for name in names:
                short = name.rsplit(".", 1)[-1] if name not in ("view and template",) else name
                print(f"{short:<48}{statistics.median(times[name]):>8.2f}{queries[name]:>9}")


if __name__ == "__main__":
    main()
