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
"""

from __future__ import annotations

import http.client
import io
import itertools
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pg import django_on_postgres  # noqa: E402
from tests.servers import free_port, wait_for_port  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# Logins are spread over RAMP seconds: each costs half a CPU-second of Argon2 (100 MiB), and 50
# at the same instant would measure the password hash, not the portal.
RAMP = float(os.environ.get("LOAD_RAMP", "20"))
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "30"))  # per request; gunicorn's own is 30 s too
PASSWORD = "belastning-2026-lkt"  # noqa: S105 -- throwaway accounts on a throwaway server
PAGES = ["login", "home", "team results", "registration page", "register (POST)", "programme"]
MARK = "belastning"  # every comment the load writes starts with this

# gunicorn as in production (docker-compose.yml), except plain HTTP on loopback.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "load-test-only-" + "l" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "False",
    "SECURE_COOKIES": "False",
    "SECURE_HSTS_SECONDS": "0",
    "LKT_ENFORCE_2FA": "False",
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "lkt_portal.settings",  # not the tests' settings, when run by one
    "EMAIL_URL": "dummymail://",
    # whitenoise asks for collected static files, which a load test does not fetch.
    "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
}


# The world ----------------------------------------------------------------------------------


@dataclass
class Account:
    email: str
    team_id: int
    programme_id: int
    months: list[str]  # "YYYY-MM": this person's share of the team's months, theirs alone
    indicators: int  # active indicators of the programme: history rows per POST


def build_world(users: int = USERS) -> list[Account]:
    """The demo data and `users` team members, round-robin over the teams that collect data."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from accounts.models import User
    from indicators import selectors
    from teams.models import ImprovementTeam, TeamMember

    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    teams = [
        team
        for team in ImprovementTeam.objects.select_related("programme").order_by("pk")
        if selectors.active_indicators(team.programme).exists()
        and selectors.programme_months(team.programme)
    ]
    password = make_password(PASSWORD)  # one Argon2 hash for all: the setup stays quick
    members: dict[int, list[str]] = defaultdict(list)
    for number in range(users):
        team = teams[number % len(teams)]
        email = f"belastning{number:02d}@example.dk"
        user = User.objects.create(
            email=email, first_name="Belastning", last_name=f"{number:02d}", password=password
        )
        TeamMember.objects.create(team=team, user=user, role="member")
        members[team.pk].append(email)
    accounts = []
    for team in teams:
        emails = members.get(team.pk, [])
        months = [m.strftime("%Y-%m") for m in selectors.programme_months(team.programme)]
        count = selectors.active_indicators(team.programme).count()
        for share, email in enumerate(emails):
            mine = months[share :: len(emails)]
            accounts.append(Account(email, team.pk, team.programme_id, mine, count))
    return sorted(accounts, key=lambda account: account.email)


def start_gunicorn(
    port: int, workers: int = WORKERS, log: Path | None = None, **env: str
) -> subprocess.Popen:
    """gunicorn with the production environment; its log (errors) to `log` when given."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "lkt_portal.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--log-level=warning",
        "--timeout=30",
    ]
    process = subprocess.Popen(  # noqa: S603 -- our own arguments
        command,
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, **env},
        start_new_session=True,
        stderr=log.open("w") if log else None,
    )
    wait_for_port(port, timeout=60)
    return process


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# A browser, just enough of one ----------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no answer (refused, reset, timed out)
    location: str
    body: str
    error: str = ""
    retry_after: str = ""


class Browser:
    """One person's cookies and plain HTTP/1.1 requests; redirects are not followed."""

    def __init__(self, port: int, timeout: float = TIMEOUT) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {"Host": "127.0.0.1", "User-Agent": "lkt-load/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Answer(
                response.status,
                response.getheader("Location") or "",
                content,
                retry_after=response.getheader("Retry-After") or "",
            )
        except (OSError, http.client.HTTPException) as exc:
            return Answer(0, "", "", f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    def form_token(self, answer: Answer) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        return found.group(1) if found else ""


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
class Write:
    account: Account
    month: str
    comment: str
    status: int
    saved: bool  # answered with the redirect back to the month: the portal says it is saved
    started: float


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


@dataclass
class WriteCheck:
    saved: int  # POSTs answered with the success redirect
    found: int  # … whose rows are all in the database
    unsaved: int  # POSTs answered otherwise (an error, or the form again)
    missing: list[str]
    unsaved_found: int  # POSTs answered otherwise whose rows are there all the same
    unsaved_partly: list[str]  # … or partly there: a half-written month (must never happen)
    cells_wrong: list[str]  # current figures that are not the last saved POST's


def check_writes(writes: list[Write]) -> WriteCheck:
    """Every saved POST in the history (one row per indicator); the last one is current."""
    from django.db.models import Count

    from indicators.models import Measurement

    rows = dict(
        Measurement.history.filter(comment__startswith=MARK)
        .values_list("comment")
        .annotate(n=Count("history_id"))
        .order_by()
    )
    check = WriteCheck(0, 0, 0, [], 0, [], [])
    last: dict[tuple[int, str], Write] = {}
    for write in sorted(writes, key=lambda w: w.started):
        expected, got = write.account.indicators, rows.get(write.comment, 0)
        if write.saved:
            check.saved += 1
            if got == expected:
                check.found += 1
            else:
                check.missing.append(f"{write.comment}: {got} of {expected} rows")
        else:
            check.unsaved += 1
        if not write.saved and got == expected:
            check.unsaved_found += 1
        elif not write.saved and got:
            check.unsaved_partly.append(f"{write.comment}: {got} of {expected} rows")
        if got == expected:
            last[write.account.team_id, write.month] = write
    current = {
        (team, period.strftime("%Y-%m")): comments
        for team, period, comments in _current_comments([t for t, _ in last])
    }
    for (team, month), write in last.items():
        comments = current.get((team, month), set())
        if comments != {write.comment}:
            check.cells_wrong.append(f"team {team} {month}: {sorted(comments)} ≠ {write.comment}")
    return check


def _current_comments(team_ids: list[int]):  # noqa: ANN202
    from indicators.models import Measurement

    cells: dict[tuple[int, object], set[str]] = defaultdict(set)
    for team, period, comment in Measurement.objects.filter(
        team_id__in=set(team_ids), comment__startswith=MARK
    ).values_list("team_id", "period_start", "comment"):
        cells[team, period].add(comment)
    return [(team, period, comments) for (team, period), comments in cells.items()]


def print_write_check(check: WriteCheck) -> int:
    print(
        f"registrations: {check.saved} POSTs answered 'saved'; {check.found} of them found in "
        f"full in the database (one history row per indicator with the POST's own comment); "
        f"{len(check.missing)} missing; {len(check.cells_wrong)} months whose current figures "
        f"are not the last saved POST's"
    )
    if check.unsaved:
        print(
            f"  {check.unsaved} POSTs answered otherwise (e.g. 503): {check.unsaved_found} of "
            f"them were saved all the same (committed before the answer failed), "
            f"{check.unsaved - check.unsaved_found - len(check.unsaved_partly)} left nothing, "
            f"{len(check.unsaved_partly)} half-written"
        )
    for problem in (check.missing + check.unsaved_partly + check.cells_wrong)[:10]:
        print(f"  {problem}")
    return len(check.missing) + len(check.unsaved_partly) + len(check.cells_wrong)


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
