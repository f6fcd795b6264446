"""Reading a file of team data (CSV or Excel) and checking every row before anything is written.

The flow: `read_upload` turns an uploaded file into `Row`s, each either valid (new, a correction
or unchanged) or carrying Danish messages; `check_rows` can be run again at confirmation against
the database as it is then; `measurements_import` writes all rows in one transaction, or none.
The rules for a single figure live in `Measurement.clean`; this module only reads files, finds
teams and indicators, and spots what only the file as a whole can show (duplicate rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import roles_of
from indicators.models import Indicator, Measurement
from indicators.services import Entry, EntryRefused, measurements_record_many
from programmes.validators import looks_like_cpr
from teams.models import ImprovementTeam

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
MAX_COLUMNS = 50
# Excel sheets formatted far below the data yield endless empty rows; stop after this many.
MAX_EMPTY_ROWS_IN_A_ROW = 1_000

# Column key → the Danish header the portal writes (and shows in messages).
COLUMNS: dict[str, str] = {
    "team": "team",
    "indicator": "indikator",
    "period": "periode",
    "numerator": "tæller",
    "denominator": "nævner",
    "value": "værdi",
    "comment": "kommentar",
}
_ALIASES: dict[str, str] = {
    **{label: key for key, label in COLUMNS.items()},
    "team id": "team",
    "teamnavn": "team",
    "indicator": "indicator",
    "indikator id": "indicator",
    "indicator id": "indicator",
    "indikatornavn": "indicator",
    "period": "period",
    "måned": "period",
    "month": "period",
    "taeller": "numerator",
    "numerator": "numerator",
    "naevner": "denominator",
    "denominator": "denominator",
    "vaerdi": "value",
    "value": "value",
    "comment": "comment",
    "kommentarer": "comment",
    "bemærkning": "comment",
}
# Columns of the portal's own export: a re-uploaded export is read, these are left out.
_IGNORED = {
    "program",
    "programme",
    "region",
    "beregnet værdi",
    "beregnet vaerdi",
    "calculated value",
    "enhed",
    "unit",
    "registreret af",
    "registered by",
    "registreret",
    "registered",
}

_MONTH_NAMES = (
    "jan januar january",
    "feb febr februar february",
    "mar mart marts march",
    "apr april",
    "maj may",
    "jun juni june",
    "jul juli july",
    "aug august",
    "sep sept september",
    "okt oct oktober october",
    "nov november",
    "dec december",
)
_MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}

CPR_MASK = "[skjult: ligner et CPR-nummer]"


class UploadError(Exception):
    """The file as a whole cannot be read; `messages` say why, in Danish."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class RowWriteError(Exception):
    """A row was refused while writing; the transaction is rolled back."""

    def __init__(self, row: Row, messages: list[str]) -> None:
        super().__init__(f"row {row.line}: {' '.join(messages)}")
        self.row = row
        self.messages = messages


def max_bytes() -> int:
    return int(getattr(settings, "LKT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "LKT_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS))


def megabytes(size: int) -> str:
    """A file size for people: “50 MB”, “5,3 MB”."""
    mb = size / (1024 * 1024)
    mb = round(mb) if mb >= 10 else round(mb, 1)
    if mb == int(mb):
        return f"{int(mb)} MB"
    return f"{number_format(mb, 1)} MB"


def too_large_message(size: int) -> str:
    return _("Filen er for stor (%(size)s). Den største tilladte størrelse er %(max)s.") % {
        "size": megabytes(size),
        "max": megabytes(max_bytes()),
    }


# --- Reading the file into a table -------------------------------------------------------------


