"""The pages people use at national scale, served by gunicorn, beside a trivial page.

``make bench``: builds 30 LKTs × 40 teams × 10 indicators × 36 months (432,000 measurements,
written with COPY) on a throwaway PostgreSQL, refreshes the cached series summaries, serves the
portal with gunicorn on 127.0.0.1, signs in a steering group member (a session cookie for the
pages, a read token and no session for the API, as its clients ask) and
measures each page with `wrk` (or, without it, a Python client): queries per request, the median
with one client, then median and p95 latency and requests per second under 16 concurrent
connections in interleaved rounds, and the peak memory (VmHWM) of every gunicorn worker.
`/healthz` through the same stack is the floor; a small signed-in page shows what every
signed-in request costs. Figures, not assertions.

The pages are `PAGES`, a list of named URLs: a page whose URL name does not resolve (yet) is
skipped with the reason printed, so pages of apps still being built can be listed already.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.clients import (  # noqa: E402
    WRK_SCRIPT,
    check_page,
    measure_python,
    measure_wrk,
    worker_peak_memory,
)
from bench.gunicorn_server import start_gunicorn, stop_gunicorn  # noqa: E402
from bench.pg import django_on_postgres, redis_cache_env  # noqa: E402
from bench.world import INDICATORS, LKTS, MONTHS, TEAMS, build_world, refresh_all  # noqa: E402
from tests.servers import free_port  # noqa: E402

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OVERVIEW, FLOOR = "overview (/status/)", "floor: /healthz"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


@dataclass(frozen=True)
class Page:
    """One benchmarked page: a label, a URL name and its arguments taken from the world."""

    label: str
    name: str
    args: Callable[[dict], list] = lambda world: []


# Add a page here; `world` holds "programme", "team", "indicator" (objects of the first LKT).
PAGES = [
    Page(OVERVIEW, "status:overview"),
    Page("programme status page", "status:programme", lambda w: [w["programme"].pk]),
    Page("programme results", "indicators:programme_results", lambda w: [w["programme"].pk]),
    Page("team page (charts)", "indicators:team_results", lambda w: [w["team"].pk]),
    Page("learning library", "programmes:learning", lambda w: [w["programme"].pk]),
    Page("API series read (team)", "api:list_team_series", lambda w: [w["team"].pk]),
    Page("API series read (LKT)", "api:list_programme_series", lambda w: [w["programme"].pk]),
    Page("signed-in small page", "status:regions"),
    Page(FLOOR, "healthz"),
]


def resolve_pages(world: dict) -> dict[str, str]:
    """Label → path of every page whose URL name resolves; the others are skipped, saying why."""
    from django.urls import NoReverseMatch, reverse

    paths = {}
    for page in PAGES:
        try:
            paths[page.label] = reverse(page.name, args=page.args(world))
        except NoReverseMatch as error:
            print(f"  skipped {page.label!r}: the URL {page.name!r} does not resolve ({error})")
    return paths


def queries_per_request(paths: dict[str, str], user, token: str | None) -> dict[str, int]:
    """Queries of one request to each page (the second, so first-request caches are warm), as a
    signed-in browser asks a page and an API client (the token, no session) the API; a page
    that does not answer 200 is dropped from `paths`, saying why."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    proxy = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    browser = Client(headers=proxy)
    browser.force_login(user)
    api = Client(headers={**proxy, "Authorization": f"Bearer {token}"} if token else proxy)
    counts = {}
    for label, path in list(paths.items()):
        client = api if is_api(path) else browser
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            print(f"  skipped {label!r}: {path} answered {response.status_code}")
            del paths[label]
            continue
        counts[label] = len(captured)
    return counts


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def api_token(user) -> str | None:
    """A read token for the API pages, when the portal has `manage.py api_token` (issue 19)."""
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    try:
        call_command("api_token", user.email, "--scope", "read", "--name", "bench", stdout=out)
    except CommandError:
        return None
    return out.getvalue().strip() or None


