"""The base of the portal's forms and the one way a service's ValidationError reaches a form."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import NoControlCharacters, strip_control


class TextRules(forms.BaseForm):
    """Every portal form: control characters refused in one-line text, dropped from textareas.

    A text field without a Textarea is one line (names, titles, e-mail addresses): a line
    break, tab or control character in it is refused with a message naming the field. In a
    Textarea, tabs and line breaks stay (CRLF and CR become LF) and other control characters
    are dropped before the fields are cleaned. The models check the same (`core.models`).
    """

    def full_clean(self) -> None:
        if self.is_bound:
            # A QueryDict's copy is mutable; a plain mapping becomes a dict.
            data = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
            for name, field in self.fields.items():
                if not isinstance(field, forms.CharField) or field.disabled:
                    continue
                if isinstance(field.widget, forms.Textarea):
                    key = self.add_prefix(name)
                    if isinstance(data.get(key), str):
                        data[key] = strip_control(data[key])
                elif not any(isinstance(v, NoControlCharacters) for v in field.validators):
                    field.validators.append(NoControlCharacters(field.label or name))
            self.data = data
        super().full_clean()


class CrispyForm(TextRules):
    """A crispy helper with a Danish submit button; `submit_label` names the action."""

    submit_label = _("Gem")

    def _init_helper(self) -> None:
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


def add_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    field_for: Mapping[str, str] | Callable[[str], str | None] | None = None,
    prefix: str = "",
) -> None:
    """Put a service's ValidationError on the form: on the matching field, else above the form.

    Works for every shape of ValidationError (a dict by field, a list, or one message).
    `field_for` renames the service's field names to the form's (a mapping or a function);
    `prefix` goes before messages that end up above the form (e.g. an indicator's name).
    """
    by_field = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for name, messages in by_field.items():
        if callable(field_for):
            target = field_for(name)
        elif field_for is not None:
            target = field_for.get(name, name)
        else:
            target = name
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, f"{prefix}{message}" if target is None and prefix else message)


class FilterSet(django_filters.FilterSet):
    """A filter set whose form carries Bootstrap's classes and follows the text rules."""

    def get_form_class(self) -> type[forms.Form]:
        form_class = super().get_form_class()
        return type(form_class.__name__, (TextRules, form_class), {})

    @property
    def form(self) -> forms.Form:
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form