@dataclass
class Table:
    """The file's header and its non-empty rows, each with its row number as in the file."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]
    decimal_comma: bool = True


def _unreadable() -> UploadError:
    return UploadError(_("Filen kunne ikke læses som CSV eller Excel."))


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16) or .xlsx bytes into a table."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UploadError(_("Filen er tom."))
    if data.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise UploadError(
            _(
                "Filen er i det gamle Excel-format (.xls) eller beskyttet med adgangskode, som "
                "portalen ikke kan læse. Gem den som Excel-projektmappe (.xlsx) eller som CSV, "
                "og upload den igen."
            )
        )
    is_xlsx = data.startswith(b"PK\x03\x04")
    table = _read_xlsx(data) if is_xlsx else _read_csv(_decode(data))
    if not table.header:
        raise UploadError(_("Filen er tom."))
    if not table.rows:
        raise UploadError(_("Filen indeholder kun overskrifter – der er ingen rækker med data."))
    return table


def _decode(data: bytes) -> str:
    """Text in the encodings Danish spreadsheets write; garbage is refused, not guessed at."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's “Unicode-tekst”
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _unreadable() from None
    else:
        # utf-8-sig reads UTF-8 both with and without the BOM; cp1252 is Danish Windows Excel.
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise _unreadable()
    sample = text[:65536]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) / 100:
        raise _unreadable()
    return text


def _read_csv(text: str) -> Table:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _collect(reader)
    except csv.Error:
        raise _unreadable() from None
    # A comma-separated file writes numbers the English way (decimal point).
    table.decimal_comma = delimiter != ","
    return table


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip file
        raise _unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        return _collect(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except UploadError:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        workbook.close()


def _collect(records: Iterable[Iterable[Any]]) -> Table:
    """The header (first non-empty row) and the data rows, numbered as the spreadsheet does."""
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    empty_run = 0
    for number, record in enumerate(records, start=1):
        cells = [_cell(value) for value in list(record)[:MAX_COLUMNS]]
        if all(cell is None for cell in cells):
            empty_run += 1
            if empty_run > MAX_EMPTY_ROWS_IN_A_ROW:
                break
            continue
        empty_run = 0
        if not header:
            header = ["" if cell is None else str(cell) for cell in cells]
            continue
        rows.append((number, cells))
        if len(rows) > max_rows():
            raise UploadError(
                _(
                    "Filen har mere end %(max)s rækker med data. Del den op i flere filer, "
                    "f.eks. én pr. team eller pr. år."
                )
                % {"max": number_format(max_rows(), 0, force_grouping=True)}
            )
    return Table(header=header, rows=rows)


def _cell(value: Any) -> Any:
    """Strings stripped (empty → None); numbers and dates from Excel kept as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# --- Columns -----------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").lower()
    text = re.sub(r"\(.*?\)", " ", text)  # “tæller (antal)” → “tæller”
    text = re.sub(r"[\s_\-]+", " ", text).strip(" :*\"'")
    return text


def _and(names: list[str]) -> str:
    """“a”, “a og b”, “a, b og c”."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s og %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def map_columns(header: list[str]) -> dict[str, int]:
    """Column key → position; refused with the names of missing or unknown columns."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for position, title in enumerate(header):
        key_text = _header_key(title)
        if not key_text or key_text in _IGNORED:
            continue
        key = _ALIASES.get(key_text)
        if key is None:
            unknown.append(title.strip())
        elif key in positions:
            repeated.append(COLUMNS[key])
        else:
            positions[key] = position
    missing = [COLUMNS[k] for k in ("team", "indicator", "period") if k not in positions]
    has_fraction = {"numerator", "denominator"} & positions.keys()
    if has_fraction:
        missing += [COLUMNS[k] for k in ("numerator", "denominator") if k not in positions]
    messages = []
    if not has_fraction and "value" not in positions:
        messages.append(_("Filen skal have kolonnerne tæller og nævner eller kolonnen værdi."))
    if missing:
        messages.insert(
            0,
            ngettext(
                "Filen mangler kolonnen %(names)s.",
                "Filen mangler kolonnerne %(names)s.",
                len(missing),
            )
            % {"names": _and(missing)},
        )
    if unknown:
        messages.append(
            ngettext(
                "Portalen kender ikke kolonnen %(names)s.",
                "Portalen kender ikke kolonnerne %(names)s.",
                len(unknown),
            )
            % {"names": _and([f"“{name}”" for name in unknown])}
        )
    if repeated:
        messages.append(
            _("Hver kolonne må kun stå én gang: %(names)s står flere gange.")
            % {"names": _and(repeated)}
        )
    if messages:
        messages.append(
            _("Første række skal være overskrifterne: %(names)s.")
            % {"names": "; ".join(COLUMNS.values())}
        )
        raise UploadError(*messages)
    return positions


# --- Cells -------------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_GROUPED_POINT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3}){2,}")


def parse_number(cell: Any, *, decimal_comma: bool = True) -> Decimal | None:
    """A number written the Danish way (“1.234,5”) or the English way (“1234.5”); ValueError."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise ValueError(cell)
        return Decimal(repr(cell))
    text = str(cell).strip().replace("\u2212", "-")
    text = re.sub(r"[\s\u00a0\u202f']", "", text)  # spaces and apostrophes group thousands
    if not text:
        return None
    if "," in text and "." in text:
        # Whichever comes last is the decimal mark, the other groups thousands.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", "") if _GROUPED_COMMA.fullmatch(text) else text.replace(",", ".")
    elif "." in text and decimal_comma and _GROUPED_POINT.fullmatch(text):
        text = text.replace(".", "")  # “1.234” in a Danish file is one thousand two hundred …
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(cell)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(cell) from None


_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DANISH_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-./](\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})")
_NAMED_MONTH = re.compile(r"([a-zæøå]+)\.?[\s\-./]*('?)(\d{4}|\d{2})")


