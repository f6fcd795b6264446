"""The pages people use at national scale, served by gunicorn, beside a trivial page.

``make bench``: builds 30 LKTs × 40 teams × 10 indicators × 36 months (432,000 measurements,
written with COPY) on a throwaway PostgreSQL, refreshes the cached series summaries, serves the
portal with gunicorn on 127.0.0.1, signs in a steering group member (a session cookie) and
measures each page with `wrk` (or, without it, a Python client): queries per request, the median
with one client, then median and p95 latency and requests per second under 16 concurrent
connections in interleaved rounds, and the peak memory (VmHWM) of every gunicorn worker.
`/healthz` through the same stack is the floor; a small signed-in page shows what every
signed-in request costs. Figures, not assertions.

The pages are `PAGES`, a list of named URLs: a page whose URL name does not resolve (yet) is
skipped with the reason printed, so pages of apps still being built can be listed already.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pg import django_on_postgres  # noqa: E402
from tests.servers import RedisServer, ServiceUnavailable, free_port, wait_for_port  # noqa: E402

LKTS, TEAMS, INDICATORS, MONTHS = 30, 40, 10, 36
IDEAS, CYCLES = 10, 4  # change ideas per LKT, PDSA cycles per team
DECISIONS = ["adopt", "adapt", "abandon"]
REGIONS = [
    ("Region Hovedstaden", "RH"),
    ("Region Sjælland", "RSJ"),
    ("Region Syddanmark", "RSD"),
    ("Region Midtjylland", "RM"),
    ("Region Nordjylland", "RN"),
]
KINDS = ["outcome"] * 3 + ["process"] * 5 + ["balancing"] * 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OVERVIEW, FLOOR = "overview (/status/)", "floor: /healthz"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PASSWORD = "bench-password-123"  # noqa: S105 -- a throwaway database


def build_world() -> dict:
    """Regions, 30 LKTs with teams, indicators, seminars and ratings; measurements by COPY."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from core.months import add_months, first_of_month
    from indicators.models import Indicator
    from programmes.models import Programme, Region, StatusRating
    from seminars.models import Seminar
    from teams.models import ImprovementTeam

    rng = random.Random(20260101)
    regions = [Region.objects.create(name=name, code=code) for name, code in REGIONS]
    start = add_months(first_of_month(timezone.localdate()), -MONTHS)
    now = timezone.now()
    programmes = Programme.objects.bulk_create(
        Programme(
            name=f"LKT {n:02d}",
            slug=f"lkt-{n:02d}",
            clinical_area=f"Område {n % 7}",
            lead_region=regions[n % len(regions)],
            status=rng.choice(["active"] * 4 + ["paused", "completed"]),
            start_date=start,
            end_date=add_months(start, MONTHS + 6),
            is_cross_sector=n % 3 == 0,
        )
        for n in range(LKTS)
    )
    teams = ImprovementTeam.objects.bulk_create(
        ImprovementTeam(
            programme=p,
            region=regions[t % len(regions)],
            name=f"Team {t:02d}",
            status="active",
            started_on=start,
        )
        for p in programmes
        for t in range(TEAMS)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            programme=p,
            name=f"Indikator {i:02d}",
            kind=KINDS[i],
            measure="proportion",
            multiplier=100,
            unit="%",
            better_direction="up",
            target=80,
            order=i,
        )
        for p in programmes
        for i in range(INDICATORS)
    )
    for p in programmes:
        for k in range(4):
            begins = now + dt.timedelta(days=120 * (k - 2))
            Seminar.objects.create(
                programme=p,
                kind="learning",
                number=k + 1,
                starts_at=begins,
                ends_at=begins + dt.timedelta(hours=7),
                place="Comwell Kolding",
            )
    steering = User.objects.create_user(
        "styregruppe@example.dk", PASSWORD, is_steering_group_member=True
    )
    StatusRating.objects.bulk_create(
        StatusRating(programme=p, colour=rng.choice(["green", "yellow", "red"]), reason="Bench")
        for p in programmes
    )

    build_learning(programmes, teams, indicators, start, rng)

    months = [add_months(start, m) for m in range(MONTHS)]
    teams_of: dict[int, list] = {}
    for team in teams:
        teams_of.setdefault(team.programme_id, []).append(team)
    buffer = io.StringIO()
    stamp = now.isoformat()
    for indicator in indicators:
        shift = rng.choice([0.0, 0.0, 0.12, -0.12])  # some LKTs improve, some get worse
        for team in teams_of[indicator.programme_id]:
            level = rng.uniform(0.35, 0.75)
            for m, month in enumerate(months):
                if rng.random() < 0.03:  # a few months never registered
                    continue
                p = min(0.98, max(0.02, level + (shift if m >= MONTHS // 2 else 0.0)))
                den = rng.randint(20, 60)
                num = min(den, max(0, round(den * (p + rng.gauss(0, 0.05)))))
                buffer.write(
                    f"{team.pk}\t{indicator.pk}\t{month}\t{num}\t{den}\t\\N\t\t{stamp}\t{stamp}\n"
                )
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY indicators_measurement (team_id, indicator_id, period_start, numerator, "
            "denominator, value, comment, registered_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        copy.write(buffer.getvalue())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    copied = time.perf_counter() - started
    return {
        "programme": programmes[0],
        "team": teams[0],
        "indicators": [i.pk for i in indicators],
        "indicator": indicators[0].pk,
        "steering": steering,
        "copied": copied,
    }


def build_learning(programmes, teams, indicators, start, rng) -> None:
    """The change package (IDEAS ideas per LKT, each aimed at an indicator) and CYCLES PDSA
    cycles per team, in every state, testing the package's ideas or the team's own."""
    from core.months import add_months
    from programmes.models import ChangeIdea
    from teams.models import PDSACycle

    ideas = ChangeIdea.objects.bulk_create(
        ChangeIdea(programme=p, title=f"Idé {i:02d}", description="Bench")
        for p in programmes
        for i in range(IDEAS)
    )
    ideas_of: dict[int, list] = {}
    for idea in ideas:
        ideas_of.setdefault(idea.programme_id, []).append(idea)
    indicators_of: dict[int, list] = {}
    for indicator in indicators:
        indicators_of.setdefault(indicator.programme_id, []).append(indicator)
    ChangeIdea.indicators.through.objects.bulk_create(
        ChangeIdea.indicators.through(
            changeidea_id=idea.pk, indicator_id=indicators_of[idea.programme_id][n % INDICATORS].pk
        )
        for n, idea in enumerate(ideas)
    )
    states = ["planned", "running", "studied", "decided"]
    owners = [t for t in teams for _ in range(CYCLES)]
    cycles = []
    for team in teams:
        for c in range(CYCLES):
            state = states[(team.pk + c) % len(states)]
            own = c % 4 == 3
            cycles.append(
                PDSACycle(
                    team=team,
                    title=f"Cyklus {c + 1}",
                    change_idea=None if own else rng.choice(ideas_of[team.programme_id]),
                    own_idea="Egen idé" if own else "",
                    state=state,
                    prediction="Flere får det rigtige",
                    study="Det virkede" if state in ("studied", "decided") else "",
                    decision=rng.choice(DECISIONS) if state == "decided" else "",
                    started_on=add_months(start, 3 * c + 1),
                )
            )
    cycles = PDSACycle.objects.bulk_create(cycles)
    PDSACycle.indicators.through.objects.bulk_create(
        PDSACycle.indicators.through(
            pdsacycle_id=cycle.pk, indicator_id=indicators_of[team.programme_id][n % INDICATORS].pk
        )
        for n, (cycle, team) in enumerate(zip(cycles, owners, strict=True))
    )


def refresh_all(indicator_ids: list[int]) -> float:
    from indicators.summaries import refresh_summaries

    started = time.perf_counter()
    for indicator_id in indicator_ids:
        refresh_summaries([indicator_id])
    return time.perf_counter() - started


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
    """Queries of one request to each page (the second, so first-request caches are warm); a
    page that does not answer 200 is dropped from `paths`, saying why."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", **extra)
    client.force_login(user)
    counts = {}
    for label, path in list(paths.items()):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            print(f"  skipped {label!r}: {path} answered {response.status_code}")
            del paths[label]
            continue
        counts[label] = len(captured)
    return counts


def api_token(user) -> str | None:
    """A read token for the API pages, when the portal has `manage.py api_token` (issue 19)."""
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    try:
        call_command("api_token", user.email, "--scope", "read", "--name", "bench", stdout=out)
    except CommandError:
        return None
    return out.getvalue().strip() or None


def auth_headers(user, token: str | None) -> dict[str, str]:
    """The session cookie (and the API token, if any), and the header a TLS-terminating proxy
    adds (no HTTPS redirect)."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING"}
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "lkt_portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    wait_for_port(port, timeout=60)
    return process


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout,
    summary.duration, 0, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def measure_wrk(
    url: str, auth: dict[str, str], script: Path, connections: int, seconds: int
) -> tuple[float, float, float, int]:
    """(median ms, p95 ms, requests/s, errors) from wrk with `connections` connections."""
    threads = "2" if connections > 1 else "1"
    command = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "30s", "-s", str(script)]
    for name, value in auth.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, requests, errors, duration_us, _, p50, p95 = line.split()
    return float(p50), float(p95), int(requests) / (int(duration_us) / 1e6), int(errors)


def measure_python(
    url: str, auth: dict[str, str], connections: int, seconds: int
) -> tuple[float, float, float, int]:
    """The same figures from Python threads, when wrk is not installed."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(url, headers=auth)  # noqa: S310
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except Exception:  # noqa: BLE001 -- counted, not raised
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return statistics.median(latencies), p95, len(latencies) / (time.monotonic() - began), errors[0]


def check_page(url: str, auth: dict[str, str]) -> None:
    """A signed-in 200, not a redirect to the login page."""
    request = urllib.request.Request(url, headers=auth)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=60) as response:
        assert response.status == 200, (url, response.status)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def main() -> None:
    env = {"ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    try:
        redis: RedisServer | None = RedisServer().start()
    except ServiceUnavailable as error:
        print(f"Without Redis ({error}): the cache is a folder, as without REDIS_URL.")
        redis = None
    if redis is not None:
        # Redis is the cache as in production; the job broker stays the folder, so that the
        # floor (/healthz, which checks the broker) is the same page as without Redis.
        env.update(REDIS_URL=redis.url, CELERY_BROKER_URL="filesystem://")
    try:
        bench(env)
    finally:
        if redis is not None:
            redis.stop()


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
        gunicorn = start_gunicorn(port)
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
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        report(paths, queries, results, alone)
        report_memory(memory)


def worker_peak_memory(master: int) -> dict[int, int]:
    """Peak resident memory (VmHWM, kB) of each of the gunicorn master's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = {}
    for pid in map(int, children):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1])
    return peaks


