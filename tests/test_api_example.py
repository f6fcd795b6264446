"""docs/api-example.py, as a regional data team would run it: against a live portal, over HTTP,
with a write token; it saves a month and, when rows are wrong, prints each row's problems."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from accounts.tokens import token_create
from indicators.models import Measurement
from tests import test_import_files

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "api-example.py"

# The upload tests' KOL team “Ærø Kommune” with its member, and the two indicators the
# example's FIGURES name (“Andel med træningstilbud”, “Antal genindlæggelser”).
data = test_import_files.data


def run(live_server, secret: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own script, our own arguments
        [sys.executable, str(EXAMPLE), "--url", live_server.url, *args],
        env={"LKT_API_TOKEN": secret, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_example_sends_a_month_and_then_prints_the_row_errors(
    live_server, data, tmp_path
) -> None:
    _token, secret = token_create(user=data.user, name="example", scope="write", days=1)

    saved = run(live_server, secret, "--team", "Ærø Kommune", "--month", "2024-03")
    again = run(live_server, secret, "--team", str(data.aero.pk), "--month", "2024-03")

    assert (saved.returncode, saved.stdout) == (
        0,
        "Saved 2 rows: 2 new, 0 corrected, 0 unchanged.\n",
    )
    assert again.stdout == "Saved 2 rows: 0 new, 0 corrected, 2 unchanged.\n"
    assert Measurement.objects.filter(team=data.aero).count() == 2

    wrong = tmp_path / "april.csv"
    wrong.write_text(
        "indikator;tæller;nævner;værdi;kommentar\n"
        "Andel med træningstilbud;12;10;;\n"
        "Antal genindlæggelser;;;tre;\n",
        encoding="utf-8",
    )
    refused = run(
        live_server, secret, "--team", "Ærø Kommune", "--month", "2024-04", "--csv", str(wrong)
    )
    english = run(
        live_server,
        secret,
        *("--team", "Ærø Kommune", "--month", "2024-04", "--csv", str(wrong)),
        *("--language", "en"),
    )

    assert refused.returncode == 1
    assert refused.stdout.splitlines() == [
        "422 Data er ikke gyldige: Intet er gemt: 2 rækker har fejl. Ret dem, og send listen igen.",
        "  row 1 (numerator): Tælleren (12) er større end nævneren (10). "
        "En andel kan højst være 100 %.",
        "  row 2 (value): “tre” i kolonnen værdi er ikke et tal.",
        "  row 2 (value): Angiv en værdi.",
    ]
    assert "  row 2 (value): Enter a value." in english.stdout.splitlines()
    assert Measurement.objects.filter(team=data.aero).count() == 2


def test_the_example_says_what_is_wrong_with_the_key(live_server, data) -> None:
    refused = run(live_server, "lkt_not-a-key", "--team", "Ærø Kommune", "--month", "2024-03")
    assert refused.returncode == 2
    assert refused.stdout.startswith("401 ")
