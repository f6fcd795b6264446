"""Backups of the portal's PostgreSQL database: `make backup`, `make restore FILE=…`, a round trip.

    bench/backup.py dump                  DATABASE_URL's database → $BACKUP_DIR/lkt-<time>.dump
    bench/backup.py restore FILE [--yes]  FILE → DATABASE_URL's database (replaces its tables)
    bench/backup.py roundtrip             on a throwaway PostgreSQL: demo data, dump, restore into
                                          a fresh database and over a changed one, compare counts

The dump is pg_dump's custom format (`-Fc`: compressed, restorable table by table). The restore
is `pg_restore --clean --if-exists` in one transaction: either the whole backup is in, or the
database is as it was. Stop the web and worker processes first (their connections hold locks
that DROP TABLE waits for). The password goes to pg_dump through PGPASSWORD, never the command
line; dumps hold personal data, so the folder and the files are readable by their owner only.
BACKUP_DIR defaults to var/backups/ (which `make clean-run` deletes with the rest of var/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COPENHAGEN = ZoneInfo("Europe/Copenhagen")  # the portal's TIME_ZONE: file names in local time
BACKUPS = Path(os.environ.get("BACKUP_DIR") or ROOT / "var" / "backups")

Params = dict[str, str]


def params_from_url(url: str) -> Params:
    """libpq's environment for a DATABASE_URL (any scheme django-environ reads as PostgreSQL)."""
    import environ

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"] and "postgis" not in config["ENGINE"]:
        raise SystemExit(
            f"DATABASE_URL peger ikke på PostgreSQL ({config['ENGINE']}); backup kræver PostgreSQL."
        )
    params = {
        "PGDATABASE": str(config["NAME"]),
        "PGHOST": str(config.get("HOST") or "127.0.0.1"),
        "PGPORT": str(config.get("PORT") or 5432),
        "PGUSER": str(config.get("USER") or ""),
        "PGPASSWORD": str(config.get("PASSWORD") or ""),
    }
    if sslmode := config.get("OPTIONS", {}).get("sslmode"):
        params["PGSSLMODE"] = str(sslmode)
    return {key: value for key, value in params.items() if value}


def configured_params() -> Params:
    """DATABASE_URL from the environment or `.env`, as the portal itself reads it."""
    from lkt_portal.env import env

    url = env.str("DATABASE_URL", default="")
    if not url:
        raise SystemExit("DATABASE_URL er ikke sat (fx postgres://lkt:…@127.0.0.1:5432/lkt).")
    return params_from_url(url)


