"""core.forms.add_errors: every shape of a service's ValidationError lands on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_errors


class _Form(forms.Form):
    date = forms.CharField(required=False)
    reason = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form({"date": "", "reason": ""})
    assert form.is_valid()
    return form


def test_a_message_only_error_goes_above_the_form() -> None:
    form = _bound()
    add_errors(form, ValidationError("Seminaret er aflyst."))

    assert form.non_field_errors() == ["Seminaret er aflyst."]


def test_a_list_of_errors_goes_above_the_form() -> None:
    form = _bound()
    add_errors(form, ValidationError([ValidationError("Én"), ValidationError("To")]))

    assert form.non_field_errors() == ["Én", "To"]


def test_field_errors_go_to_their_field_and_unknown_fields_above_the_form() -> None:
    form = _bound()
    add_errors(form, ValidationError({"reason": "Skriv en begrundelse.", "other": "Andet."}))

    assert form.errors["reason"] == ["Skriv en begrundelse."]
    assert form.non_field_errors() == ["Andet."]


def test_renamed_fields_and_a_prefix_for_what_lands_above_the_form() -> None:
    form = _bound()
    error = ValidationError({"starts_at": "For tidligt.", "title": "For langt."})
    add_errors(form, error, field_for={"starts_at": "date"}, prefix="KOL: ")

    assert form.errors["date"] == ["For tidligt."]
    assert form.non_field_errors() == ["KOL: For langt."]
