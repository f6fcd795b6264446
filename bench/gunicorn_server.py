"""gunicorn serving the portal with production settings, for the load and fault benches."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.servers import wait_for_port

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))

# gunicorn as in production (docker-compose.yml), except plain HTTP on loopback.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "load-test-only-" + "l" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "False",
    "SECURE_COOKIES": "False",
    "SECURE_HSTS_SECONDS": "0",
    "LKT_ENFORCE_2FA": "False",
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "lkt_portal.settings",  # not the tests' settings, when run by one
    "EMAIL_URL": "dummymail://",
    # whitenoise asks for collected static files, which a load test does not fetch.
    "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
}


def start_gunicorn(
    port: int, workers: int = WORKERS, log: Path | None = None, **env: str
) -> subprocess.Popen:
    """gunicorn with the production environment; its log (errors) to `log` when given."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "lkt_portal.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--log-level=warning",
        "--timeout=30",
    ]
    process = subprocess.Popen(  # noqa: S603 -- our own arguments
        command,
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, **env},
        start_new_session=True,
        stderr=log.open("w") if log else None,
    )
    wait_for_port(port, timeout=60)
    return process


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