def pg_tool(name: str) -> str:
    """The newest client: pg_dump must be at least as new as the server."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major, reverse=True)
    tool = (found and found[0]) or shutil.which(name)
    if not tool:
        raise SystemExit(f"`{name}` mangler (apt-get install postgresql-client).")
    return tool


def _major(path: str) -> int:
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def _run(command: list[str], params: Params) -> None:
    env = {**os.environ, **params}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump(params: Params, target: Path | None = None) -> Path:
    """pg_dump -Fc of the database into `target` (default $BACKUP_DIR/lkt-<time>.dump)."""
    if target is None:
        BACKUPS.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now(COPENHAGEN).strftime("%Y%m%d-%H%M%S")
        target = BACKUPS / f"lkt-{stamp}.dump"
    partial = target.with_name(target.name + ".partial")
    partial.touch(mode=0o600)
    try:
        _run([pg_tool("pg_dump"), "--format=custom", f"--file={partial}"], params)
        partial.replace(target)  # a file by the final name is always a complete dump
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(params: Params, source: Path) -> None:
    """pg_restore --clean --if-exists into the database, all or nothing."""
    if not source.is_file():
        raise SystemExit(f"Filen findes ikke: {source}")
    command = [
        pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",  # the restoring role owns what it creates, whatever role made the dump
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={params.get('PGDATABASE', '')}",
        str(source),
    ]
    _run(command, params)


def row_counts(params: Params) -> dict[str, int]:
    """Rows per table in the public schema."""
    with _connect(params) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def create_database(params: Params, name: str) -> Params:
    """A new, empty database on the same server; its parameters."""
    with _connect({**params, "PGDATABASE": "postgres"}, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return {**params, "PGDATABASE": name}


def drop_database(params: Params) -> None:
    with _connect({**params, "PGDATABASE": "postgres"}, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{params["PGDATABASE"]}" WITH (FORCE)')


def _connect(params: Params, autocommit: bool = False):  # noqa: ANN202
    import psycopg

    keys = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
    keys |= {"PGDATABASE": "dbname", "PGSSLMODE": "sslmode"}
    conninfo = psycopg.conninfo.make_conninfo(**{keys[k]: v for k, v in params.items()})
    return psycopg.connect(conninfo, autocommit=autocommit)


def compare(expected: dict[str, int], got: dict[str, int]) -> list[str]:
    """The tables whose counts differ (or that exist on one side only)."""
    return [
        f"{table}: {expected.get(table)} → {got.get(table)}"
        for table in sorted(set(expected) | set(got))
        if expected.get(table) != got.get(table)
    ]


# The commands ---------------------------------------------------------------------------------


def command_dump(_: argparse.Namespace) -> int:
    params = configured_params()
    target = dump(params)
    size = target.stat().st_size
    print(f"Backup af {params['PGDATABASE']} gemt i {target} ({size / 1e6:.1f} MB)")
    return 0


def command_restore(args: argparse.Namespace) -> int:
    params = configured_params()
    source = Path(args.file)
    name = params["PGDATABASE"]
    host = f"{params.get('PGHOST')}:{params.get('PGPORT')}"
    if not args.yes:
        if not sys.stdin.isatty():
            print("Tilføj --yes (eller YES=1 til make) for at gendanne uden at blive spurgt.")
            return 2
        print(f"Alle tabeller i databasen {name} på {host} erstattes med indholdet af {source}.")
        if input(f"Skriv databasens navn ({name}) for at fortsætte: ").strip() != name:
            print("Afbrudt; intet er ændret.")
            return 1
    restore(params, source)
    counts = row_counts(params)
    print(f"{source} er gendannet i {name}: {len(counts)} tabeller, {sum(counts.values())} rækker")
    return 0


def command_roundtrip(_: argparse.Namespace) -> int:
    """Demo data on a throwaway server; dump; restore fresh and over a changed copy; compare."""
    import io
    import tempfile

    from bench.pg import django_on_postgres

    with django_on_postgres() as server, tempfile.TemporaryDirectory() as folder:
        from django.core.management import call_command

        call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
        source = params_from_url(server.url)
        before = row_counts(source)
        backup = dump(source, Path(folder) / "lkt.dump")
        fresh = create_database(source, "lkt_restored")
        restore(fresh, backup)
        fresh_diff = compare(before, row_counts(fresh))
        with _connect(fresh) as connection:  # someone deletes and adds rows …
            connection.execute("DELETE FROM indicators_measurement WHERE id % 2 = 0")
            connection.execute("DELETE FROM django_session")
        changed = compare(before, row_counts(fresh))
        restore(fresh, backup)  # … and the backup puts everything back (--clean --if-exists)
        again_diff = compare(before, row_counts(fresh))
        print(
            f"{len(before)} tables, {sum(before.values())} rows; dump {backup.stat().st_size:,} "
            f"bytes (pg_dump -Fc)"
        )
        same = "identical row counts in every table"
        print(f"restored into a fresh database: {fresh_diff or same}")
        print(f"that copy changed: {'; '.join(changed)}")
        print(f"restored over the changed copy (--clean --if-exists): {again_diff or same}")
        for table, rows in sorted(before.items(), key=lambda item: -item[1])[:8]:
            print(f"  {table:<40}{rows:>8}")
    return 1 if fresh_diff or again_diff else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dump").set_defaults(run=command_dump)
    restoring = commands.add_parser("restore")
    restoring.add_argument("file")
    restoring.add_argument("--yes", action="store_true", help="do not ask")
    restoring.set_defaults(run=command_restore)
    commands.add_parser("roundtrip").set_defaults(run=command_roundtrip)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
