"""Checking parsed rows against the database: teams, indicators, duplicates, the model's rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.importer.cells import shown
from indicators.importer.columns import COLUMNS, and_
from indicators.importer.errors import RowMessage
from indicators.importer.limits import grouped
from indicators.importer.lookup import IndicatorFinder, TeamFinder
from indicators.importer.rows import Row
from indicators.models import Measurement
from indicators.row_rules import RowRules

Key = tuple[int, int, dt.date]


def check_rows(rows: list[Row], user: Any) -> list[Row]:
    """Resolve teams and indicators and check every row; nothing is written. A bounded number
    of queries however long the file."""
    teams = TeamFinder(user)
    for row in rows:
        row.errors, row.indicator, row.old = list(row.parse_errors), None, None
        team = teams.find(row)
        if team is not None and not teams.may_write(team):
            # Name a team the person cannot see only as the file wrote it.
            visible = user.has_perm("teams.view_teams", team)
            row.errors.append(
                RowMessage(
                    _("Du kan ikke registrere data for teamet %(team)s.")
                    % {"team": team.name if visible else shown(row.team_label)},
                    "team",
                )
            )
            team = None
        row.team = team
        if team is not None:
            row.team_id, row.team_name = team.pk, team.name
    indicators = IndicatorFinder({row.team.programme_id for row in rows if row.team is not None})
    for row in rows:
        if row.team is not None:
            row.indicator = indicators.find(row, row.team)
        if row.indicator is not None:
            row.indicator_id, row.indicator_name = row.indicator.pk, row.indicator.name
    keys = [row.key for row in rows]  # asked once: a row's key is three lookups
    _flag_duplicates(rows, keys)
    existing = _existing(keys)
    rules = RowRules()
    for row, key in zip(rows, keys, strict=True):
        if key is not None:
            row.errors.extend(_model_errors(row, rules))
        _set_status(row, existing.get(key) if key else None)
    return rows


def _flag_duplicates(rows: list[Row], keys: list[Key | None]) -> None:
    """One message per repeated key, the same for each of its rows, naming at most a few lines:
    no message grows with the number of repeats."""
    lines: dict[Key, list[int]] = defaultdict(list)
    for row, key in zip(rows, keys, strict=True):
        if key is not None:
            lines[key].append(row.line)
    messages = {key: repeated_message(found) for key, found in lines.items() if len(found) > 1}
    if not messages:
        return
    for row, key in zip(rows, keys, strict=True):
        if key in messages:
            row.errors.append(messages[key])


LINES_NAMED = 3


def repeated_message(lines: list[int]) -> RowMessage:
    """“… står i 4.000 rækker (række 2, 3, 4 og 3.997 flere).”"""
    named = ", ".join(grouped(line) for line in lines[:LINES_NAMED])
    if len(lines) > LINES_NAMED:
        named = _("%(lines)s … og %(n)s flere") % {
            "lines": named,
            "n": grouped(len(lines) - LINES_NAMED),
        }
    else:
        named = and_([grouped(line) for line in lines])
    return RowMessage(
        _("Samme team, indikator og periode står i %(n)s rækker (række %(lines)s).")
        % {"n": grouped(len(lines)), "lines": named}
    )


def _existing(row_keys: list[Key | None]) -> dict[Key, tuple]:
    keys = {key for key in row_keys if key is not None}
    if not keys:
        return {}
    found = Measurement.objects.filter(
        team_id__in={k[0] for k in keys},
        indicator_id__in={k[1] for k in keys},
        period_start__in={k[2] for k in keys},
    ).values_list(
        "team_id", "indicator_id", "period_start", "numerator", "denominator", "value", "comment"
    )
    return {(t, i, p): tuple(rest) for t, i, p, *rest in found if (t, i, p) in keys}


# Django's generic field messages do not name the column; these codes get it in front.
_GENERIC_CODES = {"invalid", "max_digits", "max_decimal_places", "max_whole_digits", "max_length"}
_FIELD_COLUMN = {
    "numerator": "numerator",
    "denominator": "denominator",
    "value": "value",
    "comment": "comment",
    "period_start": "period",
    "team": "team",
    "indicator": "indicator",
}


def _model_errors(row: Row, rules: RowRules) -> list[str]:
    """The model's own rules (Measurement.clean and the field validators) for this row: the
    plain rows answered by `RowRules`, any other by the model itself."""
    entry = row.entry()
    if rules.surely_valid(entry):
        return []
    measurement = Measurement(**vars(entry))
    try:
        # Foreign keys were resolved above; the check constraints and the unique key are each a
        # query per row and say nothing Measurement.clean does not (a correction is intended).
        measurement.full_clean(
            exclude=["team", "indicator", "registered_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return model_messages(error)
    return []


def model_messages(error: ValidationError) -> list[str]:
    """The model's messages, each led by its column where Django's generic text names none."""
    if not hasattr(error, "error_dict"):
        return [RowMessage(message) for message in error.messages]
    messages: list[str] = []
    for field_name, errors in error.error_dict.items():
        key = _FIELD_COLUMN.get(field_name)
        column = COLUMNS.get(key or "", "")
        for item in errors:
            for text in item.messages:
                generic = item.code in _GENERIC_CODES or field_name == "comment"
                shown_text = f"{column.capitalize()}: {text}" if column and generic else text
                messages.append(RowMessage(shown_text, key))
    return messages


def _set_status(row: Row, existing: tuple | None) -> None:
    if row.errors:
        row.status = "error"
    elif existing is None:
        row.status = "new"
    else:
        numerator, denominator, value, comment = existing
        row.old = (numerator, denominator, value)
        same = (numerator, denominator, value, comment) == (
            row.numerator,
            row.denominator,
            row.value,
            row.comment,
        )
        row.status = "unchanged" if same else "correction"
