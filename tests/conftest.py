"""Fixtures shared by the whole suite: real PostgreSQL and Redis servers, started on demand."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.servers import (
    REQUIRE_ENV,
    PostgresServer,
    RedisServer,
    ServiceUnavailable,
    services_required,
    unavailable,
)


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
