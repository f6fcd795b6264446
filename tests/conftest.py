"""Fixtures shared by the whole suite: the clock, real PostgreSQL and Redis servers, the cast."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.servers import (
    REQUIRE_ENV,
    PostgresServer,
    RedisServer,
    ServiceUnavailable,
    services_required,
    unavailable,
)

# --- The clock --------------------------------------------------------------------------------

TODAY_ENV = "LKT_TEST_TODAY"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")  # settings.TIME_ZONE, before Django is set up
_session_travel: time_machine.travel | None = None


def copenhagen_moment(moment: dt.datetime | dt.date | str) -> dt.datetime:
    """An aware moment; a date, a naive datetime or 'YYYY-MM-DD[THH:MM]' is Copenhagen time."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)


def _travel(moment: dt.datetime) -> time_machine.travel:
    # A timestamp, not a zoned datetime: time-machine would otherwise set TZ for the whole process
    # and for every server the tests start.
    return time_machine.travel(moment.timestamp(), tick=True)


def pytest_configure(config: pytest.Config) -> None:
    """LKT_TEST_TODAY=YYYY-MM-DD[THH:MM] (Copenhagen) moves the whole session there; time ticks."""
    global _session_travel
    if os.environ.get(TODAY_ENV) and _session_travel is None:
        _session_travel = _travel(copenhagen_moment(os.environ[TODAY_ENV]))
        _session_travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config: pytest.Config) -> str:
    moved = os.environ.get(TODAY_ENV)
    return f"clock: {TODAY_ENV}={moved} (Copenhagen)" if moved else "clock: the real date"


class Clock:
    """The suite's "now" and the means to move it: the `clock` fixture."""

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None

    def now(self) -> dt.datetime:
        from django.utils import timezone

        return timezone.now()

    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate()

    def month(self, n: int = 0) -> dt.date:
        from core.months import add_months, first_of_month

        return add_months(first_of_month(self.today()), n)

    def move_to(self, moment: dt.datetime | dt.date | str) -> dt.datetime:
        self.stop()
        self._travel = _travel(copenhagen_moment(moment))
        self._travel.start()
        return self.now()

    def shift(self, delta: dt.timedelta) -> dt.datetime:
        return self.move_to(self.now() + delta)

    def move_to_real_time(self) -> dt.datetime:
        self.stop()
        if time_machine.escape_hatch.is_travelling():  # LKT_TEST_TODAY moved the session
            real = time_machine.escape_hatch.time.time()
            return self.move_to(dt.datetime.fromtimestamp(real, dt.UTC))
        return self.now()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


@pytest.fixture
def clock() -> Iterator[Clock]:
    """The suite's "now": the real moment, or LKT_TEST_TODAY's, moved further by the test.

    - `clock.now()`: the aware current moment (what `timezone.now()` returns);
    - `clock.today()`: Copenhagen's date (what `timezone.localdate()` returns);
    - `clock.month(n)`: the first day of the month `n` months from this one (`month(-1)`: last);
    - `clock.move_to(moment)`: jump to an aware datetime, or to a date / naive datetime /
      'YYYY-MM-DD[THH:MM]' in Copenhagen time; time keeps ticking from there;
    - `clock.shift(delta)`: jump forward (or back) by a timedelta;
    - `clock.move_to_real_time()`: back to the machine's clock, for tests whose other processes
      (a Celery worker) read it.

    Every move ends with the test; the session's clock (LKT_TEST_TODAY) goes on from there.
    """
    moved = Clock()
    try:
        yield moved
    finally:
        moved.stop()


# --- Servers ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """A throwaway PostgreSQL server for the whole session, or None where none can start."""
    try:
        server = PostgresServer().start()
    except ServiceUnavailable as exc:
        if services_required():
            pytest.fail(f"PostgreSQL unavailable: {exc} ({REQUIRE_ENV} is set)")
        print(f"\nNOTE: PostgreSQL unavailable ({exc}); database tests run on SQLite.")
        yield None
        return
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgres_server: PostgresServer | None) -> None:
    """Point the test database at the throwaway PostgreSQL server before it is created."""
    if postgres_server is None:
        return
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"].update(postgres_server.django_settings())
    with contextlib.suppress(AttributeError):  # not created yet
        del connections["default"]  # a wrapper built from the old settings must not be reused


@pytest.fixture(autouse=True)
def _marked_services(request: pytest.FixtureRequest) -> None:
    """A test marked `postgres` runs on PostgreSQL or not at all."""
    if request.node.get_closest_marker("postgres"):
        request.getfixturevalue("django_db_setup")
        from django.db import connection

        if connection.vendor != "postgresql":
            unavailable(f"PostgreSQL unavailable: the test database is {connection.vendor}")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A throwaway Redis server for the whole session."""
    try:
        server = RedisServer().start()
    except ServiceUnavailable as exc:
        unavailable(f"Redis unavailable: {exc}")
    try:
        yield server
    finally:
        server.stop()


class Cast:
    """A fixed cast for permission tests: two programmes, teams in two regions, one of each role.

    Programme `kol` is led from Region Midtjylland and has team `kol_rm` (Midtjylland) and
    `kol_rsd` (Syddanmark); programme `adhd` has team `adhd_rsd`.
    """

    def __init__(self) -> None:
        from tests import factories as f

        rm = f.RegionFactory(name="Region Midtjylland", code="RM")
        rsd = f.RegionFactory(name="Region Syddanmark", code="RSD")
        self.regions = {"rm": rm, "rsd": rsd}
        self.kol = f.ProgrammeFactory(name="KOL", slug="kol", lead_region=rm)
        self.adhd = f.ProgrammeFactory(name="ADHD", slug="adhd", lead_region=rsd)
        self.kol_rm = f.TeamFactory(programme=self.kol, region=rm, name="Lungemedicin AUH")
        self.kol_rsd = f.TeamFactory(programme=self.kol, region=rsd, name="Lungemedicin OUH")
        self.adhd_rsd = f.TeamFactory(programme=self.adhd, region=rsd, name="BUP Odense")

        self.administrator = f.UserFactory(
            email="admin@example.dk", is_superuser=True, is_staff=True
        )
        self.steering = f.UserFactory(email="styregruppe@example.dk", is_steering_group_member=True)
        self.lead = f.ProgrammeLeadFactory(programme=self.kol, user__email="lead@example.dk").user
        self.coordinator = f.RegionalCoordinatorFactory(
            region=rm, user__email="tovholder@example.dk"
        ).user
        self.expert = f.ExpertMemberFactory(
            group__programme=self.kol, user__email="ekspert@example.dk"
        ).user
        self.local_lead = f.TeamMemberFactory(
            team=self.kol_rm, role="local_lead", user__email="lokal@example.dk"
        ).user
        self.member = f.TeamMemberFactory(team=self.kol_rsd, user__email="medlem@example.dk").user
        self.outsider = f.TeamMemberFactory(
            team=self.adhd_rsd, user__email="udenfor@example.dk"
        ).user
        self.nobody = f.UserFactory(email="ingen@example.dk")


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """The fuzzer's counts (tests/test_fuzz.py), when it ran."""
    from tests.test_fuzz import FUZZ_COUNTS

    if FUZZ_COUNTS:
        terminalreporter.write_line(
            "fuzzer: {roles} roles, {pages} pages, {forms} forms, {requests} requests".format_map(
                {"roles": 0, "pages": 0, "forms": 0, "requests": 0, **FUZZ_COUNTS}
            )
        )
