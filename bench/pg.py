"""Django on a throwaway PostgreSQL server, for benchmarks run as plain scripts."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import PostgresServer, RedisServer, ServiceUnavailable  # noqa: E402


@contextlib.contextmanager
def django_on_postgres(**env: str) -> Iterator[PostgresServer]:
    """Start PostgreSQL, point Django at it, migrate; stop the server afterwards."""
    server = PostgresServer().start()
    try:
        os.environ.update(
            DATABASE_URL=server.url,
            SECRET_KEY="bench-only-" + "b" * 40,
            DEBUG="False",
            DJANGO_SETTINGS_MODULE="lkt_portal.settings",
            **env,
        )
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        yield server
    finally:
        from django.db import connections

        connections.close_all()
        server.stop()


@contextlib.contextmanager
def redis_cache_env() -> Iterator[dict[str, str]]:
    """A throwaway Redis as the cache, as in production (`REDIS_URL`); the job broker stays the
    folder, so that `/healthz` (which checks the broker) is the same page with or without it.
    Without redis-server: no variables, the cache is a folder, saying so."""
    try:
        redis = RedisServer().start()
    except ServiceUnavailable as error:
        print(f"Without Redis ({error}): the cache is a folder, as without REDIS_URL.")
        yield {}
        return
    try:
        yield {"REDIS_URL": redis.url, "CELERY_BROKER_URL": "filesystem://"}
    finally:
        redis.stop()


def copy_measurements(text: str) -> float:
    """Rows of tab-separated measurements (team, indicator, period, numerator, denominator,
    value, comment, registered at, updated at) straight into the table with COPY; the seconds
    it took."""
    import time

    from django.db import connection

    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY indicators_measurement (team_id, indicator_id, period_start, numerator, "
            "denominator, value, comment, registered_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        copy.write(text)
    return time.perf_counter() - started