class PeriodError(ValueError):
    """The text is not a period; `message` says why in Danish."""


def parse_period(cell: Any) -> dt.date:
    """The first day of the month the cell names: 2025-01, 2025-01-01, jan 2025, januar 2025 …"""
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return _first_day(cell.year, cell.month, cell.day, cell)
    text = re.sub(r"\s+", " ", str(cell).strip().lower())
    try:
        if match := _ISO_MONTH.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), 1)
        if match := _ISO_DATE.fullmatch(text):
            return _first_day(int(match[1]), int(match[2]), int(match[3]), cell)
        if match := _DANISH_DATE.fullmatch(text):
            return _first_day(int(match[3]), int(match[2]), int(match[1]), cell)
        if match := _MONTH_YEAR.fullmatch(text):
            return dt.date(int(match[2]), int(match[1]), 1)
        if match := _COMPACT.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), 1)
        if (match := _NAMED_MONTH.fullmatch(text)) and match[1] in _MONTHS:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return dt.date(year, _MONTHS[match[1]], 1)
    except PeriodError:
        raise
    except ValueError:
        pass  # a month 13 or a 31 February: not a period
    raise PeriodError(
        _("“%(text)s” er ikke en periode. Skriv måneden som f.eks. 2025-01 eller januar 2025.")
        % {"text": masked(str(cell))}
    )


def _first_day(year: int, month: int, day: int, cell: Any) -> dt.date:
    date = dt.date(year, month, day)
    if day != 1:
        raise PeriodError(
            _(
                "Perioden “%(text)s” er ikke den første dag i en måned. Skriv måneden "
                "(f.eks. %(month)s) eller den 1. i måneden."
            )
            % {"text": masked(str(cell)), "month": f"{date:%Y-%m}"}
        )
    return date


