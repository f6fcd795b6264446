"""`make faults`: PostgreSQL and Redis stopped under load; what the portal answers, and after.

1. PostgreSQL. 50 virtual users (bench/load.py) browse and register for 30 s against gunicorn
   (production settings, CONN_MAX_AGE=60 as in docker-compose.yml) while a probe asks /healthz
   twice a second. 10 s in, PostgreSQL is stopped (`pg_ctl stop -m fast`, as an operator or a
   crash-safe restart would) and 5 s later started again on the same port and data directory.
   Every answer is counted by status in three phases: before the stop, during the outage, after
   PostgreSQL accepts connections again. During it every page must be a 503 with Retry-After and
   the Danish page (never a 500, a traceback or no answer); after it 200 again, from the same
   gunicorn processes. Registrations answered "saved" must all be in the database.
2. Redis. A Celery worker sends due reminders to a fake SMTP server (tests/fake_smtp.py) while
   10 of the users browse. Mid-batch Redis is terminated (without persistence: the queued
   tasks are gone with it) and 5 s later started on the same port. Pages must keep answering;
   once Redis is back the worker reconnects by itself and the next scan (what beat runs every
   15 minutes) sends the rest: every due reminder mailed exactly once.

Figures are printed; the exit code is 1 when an expectation fails.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import Browser  # noqa: E402
from bench.gunicorn_server import start_gunicorn, stop_gunicorn  # noqa: E402
from bench.load import Run, Sample, run_load  # noqa: E402
from bench.load_world import Account, build_world  # noqa: E402
from bench.pg import django_on_postgres  # noqa: E402
from bench.write_check import check_writes, print_write_check  # noqa: E402
from tests.servers import (  # noqa: E402
    CeleryWorker,
    PostgresServer,
    RedisServer,
    _pg_bin,
    free_port,
)

USERS = 50
LOAD_SECONDS = 30.0
STOP_AFTER = 10.0
OUTAGE = 5.0
REMINDERS = 60  # people registered for a seminar whose 14-day reminder is due
REDIS_USERS = 10  # a lighter load, so that many requests fall inside the 5 s without Redis
DB_DOWN_TEXT = "Portalen kan ikke nå sin database"


# PostgreSQL stopped and started in place ------------------------------------------------------


def pg_ctl(server: PostgresServer, *args: str) -> None:
    import subprocess

    command = [*server._as_user, _pg_bin("pg_ctl"), "-D", str(server.directory / "data"), *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {result.stderr}{result.stdout}")


def pg_stop(server: PostgresServer) -> None:
    """Stop as an operator would: fast (sessions are cut, nothing is lost), wait till it is down."""
    pg_ctl(server, "-m", "fast", "-w", "stop")


def pg_start(server: PostgresServer) -> None:
    """Start the same cluster on the same port with the options PostgresServer.start used."""
    options = (
        f"-h 127.0.0.1 -p {server.port} -k {server.directory} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    log = str(server.directory / "log")
    pg_ctl(server, "-o", options, "-l", log, "-w", "-t", "60", "start")


# A probe of /healthz --------------------------------------------------------------------------


@dataclass
class Probe:
    """GET /healthz every `every` seconds (no cookies, as a load balancer asks) until stopped."""

    port: int
    run: Run
    every: float = 0.5
    samples: list[tuple[float, float, int, dict]] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Probe:
        threading.Thread(target=self._loop, daemon=True).start()
        return self

    def _loop(self) -> None:
        browser = Browser(self.port)
        while not self.stopped.wait(self.every):
            started = self.run.now()
            answer = browser.get("/healthz")
            try:
                body = json.loads(answer.body) if answer.body else {}
            except ValueError:
                body = {"not json": answer.body[:200]}
            self.samples.append((started, self.run.now() - started, answer.status, body))


# Phases ---------------------------------------------------------------------------------------


@dataclass
class Outage:
    began: float  # the stop was ordered (seconds into the load window)
    down: float  # the stop has completed
    starting: float  # the start was ordered
    ended: float  # the server accepts connections again

    def phase(self, started: float, seconds: float = 0.0) -> str:
        finished = started + seconds
        if finished < self.began:
            return "before"
        if started >= self.ended:
            return "after"
        if started >= self.began and finished <= self.ended:
            return "during"
        return "across an edge"


PHASES = ["before", "across an edge", "during", "after"]


def status_table(samples: list[Sample], outage: Outage) -> dict[str, Counter]:
    table: dict[str, Counter] = {phase: Counter() for phase in PHASES}
    for sample in samples:
        if sample.page != "login":
            table[outage.phase(sample.started, sample.seconds)][sample.status] += 1
    return table


def print_table(title: str, table: dict[str, Counter]) -> None:
    print(title)
    for phase in PHASES:
        counts = ", ".join(
            f"{status or 'no answer'}: {n}" for status, n in sorted(table[phase].items())
        )
        print(f"  {phase:<16}{sum(table[phase].values()):>6} answers   {counts or '-'}")


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


# 1. PostgreSQL --------------------------------------------------------------------------------


def postgres_outage(pg: PostgresServer, port: int, accounts: list[Account]) -> list[str]:
    """The load with PostgreSQL stopped for OUTAGE seconds; the failed expectations."""
    print(
        f"\n== PostgreSQL stopped under load: {len(accounts)} users for {LOAD_SECONDS:.0f} s; "
        f"pg_ctl stop -m fast after {STOP_AFTER:.0f} s, start {OUTAGE:.0f} s later ==",
        flush=True,
    )
    run = Run(tag="pg ")
    loader = threading.Thread(target=run_load, args=(port, accounts, LOAD_SECONDS, run))
    loader.start()
    run.opened.wait()
    probe = Probe(port, run).start()
    time.sleep(STOP_AFTER)
    began = run.now()
    pg_stop(pg)
    down = run.now()
    time.sleep(OUTAGE)
    starting = run.now()
    pg_start(pg)
    outage = Outage(began, down, starting, run.now())
    loader.join()
    probe.stopped.set()
    print(
        f"stop ordered at {outage.began:.1f} s, down at {outage.down:.1f} s; start ordered at "
        f"{outage.starting:.1f} s, accepting connections at {outage.ended:.1f} s"
    )

    pages = [s for s in run.samples if s.page != "login"]
    table = status_table(pages, outage)
    print_table("pages (the users' requests), by status:", table)
    health: dict[str, Counter] = {phase: Counter() for phase in PHASES}
    for started, seconds, status, _ in probe.samples:
        health[outage.phase(started, seconds)][status] += 1
    print_table("/healthz probe, by status:", health)
    print(f"  slowest /healthz answer: {max(d for _, d, _, _ in probe.samples) * 1000:.0f} ms")

    problems = []
    during = [s for s in pages if outage.phase(s.started, s.seconds) == "during"]
    edge = [s for s in pages if outage.phase(s.started, s.seconds) == "across an edge"]
    after = [s for s in pages if outage.phase(s.started, s.seconds) == "after"]
    unavailable = [s for s in pages if s.status == 503]
    if not during:
        problems.append("no request fell inside the outage")
    if any(s.status != 503 for s in during):
        problems.append(f"during the outage: {Counter(s.status for s in during)}, not only 503")
    if any(s.status not in (200, 302, 503) for s in edge):
        problems.append(f"across the edges: {Counter(s.status for s in edge)}")
    bad_pages = [
        s
        for s in unavailable
        if DB_DOWN_TEXT not in s.body or "Traceback" in s.body or not s.retry_after
    ]
    if bad_pages:
        problems.append(f"{len(bad_pages)} 503 answers without the Danish page or Retry-After")
    if not after or any(not s.expected for s in after):
        problems.append(f"after the restart: {Counter(s.status for s in after)}, not all OK")
        for s in [s for s in after if not s.expected][:5]:
            snippet = " ".join(s.body.split())[:300]
            print(f"  after, unexpected: {s.page} {s.status} {s.location} {s.error} {snippet}")
    slowest = max((s.seconds for s in during), default=0.0)
    last_503 = max((s.started + s.seconds for s in unavailable), default=0.0)
    health_down = [b for t, d, _, b in probe.samples if outage.phase(t, d) == "during"]
    if any(b.get("database", {}).get("ok") is not False for b in health_down):
        problems.append("/healthz did not report the database down during the outage")
    print(
        f"503 answers: {len(unavailable)}, all with Retry-After and the Danish page: "
        f"{'yes' if not bad_pages else 'NO'}; no 500, no traceback, no hang: slowest answer "
        f"during the outage {slowest * 1000:.0f} ms"
    )
    if after:
        print(
            f"after PostgreSQL was back: {len(after)} answers, "
            f"{sum(s.expected for s in after)} as expected (200 / saved); the last 503 was "
            f"answered {last_503 - outage.ended:+.2f} s from the moment PostgreSQL accepted "
            "connections (requests queued during the outage); gunicorn was not restarted"
        )
    from django.db import connections

    connections.close_all()  # this process's own connection went down with the server too
    check = check_writes(run.writes)
    if print_write_check(check):
        problems.append("registrations missing or half-written")
    return problems


# 2. Redis -------------------------------------------------------------------------------------


def due_seminar(people: int) -> None:
    """A seminar ten days ahead (its 14-day reminder is due) with `people` registered."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from accounts.models import User
    from seminars.models import Registration
    from tests import factories as f

    seminar = f.SeminarFactory(starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=10))
    users = User.objects.bulk_create(
        User(email=f"paamindelse{n:02d}@example.dk", password=UNUSABLE_PASSWORD_PREFIX)
        for n in range(people)
    )
    Registration.objects.bulk_create(Registration(seminar=seminar, user=u) for u in users)


