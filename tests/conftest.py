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
)


def _unavailable(what: str, exc: Exception) -> None:
    """Skip with the reason, or fail when CI demands the real servers."""
    message = f"{what} unavailable: {exc}"
    if services_required():
        pytest.fail(f"{message} ({REQUIRE_ENV} is set, so this is a failure, not a skip)")
    pytest.skip(message)


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
            _unavailable("PostgreSQL", RuntimeError(f"the test database is {connection.vendor}"))


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A throwaway Redis server for the whole session."""
    try:
        server = RedisServer().start()
    except ServiceUnavailable as exc:
        _unavailable("Redis", exc)
    try:
        yield server
    finally:
        server.stop()