def auth_headers(user, token: str | None) -> Callable[[str], dict[str, str]]:
    """The headers for a path: a signed-in browser's session cookie for a page, an API client's
    token (and no session) for the API; both with the header a TLS-terminating proxy adds (no
    HTTPS redirect)."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    browser = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
    api = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"} if token else browser

    def headers(path: str) -> dict[str, str]:
        return api if is_api(path) else browser

    return headers


def main() -> None:
    # The test client here and gunicorn serve no static files: whitenoise need not say so.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    # The API pages are asked thousands of times a minute with one token: no rate limit.
    env = {"ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "LKT_RATE_LIMIT_API": "10000000/60"}
    with redis_cache_env() as cache_env:
        bench(env | cache_env)


def bench(env: dict[str, str]) -> None:
    with django_on_postgres(**env) as server:
        print(
            f"Building {LKTS} LKTs × {TEAMS} teams × {INDICATORS} indicators × {MONTHS} months "
            f"on PostgreSQL (port {server.port}) …",
            flush=True,
        )
        started = time.perf_counter()
        world = build_world()
        from indicators.models import Measurement

        n = Measurement.objects.count()
        print(
            f"  {n:,} measurements (COPY {world['copied']:.1f} s; "
            f"everything {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        refreshed = refresh_all(world["indicators"])
        per = refreshed / len(world["indicators"]) * 1000
        print(
            f"  series summaries refreshed in {refreshed:.1f} s "
            f"({per:.0f} ms per indicator: its LKT series and {TEAMS} team series)",
            flush=True,
        )

        paths = resolve_pages(world)
        token = api_token(world["steering"])
        queries = queries_per_request(paths, world["steering"], token)
        auth = auth_headers(world["steering"], token)

        port = free_port()
        # As in production behind its TLS proxy (the bench sends X-Forwarded-Proto: https), with
        # the session cookie this process signed.
        gunicorn = start_gunicorn(
            port,
            WORKERS,
            SECRET_KEY=os.environ["SECRET_KEY"],
            SECURE_SSL_REDIRECT="True",
            SECURE_COOKIES="True",
            LKT_ENFORCE_2FA="True",
        )
        tool = "wrk" if shutil.which("wrk") else "python"
        print(
            f"gunicorn on 127.0.0.1:{port}, {WORKERS} sync workers, CONN_MAX_AGE=60; {tool}, "
            f"{CONNECTIONS} connections, {ROUNDS} rounds of {SECONDS} s per page; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        try:
            results, alone = measure_all(paths, port, auth, tool)
            memory = worker_peak_memory(gunicorn.pid)
        finally:
            stop_gunicorn(gunicorn)
        report(paths, queries, results, alone)
        report_memory(memory)


def report_memory(peaks: dict[int, int]) -> None:
    figures = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(peaks.values(), reverse=True))
    highest = max(peaks.values(), default=0) / 1024
    verdict = "within" if highest <= 300 else "outside"
    print(
        f"Peak memory (VmHWM) per gunicorn worker: {figures} MB; the highest, {highest:.0f} MB, "
        f"is {verdict} the 300 MB goal."
    )


def measure_all(paths: dict[str, str], port: int, auth: Callable[[str], dict[str, str]], tool: str):
    """Each page alone (1 client), then ROUNDS interleaved rounds under CONNECTIONS clients.

    Interleaving keeps a page and the floor measured close together in time, so a machine
    that is busy with something else skews both alike; per page the median round counts.
    """
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "report.lua"
        script.write_text(WRK_SCRIPT)

        def measure(path: str, connections: int, seconds: int):
            url = f"http://127.0.0.1:{port}{path}"
            if tool == "wrk":
                return measure_wrk(url, auth(path), script, connections, seconds)
            return measure_python(url, auth(path), connections, seconds)

        for path in paths.values():
            check_page(f"http://127.0.0.1:{port}{path}", auth(path))
            measure(path, CONNECTIONS, 2)  # warm every worker
        alone = {label: measure(path, 1, 3) for label, path in paths.items()}
        rounds: dict[str, list] = {label: [] for label in paths}
        for n in range(ROUNDS):
            for label, path in paths.items():
                rounds[label].append(measure(path, CONNECTIONS, SECONDS))
            print(f"  round {n + 1} of {ROUNDS} done", flush=True)
    results = {}
    for label, runs in rounds.items():
        ratios = [run[0] / floor[0] for run, floor in zip(runs, rounds[FLOOR], strict=True)]
        results[label] = (
            statistics.median(r[0] for r in runs),
            statistics.median(r[1] for r in runs),
            statistics.median(r[2] for r in runs),
            sum(r[3] for r in runs),
            statistics.median(ratios),
        )
    return results, alone


def report(paths, queries, results, alone) -> None:
    print()
    print(
        f"{'page':<26}{'queries':>8}{'1 client ms':>12}"
        f"{'median ms':>11}{'p95 ms':>9}{'req/s':>8}{'errors':>7}{'× floor':>9}"
    )
    for label in paths:
        median, p95, rate, errors, ratio = results[label]
        print(
            f"{label:<26}{queries[label]:>8}{alone[label][0]:>12.1f}"
            f"{median:>11.1f}{p95:>9.1f}{rate:>8.1f}{errors:>7}{ratio:>9.1f}"
        )
    print()
    for label in paths:
        if label == FLOOR:
            continue
        ratio, single = results[label][4], alone[label][0]
        verdict = "within" if ratio <= 2 and single <= 30 else "outside"
        print(
            f"{label}: {ratio:.1f}× the floor under {CONNECTIONS} clients (median of {ROUNDS} "
            f"interleaved rounds), {single:.0f} ms alone: {verdict} the goal (≤ 2×, ≤ 30 ms)."
        )


if __name__ == "__main__":
    main()
