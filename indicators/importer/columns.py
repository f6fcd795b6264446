"""The file's header: which column holds what, in Danish or English, as the portal writes it."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.importer.errors import UploadError

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


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").lower()
    text = re.sub(r"\(.*?\)", " ", text)  # “tæller (antal)” → “tæller”
    text = re.sub(r"[\s_\-]+", " ", text).strip(" :*\"'")
    return text


def and_(names: list[str]) -> str:
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
            % {"names": and_(missing)},
        )
    if unknown:
        messages.append(
            ngettext(
                "Portalen kender ikke kolonnen %(names)s.",
                "Portalen kender ikke kolonnerne %(names)s.",
                len(unknown),
            )
            % {"names": and_([f"“{name}”" for name in unknown])}
        )
    if repeated:
        messages.append(
            _("Hver kolonne må kun stå én gang: %(names)s står flere gange.")
            % {"names": and_(repeated)}
        )
    if messages:
        messages.append(
            _("Første række skal være overskrifterne: %(names)s.")
            % {"names": "; ".join(COLUMNS.values())}
        )
        raise UploadError(*messages)
    return positions