def _label(cell: Any) -> str:
    """A team or indicator as written: names as text, ids from Excel without “.0”."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _name_key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def masked(text: str) -> str:
    """Text from the file as it may be shown and kept: never anything shaped like a CPR number."""
    return CPR_MASK if looks_like_cpr(text) else text


# --- Rows --------------------------------------------------------------------------------------


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
            old=tuple(_decimal(n) for n in old) if old else None,
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

        row = Row(
            line=line,
            team_label=_label(cell("team")),
            indicator_label=_label(cell("indicator")),
            period_label=_label(cell("period")),
            comment=str(cell("comment") or ""),
        )
        if any(value is not None for value in cells[width:]):
            row.parse_errors.append(
                _("Rækken har flere felter, end der er overskrifter (%(n)s).") % {"n": width}
            )
        for key in ("numerator", "denominator", "value"):
            try:
                setattr(row, key, parse_number(cell(key), decimal_comma=table.decimal_comma))
            except ValueError:
                row.parse_errors.append(
                    _("“%(text)s” i kolonnen %(column)s er ikke et tal.")
                    % {"text": masked(str(cell(key))), "column": COLUMNS[key]}
                )
        if cell("period") is None:
            row.parse_errors.append(_("Perioden mangler."))
        else:
            try:
                row.period = parse_period(cell("period"))
            except PeriodError as error:
                row.parse_errors.append(str(error))
        rows.append(row)
    return rows


# --- Checking rows against the database --------------------------------------------------------


def writable_teams(user: Any) -> list[ImprovementTeam]:
    """Teams the person may register data for, by the role matrix."""
    if not getattr(user, "is_authenticated", False):
        return []
    candidates = ImprovementTeam.objects.select_related("programme", "region")
    if not user.is_superuser:
        candidates = candidates.filter(pk__in=roles_of(user).teams)
    return [t for t in candidates if user.has_perm("indicators.change_team_data", t)]


class _Teams:
    """Every team, found by id or by name (case-insensitive); loaded once per file."""

    def __init__(self, user: Any) -> None:
        self.user = user
        teams = ImprovementTeam.objects.select_related("programme")
        self.by_id = {team.pk: team for team in teams}
        self.by_name: dict[str, list[ImprovementTeam]] = defaultdict(list)
        for team in self.by_id.values():
            self.by_name[_name_key(team.name)].append(team)

    def may_write(self, team: ImprovementTeam) -> bool:
        return self.user.has_perm("indicators.change_team_data", team)

    def find(self, row: Row) -> ImprovementTeam | None:
        if row.team_id is not None:
            team = self.by_id.get(row.team_id)
            if team is None:
                row.errors.append(_("Teamet findes ikke længere."))
            return team
        label = row.team_label
        if not label:
            row.errors.append(_("Teamet mangler."))
            return None
        candidates = self.by_name.get(_name_key(label), [])
        if not candidates and label.isdigit() and int(label) in self.by_id:
            candidates = [self.by_id[int(label)]]
        if not candidates:
            row.errors.append(_("Ukendt team: “%(team)s”.") % {"team": masked(label)})
            return None
        writable = [team for team in candidates if self.may_write(team)]
        if len(writable) > 1:
            row.errors.append(
                _("Flere teams hedder “%(team)s”. Angiv teamets id i stedet for navnet.")
                % {"team": label}
            )
            return None
        return (writable or candidates)[0]


class _Indicators:
    """The indicators of the teams' programmes, found by id or by name within the programme."""

    def __init__(self, programme_ids: set[int]) -> None:
        indicators = Indicator.objects.filter(programme_id__in=programme_ids)
        self.by_id = {indicator.pk: indicator for indicator in indicators}
        self.by_name = {
            (indicator.programme_id, _name_key(indicator.name)): indicator
            for indicator in self.by_id.values()
        }

    def find(self, row: Row, team: ImprovementTeam) -> Indicator | None:
        programme = team.programme
        if row.indicator_id is not None:
            indicator = self.by_id.get(row.indicator_id)
            if indicator is None or indicator.programme_id != programme.pk:
                row.errors.append(_("Indikatoren findes ikke længere."))
                return None
        elif not row.indicator_label:
            row.errors.append(_("Indikatoren mangler."))
            return None
        else:
            label = row.indicator_label
            indicator = self.by_name.get((programme.pk, _name_key(label)))
            if indicator is None and label.isdigit():
                by_id = self.by_id.get(int(label))
                indicator = by_id if by_id and by_id.programme_id == programme.pk else None
            if indicator is None:
                row.errors.append(
                    _("Ukendt indikator “%(indicator)s” i programmet %(programme)s.")
                    % {"indicator": masked(label), "programme": programme.name}
                )
                return None
        indicator.programme = programme  # one object per programme: no query in clean()
        return indicator


def check_rows(rows: list[Row], user: Any) -> list[Row]:
    """Resolve teams and indicators and check every row; nothing is written. A bounded number
    of queries however long the file."""
    teams = _Teams(user)
    for row in rows:
        row.errors, row.indicator, row.old = list(row.parse_errors), None, None
        team = teams.find(row)
        if team is not None and not teams.may_write(team):
            # Name a team the person cannot see only as the file wrote it.
            visible = user.has_perm("teams.view_teams", team)
            row.errors.append(
                _("Du kan ikke registrere data for teamet %(team)s.")
                % {"team": team.name if visible else masked(row.team_label)}
            )
            team = None
        row.team = team
        if team is not None:
            row.team_id, row.team_name = team.pk, team.name
    indicators = _Indicators({row.team.programme_id for row in rows if row.team is not None})
    for row in rows:
        if row.team is not None:
            row.indicator = indicators.find(row, row.team)
        if row.indicator is not None:
            row.indicator_id, row.indicator_name = row.indicator.pk, row.indicator.name
    _flag_duplicates(rows)
    existing = _existing(rows)
    for row in rows:
        if row.key is not None and row.period is not None:
            row.errors.extend(_model_errors(row))
        _set_status(row, existing.get(row.key) if row.key else None)
    return rows


