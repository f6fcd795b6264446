"""Control characters: refused in one-line text, dropped from text of several lines and exports.

Word pastes a vertical tab for a manual line break, and other programs leave escapes, NUL or
stray carriage returns; none of them belongs in a name, a title or an Excel cell, and a CR or LF
in a title breaks the subject line of every e-mail that quotes it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 (but tab, line feed and carriage return), DEL and C1. A superset of what openpyxl refuses
# (`openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE`) and of what PostgreSQL refuses (NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Everything that does not belong on one line: the above and tab, line feed, carriage return,
# and Unicode's own line and paragraph separators.
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip_control(text: str) -> str:
    """`text` without control characters; tabs and line breaks stay, CRLF and CR become LF."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """`text` on one line: every control character or line break becomes one space."""
    return " ".join(_NOT_ON_ONE_LINE.sub(" ", text).split())


def has_control(text: str, *, multiline: bool) -> bool:
    """Whether `text` holds a character that is refused in one-line (or multi-line) text."""
    return bool((_CONTROL if multiline else _NOT_ON_ONE_LINE).search(text))


@deconstructible
class NoControlCharacters:
    """A validator: no control characters; in one-line text no tab or line break either."""

    def __init__(self, label: object = None, *, multiline: bool = False) -> None:
        self.label = label
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if not isinstance(value, str) or not has_control(value, multiline=self.multiline):
            return
        if self.label:
            message = _(
                "Feltet “%(field)s” må ikke indeholde linjeskift, tabulatorer eller "
                "kontroltegn. Skriv teksten på én linje."
            )
            if self.multiline:
                message = _("Feltet “%(field)s” må ikke indeholde kontroltegn.")
            raise ValidationError(message, code="control_characters", params={"field": self.label})
        message = _("Må ikke indeholde linjeskift, tabulatorer eller kontroltegn.")
        if self.multiline:
            message = _("Må ikke indeholde kontroltegn.")
        raise ValidationError(message, code="control_characters")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, NoControlCharacters)
            and self.label == other.label
            and self.multiline == other.multiline
        )
