"""The planned reviews of a programme in sustainment (fastholdelse): when, and what was found."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from core.months import add_months
from programmes.models import Programme
from programmes.validators import validate_no_cpr

# Seed 003 asks how the gains are held after the two years; the reviews look again after 6,
# 12 and 24 months unless the national lead plans other dates.
DEFAULT_REVIEW_MONTHS = (6, 12, 24)


def default_review_dates(end_date: dt.date) -> list[dt.date]:
    """6, 12 and 24 months after the programme's end."""
    return [add_months(end_date, months) for months in DEFAULT_REVIEW_MONTHS]


def default_sustainment_start(end_date: dt.date, today: dt.date) -> dt.date:
    """The day after the end, or the day of the change when that is later."""
    return max(end_date + dt.timedelta(days=1), today)


class SustainmentReview(CheckedFields):
    """A planned look at whether the gains hold: due on a date, held (or not) with a note."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="sustainment_reviews",
    )
    due_on = models.DateField(_("planlagt til"))
    held_on = models.DateField(_("holdt"), null=True, blank=True)
    note = models.TextField(
        _("konklusion"), blank=True, max_length=4000, validators=[validate_no_cpr]
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("opfølgning i fastholdelse")
        verbose_name_plural = _("opfølgninger i fastholdelse")
        ordering = ["programme", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "due_on"],
                name="sustainment_review_once_a_day",
                violation_error_message=_("Der er allerede en opfølgning planlagt den dag."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.due_on.isoformat()}"
