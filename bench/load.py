"""`make load`: 50 people browse and register data for 60 s against gunicorn and PostgreSQL.

A throwaway PostgreSQL (bench/pg.py) gets the demo data and 50 extra team members spread over
the demo's 21 teams, each with an account of their own. gunicorn serves the portal with production
settings (DEBUG off, a SECRET_KEY, persistent connections as in docker-compose.yml), except
that it speaks plain HTTP on loopback: no HTTPS redirect, no secure-only cookies, no forced
two-factor step. Every virtual user logs in through the login form (spread over LOAD_RAMP s) and
then, all at once, loops without pause:
home page, team results, registration page for one of its months, POST of that month's figures
(every field, with a comment that names this very POST), programme page.

Afterwards the database is asked for every POST that was answered with the success redirect:
each must have left one history row per indicator with its comment, and each team's current
figures must be the last POST made for them. Figures are printed; the exit code is 1 when any
request failed or any registration is missing.

The world is built in bench/load_world.py, the browser is bench/browser.py, gunicorn is started
by bench/gunicorn_server.py and the registrations are checked by bench/write_check.py.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import Answer, Browser  # noqa: E402
from bench.gunicorn_server import WORKERS, start_gunicorn, stop_gunicorn  # noqa: E402
from bench.load_world import PASSWORD, Account, build_world  # noqa: E402
from bench.pg import django_on_postgres  # noqa: E402
from bench.write_check import MARK, Write, check_writes, print_write_check  # noqa: E402
from tests.servers import free_port  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
# Logins are spread over RAMP seconds: each costs half a CPU-second of Argon2 (100 MiB), and 50
# at the same instant would measure the password hash, not the portal.
RAMP = float(os.environ.get("LOAD_RAMP", "20"))
PAGES = ["login", "home", "team results", "registration page", "register (POST)", "programme"]


def registration_form(page: str, token: str, comment: str, rng: random.Random) -> dict[str, str]:
    """The month's form filled in: every indicator, figures that pass the checks."""
    form = {"csrfmiddlewaretoken": token}
    for kind, pk in re.findall(r'name="(num|den|val|comment)_(\d+)"', page):
        if kind == "den":
            denominator = rng.randint(20, 80)
            form[f"den_{pk}"] = str(denominator)
            form[f"num_{pk}"] = str(rng.randint(0, denominator))
        elif kind == "val":
            form[f"val_{pk}"] = str(rng.randint(0, 30))
        elif kind == "comment":
            form[f"comment_{pk}"] = comment
    return form


# The load -----------------------------------------------------------------------------------


@dataclass
class Sample:
    page: str
    started: float  # seconds since the run began
    seconds: float
    status: int
    error: str = ""
    body: str = ""  # kept for answers outside 2xx/3xx only
    expected: bool = True  # a GET answered 200, a POST with its success redirect
    retry_after: str = ""
    location: str = ""


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    logins_failed: list[str] = field(default_factory=list)
    began: float = 0.0
    until: float = 0.0  # the window's end, in seconds since it began
    seconds: float = 0.0
    logins_took: float = 0.0
    people: int = 0
    tag: str = ""  # in every comment, to tell runs on one database apart
    ramp: float = RAMP
    opened: threading.Event = field(default_factory=threading.Event)
    start: threading.Barrier | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.began

    def timed(self, page: str, call, *args) -> Answer:  # noqa: ANN001
        started = self.now()
        answer = call(*args)
        sample = Sample(page, started, self.now() - started, answer.status, answer.error)
        if not ok(answer.status):
            sample.body, sample.retry_after = answer.body[:4000], answer.retry_after
        sample.expected = answer.status == (302 if call.__name__ == "post" else 200)
        if not sample.expected:
            sample.body = sample.body or answer.body[:4000]
            sample.location = answer.location
        with self.lock:
            self.samples.append(sample)
        return answer


def ok(status: int) -> bool:
    return 200 <= status < 400


def virtual_user(run: Run, port: int, account: Account, number: int) -> None:
    rng = random.Random(number)
    browser = Browser(port)
    time.sleep(run.ramp * number / max(run.people, 1))
    page = run.timed("login", browser.get, "/login/")
    login = {
        "csrfmiddlewaretoken": browser.form_token(page),
        "username": account.email,
        "password": PASSWORD,
    }
    answer = run.timed("login", browser.post, "/login/", login)
    if answer.status != 302 or urlsplit(answer.location).path.startswith("/login"):
        with run.lock:
            run.logins_failed.append(f"{account.email}: {answer.status} {answer.error}")
    assert run.start is not None  # set before the first person starts
    run.start.wait()  # everyone is signed in: the measured window begins for all at once
    if account.email in " ".join(run.logins_failed):
        return
    for loop in itertools.count():
        if not browse(run, browser, account, loop, rng):
            return


