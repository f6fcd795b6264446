"""One row of the file: its cells read into a `Row`, kept between preview and confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from indicators.importer.cells import PeriodError, masked, parse_number, parse_period, shown
from indicators.importer.columns import COLUMNS, map_columns
from indicators.importer.errors import RowMessage
from indicators.importer.table import Table
from indicators.models import Indicator
from indicators.services import Entry
from teams.models import ImprovementTeam


@dataclass
class Row:
    """One row of the file: what it says, what it resolved to, and whether it may be written."""

    line: int
    team_label: str = ""
    indicator_label: str = ""
    period_label: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    comment: str = ""
    team_id: int | None = None
    indicator_id: int | None = None
    period: dt.date | None = None
    team_name: str = ""
    indicator_name: str = ""
    status: str = ""  # "new", "correction", "unchanged" or "error"
    old: tuple[Decimal | None, Decimal | None, Decimal | None] | None = None
    errors: list[str] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    team: ImprovementTeam | None = field(default=None, repr=False)
    indicator: Indicator | None = field(default=None, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def key(self) -> tuple[int, int, dt.date] | None:
        if self.team is None or self.indicator is None or self.period is None:
            return None
        return (self.team.pk, self.indicator.pk, self.period)

    def entry(self) -> Entry:
        """The row's figures as the services write them (for a resolved row)."""
        if self.team is None or self.indicator is None or self.period is None:
            raise ValueError("Only a row whose team, indicator and period are known is written.")
        return Entry(
            team=self.team,
            indicator=self.indicator,
            period_start=self.period,
            numerator=self.numerator,
            denominator=self.denominator,
            value=self.value,
            comment=self.comment,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe copy to keep between preview and confirmation (session)."""
        return {
            "line": self.line,
            "team_label": masked(self.team_label),
            "indicator_label": masked(self.indicator_label),
            "period_label": masked(self.period_label),
            "numerator": _text(self.numerator),
            "denominator": _text(self.denominator),
            "value": _text(self.value),
            "comment": masked(self.comment),
            "team_id": self.team_id,
            "indicator_id": self.indicator_id,
            "period": self.period.isoformat() if self.period else None,
            "team_name": self.team_name,
            "indicator_name": self.indicator_name,
            "status": self.status,
            "old": [_text(n) for n in self.old] if self.old else None,
            "errors": self.errors,
            "parse_errors": self.parse_errors,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        old = data.get("old")
        return cls(
            line=data["line"],
            team_label=data["team_label"],
            indicator_label=data["indicator_label"],
            period_label=data["period_label"],
            numerator=_decimal(data["numerator"]),
            denominator=_decimal(data["denominator"]),
            value=_decimal(data["value"]),
            comment=data["comment"],
            team_id=data["team_id"],
            indicator_id=data["indicator_id"],
            period=dt.date.fromisoformat(data["period"]) if data["period"] else None,
            team_name=data["team_name"],
            indicator_name=data["indicator_name"],
            status=data["status"],
            old=(_decimal(old[0]), _decimal(old[1]), _decimal(old[2])) if old else None,
            errors=list(data["errors"]),
            parse_errors=list(data.get("parse_errors", [])),
        )


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def parse_rows(table: Table) -> list[Row]:
    """Rows with their cells read; what cannot be read becomes the row's message."""
    positions = map_columns(table.header)
    width = len(table.header)
    rows = []
    for line, cells in table.rows:

        def cell(key: str, cells: list[Any] = cells) -> Any:
            position = positions.get(key)
            return cells[position] if position is not None and position < len(cells) else None

        row = read_cells(line, cell, decimal_comma=table.decimal_comma)
        if any(value is not None for value in cells[width:]):
            row.parse_errors.insert(
                0,
                RowMessage(
                    _("Rækken har flere felter, end der er overskrifter (%(n)s).") % {"n": width}
                ),
            )
        rows.append(row)
    return rows


def read_cells(line: int, cell: Callable[[str], Any], *, decimal_comma: bool) -> Row:
    """One row from its cells (`cell(key)` for the keys of `COLUMNS`, None where empty): the
    file's rows and the API's objects are read by the same rules, in the same words."""
    row = Row(
        line=line,
        team_label=_label(cell("team")),
        indicator_label=_label(cell("indicator")),
        period_label=_label(cell("period")),
        comment=str(cell("comment") or ""),
    )
    for key in ("numerator", "denominator", "value"):
        try:
            setattr(row, key, parse_number(cell(key), decimal_comma=decimal_comma))
        except ValueError:
            row.parse_errors.append(
                RowMessage(
                    _("“%(text)s” i kolonnen %(column)s er ikke et tal.")
                    % {"text": shown(str(cell(key))), "column": COLUMNS[key]},
                    key,
                )
            )
    if cell("period") is None:
        row.parse_errors.append(RowMessage(_("Perioden mangler."), "period"))
    else:
        try:
            row.period = parse_period(cell("period"))
        except PeriodError as error:
            row.parse_errors.append(RowMessage(str(error), "period"))
    return row


def _label(cell: Any) -> str:
    """A team or indicator as written: names as text, ids from Excel without “.0”."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