def redis_outage(pg: PostgresServer, redis: RedisServer, port: int, accounts: list[Account]):  # noqa: ANN201, C901
    from celery import Celery
    from django.utils import timezone

    from accounts.models import User
    from reminders.models import ReminderStatus, SentReminder
    from reminders.scanner import due_reminders
    from tests.fake_smtp import FakeSMTPServer

    print(
        f"\n== Redis stopped under load: a worker mailing reminders, {len(accounts)} users "
        "browsing; Redis terminated mid-batch and started again 5 s later ==",
        flush=True,
    )
    due_seminar(REMINDERS)
    due = due_reminders(timezone.now())
    emails = dict(User.objects.values_list("pk", "email"))
    expected = Counter(emails[d.recipient_id] for d in due)
    print(f"{len(due)} reminders due (the demo's and a seminar with {REMINDERS} registered)")

    smtp = FakeSMTPServer(delay=0.1).start()  # 0.1 s per mail: the batch takes a while
    worker = CeleryWorker(
        env={
            "DJANGO_SETTINGS_MODULE": "lkt_portal.settings",
            "DEBUG": "False",
            "SECRET_KEY": "faults-worker-" + "w" * 40,
            "DATABASE_URL": pg.url,
            "REDIS_URL": redis.url,
            "EMAIL_URL": smtp.url,
            "REMINDERS_RETRY_BACKOFF": "1",
        }
    ).start()
    client = Celery("faults", broker=redis.url, backend=redis.url, set_as_current=False)
    problems: list[str] = []
    run = Run(tag="redis ")
    run.ramp = 2.0
    loader = threading.Thread(target=run_load, args=(port, accounts, 25.0, run))
    try:
        if not wait_until(lambda: _ping(client), timeout=60, every=0.5):
            return [f"the worker did not start:\n{worker.output()[-2000:]}"]
        loader.start()
        run.opened.wait()
        probe = Probe(port, run).start()
        scan = client.send_task("lkt_portal.reminders.scan").get(timeout=60)
        wait_until(lambda: smtp.count() >= len(due) // 3, timeout=60)
        began, mailed_before = run.now(), smtp.count()
        redis.stop()
        time.sleep(OUTAGE)
        mailed_during = smtp.count() - mailed_before
        starting = run.now()
        redis.start()
        outage = Outage(began, began, starting, run.now())
        reconnected = wait_until(lambda: _ping(client), timeout=90, every=0.5)
        worker_back = run.now()
        print(
            f"first scan queued {scan}; Redis terminated at {began:.1f} s after "
            f"{mailed_before} mails ({mailed_during} more went out while it was down: the "
            f"task in hand); started again at {starting:.1f} s; the worker answered again "
            f"at {worker_back:.1f} s ({worker_back - starting:.1f} s later, by itself)"
        )
        if not reconnected:
            problems.append("the worker did not reconnect to Redis")
        mailed_at_rescan = smtp.count()
        rescan = client.send_task("lkt_portal.reminders.scan").get(timeout=60)
        wait_until(
            lambda: SentReminder.objects.filter(status=ReminderStatus.SENT).count() >= len(due),
            timeout=120,
        )
        time.sleep(1)
        last_scan = client.send_task("lkt_portal.reminders.scan").get(timeout=60)
        time.sleep(1)
        loader.join()
        probe.stopped.set()

        table = status_table(run.samples, outage)
        print_table("pages, by status (phases as for PostgreSQL: 'during' = Redis down):", table)
        health: dict[str, Counter] = {phase: Counter() for phase in PHASES}
        for started, seconds, status, _ in probe.samples:
            health[outage.phase(started, seconds)][status] += 1
        print_table("/healthz probe (503 while the broker is down, by design):", health)
        print(f"  slowest /healthz answer: {max(d for _, d, _, _ in probe.samples) * 1000:.0f} ms")
        bad = [s for s in run.samples if not s.expected]
        if bad:
            problems.append(f"pages failed while Redis was down: {Counter(s.status for s in bad)}")
        if print_write_check(check_writes(run.writes)):
            problems.append("registrations missing while Redis was down")

        received = Counter(smtp.recipients())
        message_ids = Counter(mail.message["Message-ID"] for mail in smtp.accepted)
        sent = SentReminder.objects.filter(status=ReminderStatus.SENT).count()
        left = due_reminders(timezone.now())
        print(
            f"the scan after Redis was back (as beat runs it) queued {rescan}; mails then: "
            f"{smtp.count() - mailed_at_rescan}; a last scan queued {last_scan}"
        )
        print(
            f"reminders due {len(due)}; mails accepted by the SMTP server {smtp.count()}; "
            f"records marked sent {sent}; still due afterwards {len(left)}; recipients "
            f"{'exactly as due' if received == expected else 'NOT as due'}; "
            f"Message-IDs twice: {sum(n > 1 for n in message_ids.values())}"
        )
        if received != expected:
            lost, doubled = expected - received, received - expected
            problems.append(f"lost {sum(lost.values())}, doubled {sum(doubled.values())}")
        if smtp.count() != len(due) or sent != len(due) or left or last_scan:
            problems.append("the counts of due, mailed and sent reminders differ")
    finally:
        if loader.is_alive():
            loader.join()
        worker.stop()
        smtp.stop()
    return problems


def server_log(log: Path) -> list[str]:
    """What gunicorn logged: each failed request once, with its traceback, for the operator."""
    lines = log.read_text(errors="replace").splitlines()
    logged = Counter(
        line.split(":")[0] for line in lines if line.startswith(("Service", "Internal"))
    )
    print(
        f"gunicorn's log: {logged.get('Service Unavailable', 0)} × 'Service Unavailable' and "
        f"{logged.get('Internal Server Error', 0)} × 'Internal Server Error', with tracebacks "
        "(for the operator; the users saw the 503 page)"
    )
    return ["a request failed with 500"] if logged.get("Internal Server Error") else []


def _ping(client) -> bool:  # noqa: ANN001
    try:
        return bool(client.send_task("lkt_portal.ping").get(timeout=3))
    except Exception:  # noqa: BLE001 -- not yet
        return False


def main() -> int:
    redis = RedisServer().start()
    try:
        with django_on_postgres() as pg:
            accounts = build_world(USERS)
            port = free_port()
            log = Path(tempfile.mkstemp(prefix="lkt-faults-gunicorn-", suffix=".log")[1])
            gunicorn = start_gunicorn(port, log=log, REDIS_URL=redis.url)
            print(
                f"gunicorn on 127.0.0.1:{port} (CONN_MAX_AGE=60, REDIS_URL set), PostgreSQL "
                f"on port {pg.port}, Redis on port {redis.port}",
                flush=True,
            )
            try:
                problems = postgres_outage(pg, port, accounts)
                problems += server_log(log)
                problems += redis_outage(pg, redis, port, accounts[:REDIS_USERS])
                if gunicorn.poll() is not None:
                    problems.append("gunicorn is gone")
            finally:
                stop_gunicorn(gunicorn)
                log.unlink(missing_ok=True)
    finally:
        redis.stop()
    print()
    for problem in problems:
        print(f"FAILED: {problem}")
    print("OK: every expectation met" if not problems else f"{len(problems)} expectations failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