def _flag_duplicates(rows: list[Row]) -> None:
    lines: dict[tuple, list[int]] = defaultdict(list)
    for row in rows:
        if row.key is not None:
            lines[row.key].append(row.line)
    for row in rows:
        others = [line for line in lines.get(row.key, []) if line != row.line]
        if row.key is not None and others:
            row.errors.append(
                _("Samme team, indikator og periode står også i række %(lines)s.")
                % {"lines": ", ".join(str(line) for line in others)}
            )


def _existing(rows: list[Row]) -> dict[tuple, tuple]:
    keys = {row.key for row in rows if row.key is not None}
    if not keys:
        return {}
    found = Measurement.objects.filter(
        team_id__in={k[0] for k in keys},
        indicator_id__in={k[1] for k in keys},
        period_start__in={k[2] for k in keys},
    ).values_list(
        "team_id", "indicator_id", "period_start", "numerator", "denominator", "value", "comment"
    )
    return {(t, i, p): rest for t, i, p, *rest in found if (t, i, p) in keys}


# Django's generic field messages do not name the column; these codes get it in front.
_GENERIC_CODES = {"invalid", "max_digits", "max_decimal_places", "max_whole_digits", "max_length"}
_FIELD_COLUMN = {
    "numerator": "numerator",
    "denominator": "denominator",
    "value": "value",
    "comment": "comment",
    "period_start": "period",
}


def _model_errors(row: Row) -> list[str]:
    """The model's own rules (Measurement.clean and the field validators) for this row."""
    measurement = Measurement(
        team=row.team,
        indicator=row.indicator,
        period_start=row.period,
        numerator=row.numerator,
        denominator=row.denominator,
        value=row.value,
        comment=row.comment,
    )
    try:
        # Foreign keys were resolved above; the check constraints and the unique key are each a
        # query per row and say nothing Measurement.clean does not (a correction is intended).
        measurement.full_clean(
            exclude=["team", "indicator", "registered_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return _messages(error)
    return []


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    messages = []
    for field_name, errors in error.error_dict.items():
        column = COLUMNS.get(_FIELD_COLUMN.get(field_name, ""), "")
        for item in errors:
            for text in item.messages:
                generic = item.code in _GENERIC_CODES or field_name == "comment"
                messages.append(f"{column.capitalize()}: {text}" if column and generic else text)
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


def read_upload(upload: Any, user: Any) -> list[Row]:
    """Every row of an uploaded file, checked; UploadError when the file cannot be used."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes():  # before a single byte is read
        raise UploadError(too_large_message(size))
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise UploadError(too_large_message(max(size, len(data))))
    table = read_table(data, getattr(upload, "name", "") or "")
    return check_rows(parse_rows(table), user)


# --- Writing -----------------------------------------------------------------------------------


@transaction.atomic
def measurements_import(*, rows: list[Row], by: Any) -> Counter:
    """Write every checked row in one transaction; any refusal rolls all of them back."""
    if any(not row.is_valid or row.team is None or row.indicator is None for row in rows):
        raise ValueError("only checked, valid rows can be written")
    todo = [row for row in rows if row.status != "unchanged"]
    entries = [
        Entry(
            team=row.team,
            indicator=row.indicator,
            period_start=row.period,
            numerator=row.numerator,
            denominator=row.denominator,
            value=row.value,
            comment=row.comment,
        )
        for row in todo
    ]
    try:
        return measurements_record_many(entries=entries, by=by)
    except EntryRefused as error:
        # The model refused a row that passed the check moments ago: name it.
        raise RowWriteError(todo[error.index], _messages(error)) from error
