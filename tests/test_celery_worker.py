"""A task sent through a real Redis broker is run by a real `celery worker` process."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from celery import Celery

from tests.servers import CeleryWorker, RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def worker(redis_server: RedisServer, tmp_path) -> Iterator[CeleryWorker]:
    worker = CeleryWorker(
        env={
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "worker-test-key-" + "y" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
            "DEBUG": "False",
        }
    ).start()
    yield worker
    worker.stop()


def test_a_task_runs_in_a_real_worker_over_redis(redis_server: RedisServer, worker) -> None:
    client = Celery(
        "client", broker=redis_server.url, backend=redis_server.url, set_as_current=False
    )

    result = client.send_task("lkt_portal.ping", args=["hej"])
    try:
        reply = result.get(timeout=60)
    except Exception:
        pytest.fail(f"no reply from the worker; its log:\n{worker.output()}")

    assert reply["reply"] == "pong: hej"
    assert reply["pid"] == worker.process.pid
    assert reply["pid"] != os.getpid()  # not eager: another process ran it
