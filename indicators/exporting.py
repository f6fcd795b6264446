"""Indicator data out of the portal: exports as CSV or Excel, and the upload template.

CSV is written for Danish Excel: UTF-8 with a BOM, semicolons, decimal commas. Text that Excel
would run as a formula (“=…”, “+…”, “-…”, “@…”) is written so that it stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify

from core.months import add_months, first_of_month
from core.numbers import trimmed
from core.text import strip_control
from indicators.importer.columns import COLUMNS
from indicators.importer.lookup import writable_teams
from indicators.models import Indicator, Measurement
from teams.models import ImprovementTeam

EXPORT_HEADER = [
    "program",
    "region",
    "team",
    "indikator",
    "periode",
    "tæller",
    "nævner",
    "værdi",
    "beregnet værdi",
    "enhed",
    "kommentar",
    "registreret af",
    "registreret",
]
TEMPLATE_HEADER = list(COLUMNS.values())
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A leading “'” is guarded too, so that the importer can take every guard off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def visible_team_ids(user: Any, teams: QuerySet[ImprovementTeam]) -> list[int]:
    """The teams among `teams` whose data the person may see, by the role matrix."""
    return [team.pk for team in teams if user.has_perm("indicators.view_team_data", team)]


def export_measurements(team_ids: Iterable[int]) -> QuerySet[Measurement]:
    """The teams' measurements with everything an export row shows, in one query."""
    return (
        Measurement.objects.filter(team_id__in=list(team_ids))
        .select_related("team__programme", "team__region", "indicator", "registered_by")
        .order_by(
            "team__programme__name",
            "team__region__name",
            "team__name",
            "indicator__order",
            "indicator__name",
            "period_start",
        )
    )


def export_row(measurement: Measurement) -> list[Any]:
    """One measurement as the export's columns; numbers stay Decimal, times local."""
    team, indicator = measurement.team, measurement.indicator
    registered = timezone.localtime(measurement.registered_at).replace(tzinfo=None, microsecond=0)
    return [
        team.programme.name,
        team.region.name,
        team.name,
        indicator.name,
        f"{measurement.period_start:%Y-%m}",
        measurement.numerator,
        measurement.denominator,
        measurement.value,
        computed_value(measurement, indicator),
        indicator.unit,
        measurement.comment,
        str(measurement.registered_by) if measurement.registered_by else "",
        registered,
    ]


def computed_value(measurement: Measurement, indicator: Indicator) -> Decimal | None:
    """What the chart shows: numerator / denominator × multiplier, or the value itself."""
    if measurement.value is not None:
        return measurement.value
    if not measurement.denominator or measurement.numerator is None:
        return None
    ratio = measurement.numerator / measurement.denominator * indicator.multiplier
    return ratio.quantize(Decimal("0.0001"))


# --- CSV ---------------------------------------------------------------------------------------


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_text(value: Any) -> str:
    """A cell for Danish Excel: decimal comma, dates as text, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _decimal_comma(value)
    if isinstance(value, int | float):
        return _decimal_comma(Decimal(str(value)))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = strip_control(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _decimal_comma(number: Decimal) -> str:
    return format(trimmed(number), "f").replace(".", ",")


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV file line by line, starting with the BOM Excel needs to read UTF-8."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_text(value) for value in row])


# --- Excel -------------------------------------------------------------------------------------


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], title: str) -> bytes:
    """An .xlsx workbook with one sheet; text is always text, never a formula. The header row
    stays in view and carries a filter; columns are as wide as their first rows need."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    rows = iter(rows)
    # A write-only sheet takes its widths and frozen pane before the first row.
    first = list(islice(rows, _WIDTH_SAMPLE))
    for index, width in enumerate(column_widths(header, first), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    count = 0
    for row in chain(first, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Widths are measured on the header and the first rows: enough to read, cheap on 100,000 rows.
_WIDTH_SAMPLE = 500
_WIDTH_MIN, _WIDTH_MAX = 8, 60


def column_widths(header: list[str], rows: list[list[Any]]) -> list[float]:
    """Each column's width in characters: its longest text, within readable bounds."""
    widths = [len(name) for name in header]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], len(csv_text(value)))
    return [min(max(width + 2, _WIDTH_MIN), _WIDTH_MAX) for width in widths]


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    # Text stored before control characters were refused: openpyxl would raise on it.
    cell = WriteOnlyCell(sheet, value=strip_control(value))
    cell.data_type = "s"  # openpyxl would otherwise store “=…” as a formula
    return cell


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", strip_control(title))[:31] or "Data"


