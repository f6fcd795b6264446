"""Faults: the database gone (503, then recovery), Redis gone (reminders resume), backups.

The handler is tested on its own first (no database at all); then for real: gunicorn with the
production settings on a PostgreSQL of its own that is stopped and started under it, a Celery
worker whose Redis is terminated and started again, and a pg_dump / pg_restore round trip.
`make faults` runs the first two under load (bench/faults.py).
"""

from __future__ import annotations

import io
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import RequestFactory

from bench import backup
from bench.browser import Browser
from bench.faults import pg_start, pg_stop
from bench.gunicorn_server import start_gunicorn, stop_gunicorn
from lkt_portal.errors import server_error
from reminders.models import ReminderStatus, SentReminder
from tests import factories as f
from tests.fake_smtp import FakeSMTPServer
from tests.servers import (
    PostgresServer,
    RedisServer,
    ServiceUnavailable,
    free_port,
    unavailable,
)
from tests.test_reminders_worker import Rig, seminar_with_participants, sent, wait_for

DB_DOWN = "Portalen kan ikke nå sin database lige nu"


def answer_to(exc: BaseException, path: str = "/data/team/1/"):  # noqa: ANN201
    """What handler500 answers when the request failed with `exc` (Django calls it in `except`)."""
    try:
        raise exc
    except BaseException:  # noqa: BLE001
        return server_error(RequestFactory().get(path))


# The handler on its own: no database is touched (pytest-django would refuse it) ----------------


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("connection refused"),
        InterfaceError("connection already closed"),
        psycopg.OperationalError("server closed the connection unexpectedly"),
    ],
    ids=["django-operational", "django-interface", "psycopg-operational"],
)
def test_it_answers_503_with_retry_after_when_the_database_is_unreachable(exc) -> None:
    response = answer_to(exc)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert DB_DOWN in page
    assert "Traceback" not in page and str(exc) not in page


def test_it_finds_the_database_error_behind_another_one() -> None:
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError as cause:
        wrapped = RuntimeError("while rendering the page")
        wrapped.__cause__ = cause

    assert answer_to(wrapped).status_code == 503


@pytest.mark.parametrize(
    "exc", [ValueError("a bug"), ProgrammingError("relation does not exist")], ids=str
)
def test_it_answers_500_with_a_danish_page_for_any_other_error(exc) -> None:
    response = answer_to(exc)

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    page = response.content.decode()
    assert "Der skete en fejl" in page
    assert "a bug" not in page and "relation" not in page


