"""Reading one cell: numbers and periods as Danish spreadsheets write them, and text masked
when it looks like a CPR number."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from programmes.validators import looks_like_cpr

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


_GROUPING = re.compile(r"[\s\u00a0\u202f']")  # spaces and apostrophes group thousands
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
    text = str(cell).strip()
    if text.isascii() and text.isdigit():
        return Decimal(text)  # the common case, whole and plain: nothing below would change it
    text = _GROUPING.sub("", text.replace("\u2212", "-"))
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
# A sustainment quarter, stored by its first day: 2027-Q3, 2027 K3, Q3 2027, 3. kvt. 2027.
_YEAR_QUARTER = re.compile(r"(\d{4}) ?-? ?[qk]([1-4])")
_QUARTER_YEAR = re.compile(r"(?:[qk]([1-4])|([1-4])\. ?kvt\.?) (\d{4})")
_NAMED_MONTH = re.compile(r"([a-zæøå]+)\.?[\s\-./]*('?)(\d{4}|\d{2})")


class PeriodError(ValueError):
    """The text is not a period; `message` says why in Danish."""


def parse_period(cell: Any) -> dt.date:
    """The first day of the month the cell names: 2025-01, 2025-01-01, jan 2025, januar 2025 …;
    of a quarter (sustainment measuring): 2027-Q3, 3. kvt. 2027 → 1 July 2027."""
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return _first_day(cell.year, cell.month, cell.day, cell)
    written = str(cell)
    if len(written) <= _REMEMBERED_LENGTH:
        return _remembered_text_period(written)
    return _text_period(written)


def _text_period(written: str) -> dt.date:
    text = _SPACES.sub(" ", written.strip().lower())
    try:
        if match := _ISO_MONTH.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), 1)
        if match := _ISO_DATE.fullmatch(text):
            return _first_day(int(match[1]), int(match[2]), int(match[3]), written)
        if match := _DANISH_DATE.fullmatch(text):
            return _first_day(int(match[3]), int(match[2]), int(match[1]), written)
        if match := _MONTH_YEAR.fullmatch(text):
            return dt.date(int(match[2]), int(match[1]), 1)
        if match := _YEAR_QUARTER.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]) * 3 - 2, 1)
        if match := _QUARTER_YEAR.fullmatch(text):
            return dt.date(int(match[3]), int(match[1] or match[2]) * 3 - 2, 1)
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
        % {"text": shown(written)}
    )


# A file names the same few months in every row; a refusal is not remembered (an exception
# is not cached), so its message is always in the language of the moment.
_REMEMBERED_LENGTH = 40
_remembered_text_period = functools.lru_cache(maxsize=1024)(_text_period)
_SPACES = re.compile(r"\s+")


def _first_day(year: int, month: int, day: int, cell: Any) -> dt.date:
    date = dt.date(year, month, day)
    if day != 1:
        raise PeriodError(
            _(
                "Perioden “%(text)s” er ikke den første dag i en måned. Skriv måneden "
                "(f.eks. %(month)s) eller den 1. i måneden."
            )
            % {"text": shown(str(cell)), "month": f"{date:%Y-%m}"}
        )
    return date


SHOWN_LENGTH = 60


def shown(text: str) -> str:
    """Text from the file as a message quotes it: masked, and cut short so that no message
    grows with what the file holds."""
    text = masked(text)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def masked(text: str) -> str:
    """Text from the file as it may be shown and kept: never anything shaped like a CPR number."""
    return CPR_MASK if looks_like_cpr(text) else text
