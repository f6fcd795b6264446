"""Validators shared by every app that stores free text: the portal holds aggregates only."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# DDMMYY-XXXX or DDMMYYXXXX, not part of a longer number; the date part must be a real day/month.
_CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")


def looks_like_cpr(text: str) -> bool:
    """True when `text` contains something shaped like a Danish CPR number."""
    return bool(_CPR.search(text or ""))


def validate_no_cpr(text: str) -> None:
    """Refuse text that contains a CPR-number-shaped string."""
    if looks_like_cpr(text):
        raise ValidationError(
            _(
                "Teksten ser ud til at indeholde et CPR-nummer. LKT-portalen må kun indeholde "
                "samlede tal – aldrig oplysninger, der kan føres tilbage til en patient. "
                "Fjern nummeret og prøv igen."
            ),
            code="cpr_number",
        )
