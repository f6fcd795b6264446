"""Forms for an indicator's definition, a proposed change of it and the lead's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm
from indicators.definitions import EDITABLE_FIELDS
from indicators.models import Indicator
from programmes.validators import validate_no_cpr

# Far beyond any real multiplier (per 100,000 inhabitants), and within the database's integer.
MAX_MULTIPLIER = 1_000_000


class IndicatorForm(CrispyForm, forms.ModelForm):
    """Every field of an indicator a person sets."""

    submit_label = _("Gem indikatoren")

    class Meta:
        model = Indicator
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
            "target": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
        localized_fields = ["target"]
        help_texts = {
            "numerator_definition": _("Kun for andele og rater."),
            "denominator_definition": _("Kun for andele og rater."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        old = self.fields["multiplier"]
        self.fields["multiplier"] = forms.IntegerField(
            label=old.label, help_text=old.help_text, min_value=1, max_value=MAX_MULTIPLIER
        )
        self._init_helper()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        programme_id = self.instance.programme_id
        others = Indicator.objects.filter(programme_id=programme_id, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Programmet har allerede en indikator med navnet “%(name)s”."),
                params={"name": name},
            )
        return name

    def changed_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ProposalForm(IndicatorForm):
    """The indicator's fields as the expert would have them, and why."""

    submit_label = _("Send forslaget")

    reason = forms.CharField(
        label=_("Begrundelse"),
        validators=[validate_no_cpr],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvorfor ændringen? Den nationale projektleder ser begrundelsen."),
    )


class DecisionForm(CrispyForm, forms.Form):
    note = forms.CharField(
        label=_("Bemærkning"),
        required=False,
        max_length=2000,
        validators=[validate_no_cpr],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
