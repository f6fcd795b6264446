#!/usr/bin/env python3
"""Send one month of a team's figures to the LKT portal's API and print what it says.

Only Python's standard library is needed (3.9 or later). Copy this file, change FIGURES below (or
give a CSV file), and run it with a personal API key with write access, made on *Min profil* in
the portal (or by an administrator: `python manage.py api_token EMAIL --scope write --name NAME`):

    export LKT_API_TOKEN=lkt_...
    python3 api-example.py --url https://lkt.example.dk --team "Lungemedicin AUH" --month 2025-01

    # or the figures from a CSV file with the columns indikator;tæller;nævner;værdi;kommentar
    python3 api-example.py --team 12 --month 2025-01 --csv januar.csv

The portal checks every row as the upload page does and saves all of them or none. When it
refuses, each row's problems are printed with the row's number (1 = the first row sent) and the
field at fault; nothing is saved, so fix them and run it again. Sending the same month twice does
no harm: rows that already hold the same figures are left alone.

Exit status: 0 saved, 1 rows refused (nothing saved), 2 any other problem (key, access, network).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import urllib.error
import urllib.request

# Indicator (name or id) → its figures for the month: numerator and denominator for a proportion
# or a rate, value for a count or a continuous measure.
FIGURES = [
    {"indicator": "Andel med træningstilbud", "numerator": 17, "denominator": 20},
    {"indicator": "Antal genindlæggelser", "value": 4, "comment": "Én genindlæggelse var planlagt"},
]


def rows_from_csv(path: str) -> list[dict]:
    """Rows from a CSV file (semicolons or commas) with the columns indikator, tæller, nævner,
    værdi and kommentar; numbers as they are written (decimal comma or point)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        names = {
            "indikator": "indicator",
            "tæller": "numerator",
            "nævner": "denominator",
            "værdi": "value",
            "kommentar": "comment",
        }
        rows = []
        for line in csv.DictReader(handle, dialect=dialect):
            row = {names.get(k.strip().lower(), k): (v or "").strip() for k, v in line.items() if k}
            rows.append({key: value for key, value in row.items() if value != ""})
        return rows


def send(url: str, token: str, rows: list[dict], language: str) -> tuple[int, dict]:
    """POST the rows to /api/v1/measurements; (status, parsed answer)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"Not a web address: {url}")
    request = urllib.request.Request(  # noqa: S310 -- http(s) only, checked above
        url.rstrip("/") + "/api/v1/measurements",
        data=json.dumps(rows).encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json, application/problem+json",
            "Accept-Language": language,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:  # 4xx/5xx: the body is a problem+json
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, {
                "title": error.reason,
                "detail": body[:500].decode("utf-8", "replace"),
            }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("LKT_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--team", required=True, help="the team's id or name")
    parser.add_argument("--month", required=True, help="the month, e.g. 2025-01")
    parser.add_argument("--csv", help="figures from this CSV file instead of FIGURES")
    parser.add_argument("--language", default="da", choices=["da", "en"], help="of the messages")
    args = parser.parse_args()
    token = os.environ.get("LKT_API_TOKEN", "")
    if not token:
        print("Set LKT_API_TOKEN to a personal API key with write access.", file=sys.stderr)
        return 2

    team = int(args.team) if args.team.isdigit() else args.team
    figures = rows_from_csv(args.csv) if args.csv else FIGURES
    rows = [{"team": team, "period": args.month, **figure} for figure in figures]

    try:
        status, answer = send(args.url, token, rows, args.language)
    except (urllib.error.URLError, OSError, ValueError) as error:
        print(f"Could not reach {args.url}: {error}", file=sys.stderr)
        return 2
    if status in (200, 201):
        print(
            f"Saved {len(rows)} rows: {answer['created']} new, {answer['updated']} corrected, "
            f"{answer['unchanged']} unchanged."
        )
        return 0
    print(f"{status} {answer.get('title', '')}: {answer.get('detail', '')}".rstrip(": "))
    for error in answer.get("errors") or []:
        where = f"row {error['row']}" + (f" ({error['field']})" if error.get("field") else "")
        print(f"  {where}: {error['message']}")
    return 1 if status == 422 else 2


if __name__ == "__main__":
    sys.exit(main())
