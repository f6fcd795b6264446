"""A measurement's own rules as functions of its figures.

`Measurement.clean` asks them for one measurement; the bulk writes (`indicators.row_rules`) ask
them for 100,000 rows without building a model for each, with the programme's periods asked
once per programme and month. One set of rules, one set of messages.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import months
from core.numbers import is_whole, trimmed
from indicators.models import MEASURES_WITH_DENOMINATOR, Indicator, Measure
from programmes.models import Programme

if TYPE_CHECKING:
    import datetime as dt

    from django_stubs_ext import StrOrPromise

    from teams.models import ImprovementTeam

Errors = dict[str, "StrOrPromise"]


def period_error(programme: Programme, period: dt.date) -> StrOrPromise | None:
    """Why data cannot be registered for `period`, in Danish; None when it can: a month of the
    programme's period, or in sustainment a period after the end date that has ended."""
    if programme.accepts_period(period, timezone.localdate()):
        return None
    values = {
        "period": date_format(period, "YEAR_MONTH_FORMAT"),
        "start": date_format(programme.start_date, "YEAR_MONTH_FORMAT"),
        "end": date_format(programme.end_date, "YEAR_MONTH_FORMAT"),
    }
    if not programme.in_sustainment or period < programme.start_date.replace(day=1):
        return (
            _("Perioden %(period)s ligger uden for programmets periode (%(start)s–%(end)s).")
            % values
        )
    start = months.sustainment_period_start(
        period, programme.sustainment_frequency, programme.end_date
    )
    if start != period:
        return _(
            "I fastholdelsen måles der kvartalsvis: angiv kvartalets første måned, %(first)s."
        ) % {"first": date_format(start, "YEAR_MONTH_FORMAT")}
    return (
        _(
            "Perioden %(period)s er ikke slut endnu. Efter programmets slutning (%(end)s) "
            "registreres data, når perioden er forbi."
        )
        % values
    )


PeriodRule = Callable[[Programme, "dt.date"], "StrOrPromise | None"]


def measurement_errors(
    indicator: Indicator | None,
    team: ImprovementTeam | None,
    *,
    period_start: dt.date | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
    period_rule: PeriodRule = period_error,
) -> Errors:
    """The messages of `Measurement.clean` by field (empty: the figures may be registered)."""
    errors: Errors = {}
    if period_start and period_start.day != 1:
        errors["period_start"] = _("Perioden skal angives ved sin første dag.")
    if indicator is not None:
        errors.update(figure_errors(indicator.measure, numerator, denominator, value))
    if indicator is not None and team is not None and team.programme_id != indicator.programme_id:
        errors["indicator"] = _("Indikatoren hører ikke til teamets program.")
    if indicator is not None and period_start:
        error = period_rule(indicator.programme, period_start)
        if error:
            errors["period_start"] = error
    return errors


def figure_errors(
    measure: str, numerator: Decimal | None, denominator: Decimal | None, value: Decimal | None
) -> Errors:
    """The rules of the figures themselves, which depend on the indicator's measure alone."""
    errors: Errors = {}
    if measure in MEASURES_WITH_DENOMINATOR:
        errors.update(_fraction_errors(measure, numerator, denominator, value))
    else:
        if value is None:
            errors["value"] = _("Angiv en værdi.")
        elif measure == Measure.COUNT and value < 0:
            errors["value"] = _("Et antal kan ikke være negativt.")
        if numerator is not None or denominator is not None:
            errors["numerator"] = _("Indikatoren har ingen tæller og nævner – angiv en værdi.")
    for name, message in _fraction_of_a_count(measure, numerator, denominator, value).items():
        errors.setdefault(name, message)
    return errors


def _fraction_of_a_count(
    measure: str,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
) -> Errors:
    """Numerators and denominators count people or events, and so does a count's value:
    whole numbers only. The one rule for the month form, the upload and the services."""
    errors: Errors = {}
    if numerator is not None and not is_whole(numerator):
        errors["numerator"] = _("Tælleren skal være et helt tal.")
    if denominator is not None and not is_whole(denominator):
        errors["denominator"] = _("Nævneren skal være et helt tal.")
    if measure == Measure.COUNT and value is not None and not is_whole(value):
        errors["value"] = _("Antal skal være et helt tal.")
    return errors


def _fraction_errors(
    measure: str,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
) -> Errors:
    errors: Errors = {}
    if numerator is None:
        errors["numerator"] = _("Angiv tælleren.")
    elif numerator < 0:
        errors["numerator"] = _("Tælleren kan ikke være negativ.")
    if denominator is None:
        errors["denominator"] = _("Angiv nævneren.")
    elif denominator < 0:
        errors["denominator"] = _("Nævneren kan ikke være negativ.")
    if value is not None:
        errors["value"] = _("Indikatoren måles med tæller og nævner – ikke en enkelt værdi.")
    if errors or numerator is None or denominator is None:
        return errors
    if measure == Measure.PROPORTION and numerator > denominator:
        errors["numerator"] = _(
            "Tælleren (%(num)s) er større end nævneren (%(den)s). En andel kan højst være 100 %%."
        ) % {"num": _plain(numerator), "den": _plain(denominator)}
    elif denominator == 0 and numerator > 0:
        errors["denominator"] = _("Nævneren er 0, men tælleren er ikke 0.")
    return errors


def _plain(number: Decimal) -> str:
    """A decimal without trailing zeros, with a decimal comma."""
    text = format(trimmed(number), "f")
    return text.replace(".", ",")
