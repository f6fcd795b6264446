"""Numbers as people read and type them: without trailing zeros, whole where they count."""

from __future__ import annotations

from decimal import Context, Decimal


def trimmed(number: Decimal) -> Decimal:
    """The number without trailing zeros (36.0000 → 36, 12.5000 → 12.5), never as 1E+2."""
    if number == number.to_integral_value():
        # As many digits as the number has: a 1E+308 from a spreadsheet or the API is written
        # out, not refused by the default context's 28 digits.
        return number.quantize(Decimal(1), context=Context(prec=max(28, number.adjusted() + 1)))
    return number.normalize()


def is_whole(number: Decimal) -> bool:
    return number == number.to_integral_value()
