"""Import of 100,000 rows through the portal's upload path and its API, beside PostgreSQL's COPY.

``make bench-import``: builds a programme with 100 teams and 25 indicators over 40 months on a
throwaway PostgreSQL, writes the rows as a Danish CSV (semicolons, decimal commas), and times
reading + checking (what the preview does) and writing (what the confirmation does), then the same
rows loaded with ``COPY`` into the same table, then the same rows sent to ``POST
/api/v1/measurements`` of a gunicorn on that database in batches of 5,000 (once into the empty
table, and once more, when every row is already there and left alone). Figures, not assertions.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pg import copy_measurements, django_on_postgres  # noqa: E402

TEAMS, INDICATORS, MONTHS = 100, 25, 40
API_BATCH = 5_000


def build_world():
    from accounts.models import User
    from core.months import add_months
    from indicators.models import Indicator
    from programmes.models import Programme, Region
    from teams.models import ImprovementTeam

    region = Region.objects.create(name="Region Midtjylland", code="RM")
    start = dt.date(2022, 1, 1)
    programme = Programme.objects.create(
        name="Bench",
        slug="bench",
        lead_region=region,
        start_date=start,
        end_date=add_months(start, MONTHS),
        status="active",
    )
    teams = ImprovementTeam.objects.bulk_create(
        ImprovementTeam(programme=programme, region=region, name=f"Team {i:03d}")
        for i in range(TEAMS)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            programme=programme,
            name=f"Indikator {i:02d}",
            kind="process",
            measure="proportion",
            multiplier=100,
        )
        for i in range(INDICATORS)
    )
    user = User.objects.create_superuser("bench@example.dk", "bench-password-123")
    months = [add_months(start, i) for i in range(MONTHS)]
    return teams, indicators, months, user


def csv_text(teams, indicators, months) -> str:
    rng = random.Random(1)
    lines = ["team;indikator;periode;tæller;nævner;værdi;kommentar"]
    for team in teams:
        for indicator in indicators:
            for month in months:
                den = rng.randint(10, 90)
                lines.append(
                    f"{team.name};{indicator.name};{month:%Y-%m};{rng.randint(0, den)};{den},0;;"
                )
    return "\n".join(lines) + "\n"


def api_items(teams, indicators, months) -> list[dict]:
    """The CSV's rows as the API takes them (ids, English numbers), from the same random draw."""
    rng = random.Random(1)
    items = []
    for team in teams:
        for indicator in indicators:
            for month in months:
                den = rng.randint(10, 90)
                items.append(
                    {
                        "team": team.pk,
                        "indicator": indicator.pk,
                        "period": f"{month:%Y-%m}",
                        "numerator": rng.randint(0, den),
                        "denominator": den,
                    }
                )
    return items


def send_batches(port: int, token: str, items: list[dict]) -> tuple[float, list[int]]:
    """POST the items in batches, one after the other; (seconds, statuses)."""
    import json
    import urllib.request

    statuses = []
    started = time.perf_counter()
    for first in range(0, len(items), API_BATCH):
        request = urllib.request.Request(  # noqa: S310 -- our own loopback address
            f"http://127.0.0.1:{port}/api/v1/measurements",
            data=json.dumps(items[first : first + API_BATCH]).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
            statuses.append(response.status)
    return time.perf_counter() - started, statuses


def through_the_api(server, teams, indicators, months, user) -> tuple[float, float]:
    """Seconds for the rows sent to the API into an empty table, and sent again."""
    from django.db import connection

    from accounts.tokens import token_create
    from bench.gunicorn_server import start_gunicorn, stop_gunicorn
    from indicators.models import Measurement
    from tests.servers import free_port

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE indicators_measurement, indicators_historicalmeasurement CASCADE")
    _, token = token_create(user=user, name="bench", scope="write", days=1)
    items = api_items(teams, indicators, months)
    port = free_port()
    gunicorn = start_gunicorn(
        port,
        workers=1,
        DATABASE_URL=server.url,
        LKT_UPLOAD_MAX_ROWS=str(API_BATCH),
        LKT_RATE_LIMIT_API="1000/60",
    )
    try:
        first, statuses = send_batches(port, token, items)
        assert set(statuses) == {201}, statuses
        assert Measurement.objects.count() == len(items)
        again, statuses = send_batches(port, token, items)
        assert set(statuses) == {200}, statuses
    finally:
        stop_gunicorn(gunicorn)
    return first, again


def main() -> None:
    with django_on_postgres(LKT_UPLOAD_MAX_ROWS="200000") as server:
        from django.db import connection

        from indicators.importer.checking import check_rows
        from indicators.importer.rows import parse_rows
        from indicators.importer.table import read_table
        from indicators.importer.writing import measurements_import
        from indicators.models import Measurement

        teams, indicators, months, user = build_world()
        text = csv_text(teams, indicators, months)
        n = TEAMS * INDICATORS * MONTHS
        print(
            f"{n:,} rows, {len(text.encode()) / 1e6:.1f} MB CSV, PostgreSQL on port {server.port}"
        )

        started = time.perf_counter()
        rows = check_rows(parse_rows(read_table(text.encode("utf-8"), "bench.csv")), user)
        checked = time.perf_counter() - started
        assert all(r.is_valid for r in rows), [r.errors for r in rows if r.errors][:3]

        started = time.perf_counter()
        measurements_import(rows=rows, by=user)
        written = time.perf_counter() - started
        assert Measurement.objects.count() == n

        # The floor: the same rows straight into the same table with COPY (no history, no checks).
        copy_rows = list(
            Measurement.objects.values_list(
                "team_id", "indicator_id", "period_start", "numerator", "denominator"
            )
        )
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE indicators_measurement CASCADE")
        buffer = io.StringIO(
            "".join(
                f"{t}\t{i}\t{p}\t{a}\t{b}\t\\N\t\t{dt.datetime.now(dt.UTC)}"
                f"\t{dt.datetime.now(dt.UTC)}\n"
                for t, i, p, a, b in copy_rows
            )
        )
        copied = copy_measurements(buffer.getvalue())

        api_first, api_again = through_the_api(server, teams, indicators, months, user)

        print(f"{'step':<42}{'seconds':>9}{'rows/s':>12}{'% of COPY':>11}")
        for label, seconds in [
            ("portal: read + check (preview)", checked),
            ("portal: write with history (confirm)", written),
            ("portal: total", checked + written),
            ("PostgreSQL COPY of the same rows (floor)", copied),
            (f"API: POST in batches of {API_BATCH:,} (new)", api_first),
            ("API: the same batches again (unchanged)", api_again),
        ]:
            print(f"{label:<42}{seconds:>9.2f}{n / seconds:>12,.0f}{copied / seconds:>11.1%}")
        print(f"portal total / COPY: {(checked + written) / copied:.1f}x")
        print(f"API / COPY: {api_first / copied:.1f}x")


if __name__ == "__main__":
    main()
