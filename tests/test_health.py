"""`/healthz` reports database and broker reachability."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from lkt_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_it_runs_on_real_postgresql() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert connection.vendor == "postgresql"
    assert version.startswith("PostgreSQL")


def test_it_reports_ok_when_database_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.mark.slow
def test_it_reports_503_when_the_broker_is_down(client: Client, monkeypatch) -> None:
    # Nothing listens on port 1: a real connection attempt to a real (absent) Redis.
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_it_reports_a_redis_broker_as_reachable(client: Client, redis_server, monkeypatch) -> None:
    monkeypatch.setitem(celery_app.conf, "broker_url", redis_server.url)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})

    response = client.get("/healthz")

    assert response.status_code == 200
    assert "redis" in response.json()["broker"]["detail"].lower()
