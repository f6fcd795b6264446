"""The search box's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TextRules
from core.textsearch import MAX_LENGTH


class SearchForm(TextRules, forms.Form):
    q = forms.CharField(
        label=_("Søg"),
        required=False,
        max_length=MAX_LENGTH,
        strip=True,
        error_messages={
            "max_length": _(
                "Søgningen er for lang: højst %(limit_value)d tegn (den har %(show_value)d)."
            )
        },
    )