# --- File names --------------------------------------------------------------------------------


def file_name(scope: str, name: str, extension: str) -> str:
    """“lkt-data-team-aero-kommune-2025-03-01.csv”: ASCII, Danish letters spelled out."""
    today = timezone.localdate()
    if not name:
        return f"lkt-{scope}-{today}.{extension}"
    ascii_name = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return f"lkt-data-{scope}-{slugify(ascii_name) or 'data'}-{today}.{extension}"


# --- The upload template -----------------------------------------------------------------------


def template_period(programme: Any, today: dt.date | None = None) -> dt.date:
    """The month a team would register now: last month, kept inside the programme's period;
    in sustainment the latest sustainment period that has ended (a month or a quarter)."""
    today = today or timezone.localdate()
    after = programme.sustainment_periods(today)
    if after:
        return after[-1]
    last_month = add_months(first_of_month(today), -1)
    first = first_of_month(programme.start_date)
    last = first_of_month(programme.end_date)
    return min(max(last_month, first), last)


def template_rows(user: Any) -> list[list[Any]]:
    """One row per team the person may register for × active indicator, for the latest month;
    figures already registered for that month are filled in, the rest left empty."""
    teams = writable_teams(user)
    if user.is_superuser:  # every team in the portal: keep it to the programmes still running
        teams = [team for team in teams if team.programme.status in team.programme.RUNNING]
    if not teams:
        return []
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(
        programme_id__in={team.programme_id for team in teams}, is_active=True
    ):
        indicators.setdefault(indicator.programme_id, []).append(indicator)
    periods = {team.pk: template_period(team.programme) for team in teams}
    existing = {
        (m.team_id, m.indicator_id, m.period_start): m
        for m in Measurement.objects.filter(
            team_id__in=periods.keys(), period_start__in=set(periods.values())
        )
    }
    rows = []
    for team in sorted(teams, key=lambda t: (t.programme.name, t.name)):
        for indicator in indicators.get(team.programme_id, []):
            found = existing.get((team.pk, indicator.pk, periods[team.pk]))
            rows.append(
                [
                    team.name,
                    indicator.name,
                    f"{periods[team.pk]:%Y-%m}",
                    found.numerator if found else None,
                    found.denominator if found else None,
                    found.value if found else None,
                    found.comment if found else "",
                ]
            )
    return rows


def export_version(team_ids: Iterable[int]) -> tuple[str, dt.datetime | None]:
    """An ETag and the Last-Modified time of the teams' export, without reading its rows: the
    measurements' count and latest change (a deletion shows in their history), and the names
    the rows carry (teams, regions, programmes, indicators)."""
    ids = list(team_ids)
    facts = Measurement.objects.filter(team_id__in=ids).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    deleted = Measurement.history.filter(team_id__in=ids, history_type="-").aggregate(
        at=Max("history_date")
    )["at"]
    names: list[tuple] = list(
        ImprovementTeam.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "name", "region__name", "programme__name")
    )
    names += list(
        Indicator.objects.filter(programme__teams__in=ids)
        .distinct()
        .order_by("pk")
        .values_list("pk", "name", "unit", "order")
    )
    moments = [moment for moment in (facts["changed"], deleted) if moment is not None]
    version = repr((facts["n"], moments, names, translation.get_language()))
    etag = hashlib.sha256(version.encode()).hexdigest()[:32]
    return etag, max(moments, default=None)
