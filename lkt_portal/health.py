"""Reachability checks for `/healthz`: the database and the job broker."""

from __future__ import annotations

from django.db import connections

from lkt_portal.celery import app as celery_app


def database_status() -> tuple[bool, str]:
    """Run a trivial query on the default database."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any failure means "down"; the message says which
        return False, f"{type(exc).__name__}: {exc}".strip()
    return True, "ok"


def broker_status(timeout: float = 2.0) -> tuple[bool, str]:
    """Open (and close) one connection to the Celery broker, giving up after `timeout` seconds."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}".strip()
    return True, f"ok ({transport})"
