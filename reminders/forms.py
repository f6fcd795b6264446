"""The preferences form: one checkbox per kind of reminder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm
from reminders.models import ReminderKind
from reminders.preferences import KIND_HELP


class ReminderPreferencesForm(CrispyForm, forms.Form):
    submit_label = _("Gem mine valg")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in ReminderKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, help_text=KIND_HELP[kind], required=False
            )
        self._init_helper()
