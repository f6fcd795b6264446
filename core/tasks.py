"""A task that belongs to no single app: `ping`, by which tests and benchmarks tell a real worker
from eager mode. Its name keeps the `lkt_portal.` prefix it was born with."""

from __future__ import annotations

import os
import socket

from celery import shared_task


@shared_task(name="lkt_portal.ping")
def ping(message: str = "ping") -> dict[str, str | int]:
    """Answer with the worker's host and pid, so a caller can tell a real worker from eager mode."""
    return {"reply": f"pong: {message}", "host": socket.gethostname(), "pid": os.getpid()}
