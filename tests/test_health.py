"""`/healthz` reports database and broker reachability."""

from __future__ import annotations

import logging

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
    assert response.json()["broker"] == {"ok": True, "detail": "ok"}


@pytest.mark.slow
def test_it_names_no_host_or_port_when_the_broker_is_down(client: Client, monkeypatch, caplog):
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})

    with caplog.at_level(logging.WARNING, logger="lkt_portal.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "detail": "unavailable"}
    assert "127.0.0.1" not in response.content.decode()
    assert ":1" in caplog.text  # the driver's own words go to the log, for the operator


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_names_no_host_or_port_when_the_database_is_down(client: Client, monkeypatch, caplog):
    # The same server, a port where nothing listens: a real, refused connection.
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        with caplog.at_level(logging.WARNING, logger="lkt_portal.health"):
            response = client.get("/healthz")
    finally:
        connection.close()
        monkeypatch.undo()

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": False, "detail": "unavailable"}
    assert "port 1" not in response.content.decode() and "127.0.0.1" not in body["database"]
    assert "port 1" in caplog.text
