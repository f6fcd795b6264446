"""The checks every portal model makes of its own text and dates, whoever writes it.

Forms, services and the admin all end in `full_clean`, so the rules hold for each of them: a
one-line text (CharField) has no line break, tab or control character; a text of several lines
(TextField) no control character; a date lies between 2000 and 2100 (`core.bounds`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models

from core.bounds import out_of_bounds
from core.text import NoControlCharacters


class CheckedFields(models.Model):
    """An abstract base: `clean_fields` also checks text for control characters and date ranges."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            problem = _field_problem(field, getattr(self, field.attname))
            if problem:
                # Not code "invalid": a ModelForm would put its field's own message instead.
                errors[field.name] = [ValidationError(problem, code="refused")]
        if errors:
            raise ValidationError(errors)


def _field_problem(field: models.Field, value: object) -> str | None:
    if isinstance(field, models.DateField) and isinstance(value, dt.date):
        return out_of_bounds(day=value).get("day")
    if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
        multiline = isinstance(field, models.TextField)
        try:
            NoControlCharacters(field.verbose_name, multiline=multiline)(value)
        except ValidationError as error:
            return error.messages[0]
    return None