def test_it_answers_the_health_check_in_json_even_from_the_error_handler() -> None:
    response = answer_to(OperationalError("connection refused"), path="/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["database"]["ok"] is False


# The real thing: gunicorn on a PostgreSQL that is stopped and started under it ---------------


@pytest.fixture
def portal_on_own_postgres(tmp_path) -> Iterator[tuple[int, PostgresServer, int]]:
    """gunicorn (production settings) on a copy of the test database in a server of its own.

    The copy is made with the backup code (pg_dump / pg_restore): quicker than migrating anew.
    Yields (gunicorn's port, the server, a team id) with a member who can log in.
    """
    team = f.TeamFactory()
    member = f.TeamMemberFactory(team=team, user__email="medlem@example.dk").user
    # gunicorn runs the production hashers, not the tests' MD5.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    member.password = hasher.encode("adgangskode-til-test", hasher.salt())
    member.save()
    db = settings.DATABASES["default"]
    copy = backup.dump(
        {"PGHOST": db["HOST"], "PGPORT": str(db["PORT"]), "PGUSER": db["USER"]}
        | {"PGDATABASE": db["NAME"]},
        tmp_path / "test.dump",
    )
    try:
        server = PostgresServer().start()
    except ServiceUnavailable as exc:
        unavailable(f"PostgreSQL unavailable: {exc}")
    port = free_port()
    gunicorn = None
    try:
        backup.restore(backup.params_from_url(server.url), copy)
        gunicorn = start_gunicorn(
            port,
            workers=2,
            log=tmp_path / "gunicorn.log",
            DATABASE_URL=server.url,
            CELERY_BROKER_URL="memory://",
        )
        yield port, server, team.pk
    finally:
        if gunicorn:
            stop_gunicorn(gunicorn)
        server.stop()


def _login(port: int) -> Browser:
    browser = Browser(port, timeout=20)
    page = browser.get("/login/")
    form = {
        "csrfmiddlewaretoken": browser.form_token(page),
        "username": "medlem@example.dk",
        "password": "adgangskode-til-test",
    }
    assert browser.post("/login/", form).status == 302
    return browser


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stopped_postgresql_gives_503_and_the_portal_recovers_without_a_restart(
    portal_on_own_postgres,
) -> None:
    port, server, team = portal_on_own_postgres
    browser = _login(port)
    pages = ["/", f"/data/team/{team}/", f"/data/team/{team}/registrer/"]
    assert [browser.get(page).status for page in pages] == [200, 200, 200]

    pg_stop(server)  # pg_ctl stop -m fast: the workers' persistent connections are cut
    down = [browser.get(page) for page in pages]
    health = browser.get("/healthz")
    pg_start(server)

    assert [answer.status for answer in down] == [503, 503, 503]
    assert all(DB_DOWN in answer.body and answer.retry_after == "30" for answer in down)
    assert all("Traceback" not in answer.body for answer in down)
    assert health.status == 503
    assert json.loads(health.body)["database"]["ok"] is False
    # The same gunicorn, the same session: each worker drops its dead connection and reconnects.
    assert [browser.get(page).status for page in pages * 2] == [200] * 6
    assert browser.get("/healthz").status == 200

    # A restart between two requests is not even noticed: the persistent connections
    # (CONN_MAX_AGE=60) are dead, and the health check replaces each before it is used.
    pg_stop(server)
    pg_start(server)
    assert [browser.get(page).status for page in pages * 2] == [200] * 6


# Redis terminated under a working Celery worker --------------------------------------------


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis of this test's own: it is stopped and started, which the session's must not be."""
    try:
        server = RedisServer().start()
    except ServiceUnavailable as exc:
        unavailable(f"Redis unavailable: {exc}")
    yield server
    server.stop()


def _worker_answers(client: Celery) -> bool:
    try:
        return bool(client.send_task("lkt_portal.ping").get(timeout=2))
    except Exception:  # noqa: BLE001 -- not yet
        return False


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reminders_resume_after_redis_restarts_none_lost_none_doubled(own_redis, clock) -> None:
    clock.move_to_real_time()  # the worker process reads the machine's clock
    emails = seminar_with_participants(30)
    setup = Rig(own_redis, 0, FakeSMTPServer(delay=0.1).start())  # 0.1 s a mail: 3 s in all
    try:
        setup.start_worker()
        assert setup.scan() == 30
        wait_for(lambda: setup.smtp.count() >= 5, "the batch under way")

        # Terminated without persistence: the queued send tasks are gone with it.
        own_redis.stop()
        time.sleep(3)
        stranded = 30 - setup.smtp.count()
        assert stranded > 0
        own_redis.start()  # the same port; the worker reconnects by itself

        wait_for(lambda: _worker_answers(setup.client), "the worker back on Redis", timeout=60)
        # The next scan (beat's, every 15 minutes) finds exactly the reminders never sent.
        assert setup.scan() == 30 - sent()
        wait_for(lambda: sent() == 30, "every reminder sent")
        assert setup.scan() == 0
        time.sleep(0.5)

        assert setup.smtp.count() == 30
        assert Counter(setup.smtp.recipients()) == Counter(emails)  # everyone once
        assert SentReminder.objects.filter(status=ReminderStatus.SENT).count() == 30
        message_ids = Counter(mail.message["Message-ID"] for mail in setup.smtp.accepted)
        assert max(message_ids.values()) == 1
    finally:
        setup.stop()


# Backups: pg_dump -Fc and pg_restore --clean --if-exists ------------------------------------


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_identical_row_counts_in_every_table(tmp_path) -> None:
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    db = settings.DATABASES["default"]
    source = {"PGHOST": db["HOST"], "PGPORT": str(db["PORT"]), "PGUSER": db["USER"]}
    source["PGDATABASE"] = db["NAME"]
    before = backup.row_counts(source)
    assert before["indicators_measurement"] > 500  # the demo: two ongoing LKTs, ~15 months

    dumped = backup.dump(source, tmp_path / "lkt.dump")
    restored = backup.create_database(source, f"restore_{uuid.uuid4().hex[:8]}")
    try:
        backup.restore(restored, dumped)
        assert backup.compare(before, backup.row_counts(restored)) == []

        # Over a database that has changed since: --clean --if-exists puts the backup back.
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=restored["PGDATABASE"]
        ) as connection:
            connection.execute("DELETE FROM indicators_measurement WHERE id % 2 = 0")
        assert backup.compare(before, backup.row_counts(restored)) != []
        backup.restore(restored, dumped)
        assert backup.compare(before, backup.row_counts(restored)) == []
    finally:
        backup.drop_database(restored)


def test_the_backup_reads_every_part_of_a_database_url() -> None:
    params = backup.params_from_url(
        "postgres://lkt:hem%40lig@db.example.dk:5433/lkt?sslmode=require"
    )

    assert params == {
        "PGDATABASE": "lkt",
        "PGHOST": "db.example.dk",
        "PGPORT": "5433",
        "PGUSER": "lkt",
        "PGPASSWORD": "hem@lig",
        "PGSSLMODE": "require",
    }
