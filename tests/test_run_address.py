"""`make run` tells the worker the server's own address, so reminder e-mails link to it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _site_url_of_make_run(*args: str, env: dict[str, str]) -> str:
    dry = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    export = next(line for line in dry.splitlines() if "SITE_URL" in line)
    shown = subprocess.run(
        ["bash", "-c", f'{export.strip().rstrip(chr(92))} printf %s "$SITE_URL"'],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return shown.stdout


def test_make_run_on_another_port_links_to_that_port() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "HOST"}}
    assert _site_url_of_make_run("PORT=8123", env=env) == "http://127.0.0.1:8123"


def test_an_explicit_site_url_still_wins() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PORT", "HOST"}}
    env["SITE_URL"] = "https://lkt.example.dk"
    assert _site_url_of_make_run("PORT=8123", env=env) == "https://lkt.example.dk"
