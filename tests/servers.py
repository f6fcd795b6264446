"""Throwaway PostgreSQL and Redis servers on loopback, started from the machine's own binaries.

Tests start them and stop them; nothing listens beyond 127.0.0.1. PostgreSQL refuses to run as
root, so as root the server runs as the `postgres` system user (through `runuser`).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REQUIRE_ENV = "LKT_REQUIRE_SERVICES"


def services_required() -> bool:
    """In CI a missing server is a failure, not a skip."""
    return os.environ.get(REQUIRE_ENV, "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail when CI demands the real servers (LKT_REQUIRE_SERVICES)."""
    import pytest

    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV} is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"Nothing answered on 127.0.0.1:{port} within {timeout} s")


class ServiceUnavailable(RuntimeError):
    """A server binary is missing; the message says which and how to install it."""


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise ServiceUnavailable(
            f"PostgreSQL's `{name}` was not found (install PostgreSQL 15 server binaries)"
        )
    return found


@dataclass
class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, trusting local connections."""

    port: int = field(default_factory=free_port)
    user: str = "postgres"
    directory: Path = field(init=False)
    _as_user: list[str] = field(init=False, default_factory=list)

    def start(self) -> PostgresServer:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.directory = Path(tempfile.mkdtemp(prefix="lkt-pg-"))
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                raise ServiceUnavailable("running as root, but `runuser` is missing")
            shutil.chown(self.directory, "postgres", "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]
        data = self.directory / "data"
        self._run(
            [
                initdb,
                "-D",
                str(data),
                "-U",
                self.user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.directory} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            [
                pg_ctl,
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(self.directory / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        return self

    def stop(self) -> None:
        if not hasattr(self, "directory"):
            return
        data = self.directory / "data"
        if data.exists():
            subprocess.run(
                [
                    *self._as_user,
                    _pg_bin("pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, command: list[str]) -> None:
        result = subprocess.run([*self._as_user, *command], capture_output=True, text=True)
        if result.returncode != 0:
            log = self.directory / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {result.stderr}{result.stdout}{tail}")

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/postgres"

    def django_settings(self, name: str = "postgres") -> dict[str, object]:
        """The keys of a Django DATABASES entry for this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": self.user,
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "OPTIONS": {},
        }


@dataclass
class RedisServer:
    """A redis-server without persistence on a free loopback port."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if not binary:
            raise ServiceUnavailable("`redis-server` was not found (apt-get install redis-server)")
        self.process = subprocess.Popen(  # noqa: S603 -- our own arguments
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@dataclass
class CeleryWorker:
    """`celery -A lkt_portal worker` in its own process, configured only through the environment."""

    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    log: Path | None = None

    def start(self, *extra: str) -> CeleryWorker:
        import sys

        handle, name = tempfile.mkstemp(prefix="lkt-worker-", suffix=".log")
        os.close(handle)
        self.log = Path(name)
        self.process = subprocess.Popen(  # noqa: S603 -- our own arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lkt_portal",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                *extra,
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, **self.env},
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
        )
        return self

    def output(self) -> str:
        return self.log.read_text() if self.log and self.log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.unlink(missing_ok=True)