def report_memory(peaks: dict[int, int]) -> None:
    figures = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(peaks.values(), reverse=True))
    highest = max(peaks.values(), default=0) / 1024
    verdict = "within" if highest <= 300 else "outside"
    print(
        f"Peak memory (VmHWM) per gunicorn worker: {figures} MB; the highest, {highest:.0f} MB, "
        f"is {verdict} the 300 MB goal."
    )


def measure_all(paths: dict[str, str], port: int, auth: dict[str, str], tool: str):
    """Each page alone (1 client), then ROUNDS interleaved rounds under CONNECTIONS clients.

    Interleaving keeps a page and the floor measured close together in time, so a machine
    that is busy with something else skews both alike; per page the median round counts.
    """
    urls = {label: f"http://127.0.0.1:{port}{path}" for label, path in paths.items()}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "report.lua"
        script.write_text(WRK_SCRIPT)

        def measure(url: str, connections: int, seconds: int):
            if tool == "wrk":
                return measure_wrk(url, auth, script, connections, seconds)
            return measure_python(url, auth, connections, seconds)

        for url in urls.values():
            check_page(url, auth)
            measure(url, CONNECTIONS, 2)  # warm every worker
        alone = {label: measure(url, 1, 3) for label, url in urls.items()}
        rounds: dict[str, list] = {label: [] for label in urls}
        for n in range(ROUNDS):
            for label, url in urls.items():
                rounds[label].append(measure(url, CONNECTIONS, SECONDS))
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
