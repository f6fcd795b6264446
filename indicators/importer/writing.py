"""Writing checked rows: all of them in one transaction, or none."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from indicators.importer.checking import model_messages
from indicators.importer.errors import RowWriteError
from indicators.importer.rows import Row
from indicators.services import EntryRefused, measurements_record_many


@transaction.atomic
def measurements_import(*, rows: list[Row], by: Any) -> Counter:
    """Write every checked row in one transaction; any refusal rolls all of them back."""
    if any(not row.is_valid or row.team is None or row.indicator is None for row in rows):
        raise ValueError("only checked, valid rows can be written")
    todo = [row for row in rows if row.status != "unchanged"]
    entries = [row.entry() for row in todo]
    try:
        # check_rows ran every row's full_clean: only the model's clean runs again.
        return measurements_record_many(entries=entries, by=by, checked=True)
    except EntryRefused as error:
        # The model refused a row that passed the check moments ago: name it.
        raise RowWriteError(todo[error.index], model_messages(error)) from error