def browse(run: Run, browser: Browser, account: Account, loop: int, rng: random.Random) -> bool:
    """One round of the person's pages; False once the window has closed (checked per page)."""
    month = account.months[loop % len(account.months)]
    enter = f"/data/team/{account.team_id}/registrer/{month}/"
    steps = [
        ("home", "/"),
        ("team results", f"/data/team/{account.team_id}/"),
        ("registration page", enter),
        ("register (POST)", enter),
        ("programme", f"/programmer/{account.programme_id}/"),
    ]
    form_page = None
    for page, path in steps:
        if run.now() >= run.until:
            return False
        if page != "register (POST)":
            answer = run.timed(page, browser.get, path)
            form_page = answer if page == "registration page" else form_page
            continue
        if form_page is None or form_page.status != 200:
            continue
        comment = f"{MARK} {run.tag}{account.email.split('@')[0]} #{loop}"
        form = registration_form(form_page.body, browser.form_token(form_page), comment, rng)
        started = run.now()
        answer = run.timed(page, browser.post, path, form)
        saved = answer.status == 302 and urlsplit(answer.location).path == path
        with run.lock:
            run.writes.append(Write(account, month, comment, answer.status, saved, started))
    return True


def run_load(port: int, accounts: list[Account], seconds: float, run: Run | None = None) -> Run:
    """Every account signs in (spread over `run.ramp`); then all browse and register for
    `seconds`, counted from the moment the last one is in."""
    run = run or Run()
    run.people = len(accounts)

    def window_opens() -> None:  # run by the last to arrive, before anyone is let go
        run.logins_took = run.now()
        run.began = time.monotonic()  # the window's clock; the logins came before it
        run.until = seconds
        run.opened.set()

    run.start = threading.Barrier(len(accounts), action=window_opens)
    threads = [
        threading.Thread(target=virtual_user, args=(run, port, account, number))
        for number, account in enumerate(accounts)
    ]
    run.began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = run.now()
    return run


# Figures ------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def print_figures(run: Run) -> int:
    """The table per page; the number of failed requests."""
    print(f"{'page':<20}{'requests':>9}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in run.samples:
        by_page[sample.page].append(sample)
    for page in PAGES:
        samples = by_page.get(page, [])
        times = [s.seconds * 1000 for s in samples]
        errors = sum(not ok(s.status) for s in samples)
        median = statistics.median(times) if times else 0.0
        print(
            f"{page:<20}{len(samples):>9}{errors:>8}{median:>11.0f}"
            f"{percentile(times, 0.95):>9.0f}{max(times, default=0):>9.0f}"
        )
    failed = [s for s in run.samples if not ok(s.status)]
    window = [s for s in run.samples if s.page != "login"]
    times = [s.seconds * 1000 for s in window]
    print(
        f"{'all but login':<20}{len(window):>9}{sum(not ok(s.status) for s in window):>8}"
        f"{statistics.median(times):>11.0f}{percentile(times, 0.95):>9.0f}{max(times):>9.0f}"
    )
    unexpected = sum(ok(s.status) and not s.expected for s in run.samples)
    print(
        f"logins: {run.people} people signed in over {run.logins_took:.1f} s (spread over "
        f"{run.ramp:.0f} s); then "
        f"{len(window)} requests in {run.seconds:.1f} s = {len(window) / run.seconds:.1f} "
        f"requests/s"
    )
    print(
        f"errors (not 2xx/3xx): {len(failed)}; other surprises (a GET not 200, a POST not "
        f"redirected): {unexpected}"
    )
    if failed:
        kinds = Counter((s.page, s.status, s.error[:60]) for s in failed)
        for (page, status, error), count in kinds.most_common(10):
            print(f"  {count} × {page}: {status or 'no answer'} {error}")
    for problem in run.logins_failed:
        print(f"  login failed: {problem}")
    return len(failed) + len(run.logins_failed) + unexpected


def main() -> int:
    with django_on_postgres() as pg:
        started = time.perf_counter()
        accounts = build_world(USERS)
        teams = len({a.team_id for a in accounts})
        print(
            f"PostgreSQL on port {pg.port}: demo data + {len(accounts)} team members on {teams} "
            f"teams ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        port = free_port()
        gunicorn = start_gunicorn(port)
        print(
            f"gunicorn on 127.0.0.1:{port}: {WORKERS} sync workers, DEBUG=False, "
            f"CONN_MAX_AGE=60; {os.cpu_count()} CPUs shared with PostgreSQL and the driver",
            flush=True,
        )
        print(
            f"{len(accounts)} virtual users log in (spread over {RAMP:.0f} s), then all browse "
            f"and register without pause for {SECONDS:.0f} s …",
            flush=True,
        )
        try:
            run = run_load(port, accounts, SECONDS)
        finally:
            stop_gunicorn(gunicorn)
        failed = print_figures(run)
        missing = print_write_check(check_writes(run.writes))
    print("OK: no errors, every registration present" if not failed + missing else "FAILED")
    return 1 if failed + missing else 0


if __name__ == "__main__":
    sys.exit(main())
