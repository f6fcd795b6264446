"""Schemathesis against the live API: every operation of /api/v1/openapi.json, fuzzed.

The portal runs on 127.0.0.1 (pytest-django's live server, on the suite's throwaway PostgreSQL)
with the cast and some data; schemathesis' CLI reads the live schema and sends generated and
boundary-value requests to every operation, twice: as a team member with a *write* token and as a
steering group member with a *read* token. It checks that no answer is a server error, that status
codes, content types and headers are as documented and bodies valid against the schema, that
invalid input is refused, that operations behind a token refuse requests without one, and that
methods an address does not have get 405. The operations × examples are printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.tokens import token_create
from tests.factories import IndicatorFactory, MeasurementFactory, SeminarFactory

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ST = Path(sys.executable).with_name("st")
EXAMPLES = int(os.environ.get("LKT_SCHEMATHESIS_EXAMPLES", "30"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
        "unsupported_method",
    ]
)


def run_schemathesis(url: str, token: str, report: Path) -> tuple[int, str]:
    # In the test's own folder: schemathesis keeps a cache of past failures where it runs.
    completed = subprocess.run(
        [
            str(ST),
            "run",
            f"{url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "20260101",
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=report.parent,
    )
    return completed.returncode, completed.stdout + completed.stderr


def cases_per_operation(report: Path) -> dict[str, int]:
    """Requests sent per operation, from schemathesis' NDJSON event stream."""
    counts: dict[str, int] = {}
    for line in report.read_text().splitlines():
        event = json.loads(line)
        for name, body in event.items():
            if name != "ScenarioFinished":
                continue
            label = body.get("label") or body.get("recorder", {}).get("label")
            cases = body.get("recorder", {}).get("cases", {})
            if label:
                counts[label] = counts.get(label, 0) + len(cases)
    return counts


@pytest.fixture
def world(transactional_db, cast):
    indicator = IndicatorFactory(programme=cast.kol)
    MeasurementFactory(team=cast.kol_rm, indicator=indicator)
    seminar = SeminarFactory(programme=cast.kol)
    seminar.registrations.create(user=cast.local_lead, team=cast.kol_rm)
    return cast


@pytest.mark.parametrize(
    ("role", "scope"),
    [("local_lead", "write"), ("steering", "read")],
    ids=["team-write", "steering-read"],
)
def test_schemathesis_finds_nothing_wrong_with_the_live_api(
    live_server, world, tmp_path, role, scope
) -> None:
    _token, secret = token_create(
        user=getattr(world, role), name="schemathesis", scope=scope, days=1
    )
    report = tmp_path / "events.ndjson"
    code, output = run_schemathesis(live_server.url, secret, report)
    counts = cases_per_operation(report) if report.exists() else {}
    print(f"\nschemathesis as {role} ({scope} token): {len(counts)} operations")
    for label, n in sorted(counts.items()):
        print(f"  {n:5d}  {label}")
    print(f"  total {sum(counts.values())} test cases")
    assert code == 0, output[-6000:]
