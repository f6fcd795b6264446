"""Forms for an indicator's definition, a proposed change of it and the lead's decision."""

from __future__ import annotations

from typing import Any

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm
from core.numbers import trimmed
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

    def __init__(self, *args: Any, measure_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.target is not None:
            self.initial["target"] = trimmed(self.instance.target)  # 90, not 90,0000
        if measure_locked:
            measure = self.fields["measure"]
            measure.disabled = True
            measure.help_text = _("Kan ikke ændres, når teams har registreret data.")
        old = self.fields["multiplier"]
        self.fields["multiplier"] = forms.IntegerField(
            label=old.label, help_text=old.help_text, min_value=1, max_value=MAX_MULTIPLIER
        )
        self._init_helper()
        self.helper.layout = Layout(*self._rows())

    def _rows(self) -> list:
        """Related fields side by side on a wide screen, one under the other on a phone."""

        def row(*names: str, width: str = "col-md") -> Row:
            return Row(*(Column(name, css_class=width) for name in names))

        return [
            row("name", "kind"),
            "definition",
            row("measure", "frequency", "data_source"),
            row("numerator_definition", "denominator_definition"),
            row("unit", "multiplier", "better_direction", "target", width="col-sm-6 col-lg-3"),
            "national_goal",
            *(["reason"] if "reason" in self.fields else []),
        ]

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
