"""Reachability checks for `/healthz`: the database and the job broker.

The answer says only "ok" or "unavailable": the driver's own words (hosts, ports, users) go to
the log, never to whoever asks `/healthz`.
"""

from __future__ import annotations

import logging

from django.db import connections

from lkt_portal.celery import app as celery_app

log = logging.getLogger(__name__)

OK, UNAVAILABLE = "ok", "unavailable"


def database_status() -> tuple[bool, str]:
    """Run a trivial query on the default database."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any failure means "down"; the log says which
        log.warning("Health check: the database is unavailable: %s: %s", type(exc).__name__, exc)
        return False, UNAVAILABLE
    return True, OK


def broker_status(timeout: float = 2.0) -> tuple[bool, str]:
    """Open (and close) one connection to the Celery broker, giving up after `timeout` seconds."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        log.warning("Health check: the broker is unavailable: %s: %s", type(exc).__name__, exc)
        return False, UNAVAILABLE
    return True, OK
