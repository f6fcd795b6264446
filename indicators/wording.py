"""The chart words in the reader's language: `spc_text.DANISH` translated through gettext, with
numbers formatted by Django's l10n for the active language."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language, gettext

from indicators.spc_text import DANISH, Wording, format_number


def active_wording() -> Wording:
    """`DANISH`, translated into the active language (Danish stays the source text)."""
    return _wording(get_language() or "da")


@lru_cache(maxsize=8)
def _wording(language: str) -> Wording:  # noqa: ARG001 -- the cache key; gettext reads it
    changes: dict[str, object] = {}
    for item in dataclasses.fields(Wording):
        value = getattr(DANISH, item.name)
        if isinstance(value, str):
            changes[item.name] = gettext(value)
        elif isinstance(value, dict):
            changes[item.name] = {key: gettext(text) for key, text in value.items()}
        elif isinstance(value, list):
            changes[item.name] = [gettext(text) for text in value]
    decimal_sep = str(formats.get_format("DECIMAL_SEPARATOR"))
    thousand_sep = str(formats.get_format("THOUSAND_SEPARATOR"))

    def number(value: float, decimals: int | None = None) -> str:
        return format_number(value, decimals, decimal_sep=decimal_sep, thousand_sep=thousand_sep)

    changes["number"] = number
    return dataclasses.replace(DANISH, **changes)  # type: ignore[arg-type]
