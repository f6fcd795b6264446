"""Writes for indicator data: recording one team's figure for one period."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from indicators.models import ChartChange, Indicator, Measurement, UploadPreview
from indicators.row_rules import RowRules
from indicators.summaries import refresh_summaries
from teams.models import ImprovementTeam


@transaction.atomic
def measurement_record(
    *,
    team: ImprovementTeam,
    indicator: Indicator,
    period_start,
    numerator: Decimal | int | None = None,
    denominator: Decimal | int | None = None,
    value: Decimal | int | float | None = None,
    comment: str = "",
    by: User | None,
    refresh: bool = True,
) -> Measurement:
    """Create or correct the team's measurement for the period; refused with a clear message.

    `refresh=False` leaves the cached series summaries to the caller, who refreshes once for
    many writes (a whole month of a team's indicators).
    """
    measurement = (
        Measurement.objects.select_for_update()
        .filter(team=team, indicator=indicator, period_start=period_start)
        .first()
    ) or Measurement(team=team, indicator=indicator, period_start=period_start)
    measurement.numerator = _decimal(numerator)
    measurement.denominator = _decimal(denominator)
    measurement.value = _decimal(value)
    measurement.comment = comment
    measurement.registered_by = by
    measurement._history_user = by  # django-simple-history: who made this version
    measurement.full_clean()
    measurement.save()
    if refresh:
        refresh_summaries([indicator.pk], [team.pk])
    return measurement


def _decimal(number: Decimal | int | float | None) -> Decimal | None:
    if number is None:
        return None
    return number if isinstance(number, Decimal) else Decimal(str(number))


@transaction.atomic
def chart_change_add(
    *, indicator: Indicator, kind: str, period_start, reason: str, team=None, by: User | None
) -> ChartChange:
    """Record a baseline or a split of an indicator's charts, with the reason."""
    change = ChartChange(
        indicator=indicator,
        team=team,
        kind=kind,
        period_start=period_start,
        reason=reason,
        created_by=by,
    )
    change.full_clean()
    change.save()
    refresh_summaries([indicator.pk], None if team is None else [team.pk])
    return change


@dataclass(frozen=True)
class Entry:
    """One team's figures for one indicator and month, as `measurements_record_many` takes them."""

    team: ImprovementTeam
    indicator: Indicator
    period_start: dt.date
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    comment: str = ""


BULK_BATCH = 2000


class EntryRefused(ValidationError):
    """The model refused `entries[index]`; nothing was written."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


@transaction.atomic
def measurements_record_many(
    *, entries: list[Entry], by: User | None, copy: bool | None = None, checked: bool = False
) -> Counter[str]:
    """Create or correct many measurements at once, with history; all of them or none.

    The same rules as `measurement_record` (the model's `full_clean`), but a fixed number of
    queries per 2,000 rows: existing rows are locked and updated in bulk, new rows inserted in
    bulk, and one history row is written for each.

    On PostgreSQL (`copy` None or True) the rows go in through COPY and one INSERT … ON CONFLICT
    (`_write_postgres`), and a row whose figures and person are those stored is left alone;
    `copy=False`, or another database (SQLite for `make run`), takes django-simple-history's
    bulk helpers: the same rows and history rows either way.

    `checked`: every entry's own fields passed `Measurement.full_clean` moments ago (the upload's
    `check_rows`, in the same request), so only `Measurement.clean` runs again here, against the
    programme and indicator as they are now.
    """
    fast = connection.vendor == "postgresql" if copy is None else copy
    now = timezone.now()
    if not fast:
        written = _record_with_simple_history(entries, by=by, now=now, checked=checked)
    else:
        _refuse_the_first_invalid(entries, by=by, now=now, checked=checked)
        written = _write_postgres(entries, by=by, now=now)
    _refresh_touched(entries)
    return written


def _refuse_the_first_invalid(
    entries: list[Entry], *, by: User | None, now: dt.datetime, checked: bool
) -> None:
    """EntryRefused for the first entry the model refuses. No model per row: `RowRules`
    answers for the plain rows, the model itself for any other."""
    rules = RowRules()
    for index, entry in enumerate(entries):
        if not rules.surely_valid(entry):  # an int or a float is the model's to judge
            measurement = Measurement(
                team=entry.team, indicator=entry.indicator, period_start=entry.period_start
            )
            _validate(index, _fill(measurement, entry, by=by, now=now), checked=checked)


def _record_with_simple_history(
    entries: list[Entry], *, by: User | None, now: dt.datetime, checked: bool
) -> Counter[str]:
    """Existing rows locked, every row checked by the model, then django-simple-history's
    bulk helpers (any database)."""
    existing = _lock_existing(entries)
    new: list[Measurement] = []
    changed: list[Measurement] = []
    for index, entry in enumerate(entries):
        key = (entry.team.pk, entry.indicator.pk, entry.period_start)
        measurement = existing.get(key)
        if measurement is None:
            measurement = Measurement(
                team=entry.team, indicator=entry.indicator, period_start=entry.period_start
            )
            new.append(measurement)
        else:
            measurement.team, measurement.indicator = entry.team, entry.indicator
            changed.append(measurement)
        _validate(index, _fill(measurement, entry, by=by, now=now), checked=checked)
    bulk_create_with_history(new, Measurement, batch_size=BULK_BATCH, default_user=by)
    bulk_update_with_history(
        changed,
        Measurement,
        batch_size=BULK_BATCH,
        default_user=by,
        fields=["numerator", "denominator", "value", "comment", "registered_by", "updated_at"],
    )
    return Counter({"new": len(new), "correction": len(changed)})


def _fill(measurement: Measurement, entry: Entry, *, by: User | None, now) -> Measurement:
    measurement.numerator = _decimal(entry.numerator)
    measurement.denominator = _decimal(entry.denominator)
    measurement.value = _decimal(entry.value)
    measurement.comment = entry.comment
    measurement.registered_by = by
    measurement.updated_at = now
    return measurement


def _validate(index: int, measurement: Measurement, *, checked: bool) -> None:
    """The model's rules for one row; EntryRefused names the entry."""
    try:
        # Uniqueness is held by the lock or the upsert and the database's constraint, and the
        # related rows exist (the database checks the keys): no query per row.
        if checked:
            measurement.clean()
        else:
            measurement.full_clean(
                exclude=["team", "indicator", "registered_by"],
                validate_unique=False,
                validate_constraints=False,
            )
    except ValidationError as error:
        raise EntryRefused(index, error) from error


# One statement: the rows from the temporary table inserted or, where the key is stored and any
# figure or the person differs, updated; each row written gives the history row
# django-simple-history would write for it (the same fields, "+" new, "~" corrected).
_UPSERT_WITH_HISTORY = """
WITH written AS (
    INSERT INTO indicators_measurement AS m (team_id, indicator_id, period_start, numerator,
        denominator, value, comment, registered_by_id, registered_at, updated_at)
    SELECT team_id, indicator_id, period_start, numerator, denominator, value, comment,
        %(by)s, %(now)s, %(now)s
    FROM lkt_import_rows
    ON CONFLICT (team_id, indicator_id, period_start) DO UPDATE
        SET numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
            value = EXCLUDED.value, comment = EXCLUDED.comment,
            registered_by_id = EXCLUDED.registered_by_id, updated_at = EXCLUDED.updated_at
        WHERE (m.numerator, m.denominator, m.value, m.comment, m.registered_by_id)
            IS DISTINCT FROM (EXCLUDED.numerator, EXCLUDED.denominator, EXCLUDED.value,
                EXCLUDED.comment, EXCLUDED.registered_by_id)
    RETURNING m.id, m.team_id, m.indicator_id, m.period_start, m.numerator, m.denominator,
        m.value, m.comment, m.registered_by_id, m.registered_at, (m.xmax = 0) AS inserted
)
INSERT INTO indicators_historicalmeasurement (id, team_id, indicator_id, period_start,
    numerator, denominator, value, comment, registered_by_id, registered_at, history_date,
    history_change_reason, history_type, history_user_id)
SELECT id, team_id, indicator_id, period_start, numerator, denominator, value, comment,
    registered_by_id, registered_at, %(now)s, NULL,
    CASE WHEN inserted THEN '+' ELSE '~' END, %(by)s
FROM written
RETURNING history_type
"""


def _write_postgres(entries: list[Entry], *, by: User | None, now) -> Counter[str]:
    """The checked rows COPYed into a temporary table, then one statement: INSERT … ON CONFLICT
    DO UPDATE only where something differs, and from what it returns the history rows that
    django-simple-history would write (the same fields, the person, '+' new, '~' corrected).

    Every row of the temporary table is a key of its own (the caller's entries; the upload's
    check refuses repeated keys), so ON CONFLICT touches each stored row at most once.
    """
    written: Counter[str] = Counter({"new": 0, "correction": 0})
    if not entries:
        return written
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS lkt_import_rows")
        cursor.execute(
            "CREATE TEMPORARY TABLE lkt_import_rows (team_id bigint, indicator_id bigint, "
            "period_start date, numerator numeric(14, 4), denominator numeric(14, 4), "
            "value numeric(14, 4), comment text) ON COMMIT DROP"
        )
        with cursor.copy("COPY lkt_import_rows FROM STDIN") as copy:
            copy.write("".join(map(_copy_line, entries)))
        cursor.execute(_UPSERT_WITH_HISTORY, {"by": None if by is None else by.pk, "now": now})
        kinds = Counter(kind for (kind,) in cursor.fetchall())
    written["new"], written["correction"] = kinds["+"], kinds["~"]
    return written


def _copy_line(entry: Entry) -> str:
    """One line of COPY's text format: tab-separated, \\N for nothing."""
    return (
        f"{entry.team.pk}\t{entry.indicator.pk}\t{entry.period_start.isoformat()}\t"
        f"{_copy_number(entry.numerator)}\t{_copy_number(entry.denominator)}\t"
        f"{_copy_number(entry.value)}\t{_copy_escaped(entry.comment)}\n"
    )


def _copy_number(number: Decimal | int | float | None) -> str:
    return "\\N" if number is None else str(_decimal(number))


# COPY's text format: a backslash, and the delimiter and line ends it would read, escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escaped(text: str) -> str:
    return text.translate(_COPY_ESCAPES)


def _refresh_touched(entries: list[Entry]) -> None:
    """Each touched indicator once: its LKT-level series and the touched teams' series."""
    teams_by_indicator: dict[int, set[int]] = {}
    for entry in entries:
        teams_by_indicator.setdefault(entry.indicator.pk, set()).add(entry.team.pk)
    refresh_summaries(teams_by_indicator, teams_by_indicator)


def _lock_existing(entries: list[Entry]) -> dict[tuple[int, int, dt.date], Measurement]:
    if not entries:
        return {}
    keys = {(e.team.pk, e.indicator.pk, e.period_start) for e in entries}
    rows = Measurement.objects.select_for_update().filter(
        team_id__in={k[0] for k in keys},
        indicator_id__in={k[1] for k in keys},
        period_start__range=(min(k[2] for k in keys), max(k[2] for k in keys)),
    )
    found = {}
    for m in rows.iterator(chunk_size=BULK_BATCH):
        key = (m.team_id, m.indicator_id, m.period_start)
        if key in keys:
            found[key] = m
    return found


# --- Upload previews ---------------------------------------------------------------------------


def _preview_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LKT_UPLOAD_PREVIEW_SECONDS)


@transaction.atomic
def upload_preview_keep(*, user: User, filename: str, rows: list[dict]) -> UploadPreview:
    """Keep checked rows for the preview under a new token: the person's earlier preview and
    every expired one go, so the table holds at most one live preview per person."""
    UploadPreview.objects.filter(user=user).delete()
    UploadPreview.objects.filter(created_at__lt=_preview_cutoff()).delete()
    return UploadPreview.objects.create(
        token=secrets.token_urlsafe(24), user=user, filename=filename[:255], rows=rows
    )


def upload_preview_forget(*, user: User) -> None:
    UploadPreview.objects.filter(user=user).delete()
