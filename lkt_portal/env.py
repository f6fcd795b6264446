"""Reads the portal's configuration from the environment (and an optional `.env` file)."""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    REDIS_URL=(str, ""),
    STATIC_MANIFEST=(bool, False),
)

# A developer's own `.env` wins over nothing, but never over the real environment.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG: bool = env("DEBUG")

# Serverless defaults so that `make run` needs nothing but Python.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
RUN_DIR = BASE_DIR / "var"


def secret_key() -> str:
    """The SECRET_KEY; a fixed development key only when DEBUG is on."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if DEBUG:
        return "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
    raise ImproperlyConfigured(
        "SECRET_KEY mangler: sæt miljøvariablen SECRET_KEY (en lang tilfældig streng), "
        "eller sæt DEBUG=True til lokal udvikling. "
        "(SECRET_KEY is required when DEBUG is off.)"
    )


def broker_url() -> str:
    """Redis when REDIS_URL (or CELERY_BROKER_URL) is set, else kombu's filesystem transport."""
    return env.str("CELERY_BROKER_URL", default="") or env("REDIS_URL") or "filesystem://"


def filesystem_broker_options() -> dict[str, str | bool]:
    """Folders for kombu's filesystem transport; created on first use."""
    folder = RUN_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),  # else kombu writes ./control/ where it runs
        "store_processed": False,
    }


def rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written "requests/seconds" (e.g. "10/60") as a pair."""
    text = env.str(name, default=default)
    try:
        count, seconds = (int(part) for part in text.split("/"))
    except ValueError:
        count = seconds = 0
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(
            f"{name}={text!r} er ikke en grænse: skriv antal/sekunder, fx 10/60."
        )
    return count, seconds
