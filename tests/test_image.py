"""The production image (Dockerfile, .dockerignore, the runtime lock), checked without a Docker
engine: its instructions are read, and its Python packages are installed into a fresh venv that
then draws a status PDF from a copy of the files the image gets."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_LOCK = ROOT / "requirements.lock"
RUNTIME_LOCK = ROOT / "requirements-runtime.lock"

# The importable names of the dev extra's packages (pyproject.toml); none may be needed to run.
DEV_MODULES = [
    "pytest",
    "pytest_django",
    "factory",
    "faker",
    "hypothesis",
    "playwright",
    "importlinter",
    "mypy",
    "mypy_django_plugin",
    "time_machine",
]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def locked(lock: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """Each package of a uv-compiled lock: its pinned version and its hashes."""
    pins: dict[str, tuple[str, frozenset[str]]] = {}
    for entry in re.split(r"\n(?=\S)", lock.read_text()):
        match = re.match(r"([A-Za-z0-9_.\-\[\],]+)==(\S+)", entry)
        if match:
            hashes = frozenset(re.findall(r"--hash=(\S+)", entry))
            pins[canonical(match[1])] = (match[2], hashes)
    return pins


def requirement_names(requirements: list[str]) -> set[str]:
    return {canonical(re.split(r"[<>=!~; ]", requirement)[0]) for requirement in requirements}


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments left out."""
    lines = [
        line for line in dockerfile.read_text().splitlines() if not line.lstrip().startswith("#")
    ]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            found.append((instruction.upper(), " ".join(arguments.split())))
    return found


def apt_packages(steps: list[tuple[str, str]]) -> set[str]:
    packages: set[str] = set()
    for instruction, arguments in steps:
        if instruction != "RUN":
            continue
        for command in re.split(r"&&|;", arguments):
            words = shlex.split(command)
            if words[:2] in (["apt-get", "install"], ["apt", "install"]):
                packages |= {word for word in words[2:] if not word.startswith("-")}
    return packages


def test_every_runtime_pin_is_the_dev_locks_pin() -> None:
    dev, runtime = locked(DEV_LOCK), locked(RUNTIME_LOCK)
    assert len(runtime) > 20
    differing = {
        name: (pin, dev.get(name)) for name, pin in runtime.items() if dev.get(name) != pin
    }
    assert not differing, f"Run `make lock`: the two locks disagree on {sorted(differing)}"


def test_the_runtime_lock_has_every_dependency_and_no_dev_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = set(locked(RUNTIME_LOCK))
    dev_extra = requirement_names(project["optional-dependencies"]["dev"])
    assert requirement_names(project["dependencies"]) <= runtime
    assert not dev_extra & runtime
    assert {"pytest", "playwright", "hypothesis", "faker", "mypy"}.isdisjoint(runtime)


def test_the_image_is_python_3_11_with_pango_and_a_font() -> None:
    steps = instructions(ROOT / "Dockerfile")
    bases = [arguments for instruction, arguments in steps if instruction == "FROM"]
    # The locks are compiled for 3.11 (`make lock`), Debian's package names below for bookworm.
    assert bases == ["python:3.11-slim-bookworm"]
    packages = apt_packages(steps)
    # WeasyPrint's libraries on Debian, and the font the print stylesheet names (DejaVu Sans).
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"} <= packages
    assert "fonts-dejavu-core" in packages


def test_the_image_installs_the_runtime_lock_only() -> None:
    steps = instructions(ROOT / "Dockerfile")
    text = " ".join(arguments for _, arguments in steps)
    installs = [
        arguments
        for instruction, arguments in steps
        if instruction == "RUN" and "pip install" in arguments
    ]
    assert installs == ["pip install --no-cache-dir --require-hashes -r requirements-runtime.lock"]
    assert "requirements.lock" not in text.replace("requirements-runtime.lock", "")


def test_the_image_runs_as_a_user_with_collected_files_and_gunicorn() -> None:
    steps = instructions(ROOT / "Dockerfile")
    users = [arguments for instruction, arguments in steps if instruction == "USER"]
    assert users and users[-1] not in {"root", "0", "0:0"}
    assert any(
        instruction == "RUN" and "useradd" in arguments and users[-1] in arguments.split()
        for instruction, arguments in steps
    )
    runs = " ".join(arguments for instruction, arguments in steps if instruction == "RUN")
    assert "STATIC_MANIFEST=True" in runs and "manage.py collectstatic --noinput" in runs
    command = [arguments for instruction, arguments in steps if instruction == "CMD"]
    assert json.loads(command[-1])[:2] == ["gunicorn", "lkt_portal.wsgi"]


def test_the_image_leaves_out_local_state_and_the_tests() -> None:
    ignored = dockerignore()
    for name in (".venv", "var", ".env", ".git", "tests", "bench"):
        assert is_ignored(name, ignored), name


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")]


def is_ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore's rules as used here: names from the top, `**/name` anywhere."""
    return any(
        fnmatch.fnmatch(path, pattern)
        or (pattern.startswith("**/") and fnmatch.fnmatch(Path(path).name, pattern[3:]))
        for pattern in patterns
    )


def build_context(target: Path) -> Path:
    """A copy of what `COPY . .` puts into the image."""
    patterns = dockerignore()

    def ignore(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(ROOT)
        return {name for name in names if is_ignored((relative / name).as_posix(), patterns)}

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.mark.slow
def test_the_runtime_lock_alone_draws_a_status_pdf(tmp_path: Path) -> None:
    app = build_context(tmp_path / "app")
    assert not (app / "tests").exists() and not (app / ".venv").exists()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", RUNTIME_LOCK.name],
        cwd=app,
        check=True,
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "lkt_portal.settings",
        "DEBUG": "False",
        "SECRET_KEY": "image-smoke-test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
        # Django's test client speaks plain HTTP and logs in without a second factor.
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "LKT_ENFORCE_2FA": "False",
    }
    # As the Dockerfile does: collected, hashed static files, then the database.
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=app,
        env={**env, "STATIC_MANIFEST": "True"},
        check=True,
    )
    env["STATIC_MANIFEST"] = "True"
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=app, env=env, check=True
    )
    script = (ROOT / "tests" / "image_smoke.py").read_text()
    result = subprocess.run(
        [python, "-c", script, *DEV_MODULES], cwd=app, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["dev_importable"] == []
    assert report["modules"] > 100
    assert report["status"] == 200
    assert report["content_type"] == "application/pdf"
    assert report["start"] == "%PDF-"
