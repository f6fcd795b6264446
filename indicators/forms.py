"""Forms for registering a month of data and chart changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import TextRules
from core.numbers import trimmed
from indicators.models import ChartChange, Indicator, Measurement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from programmes.validators import validate_no_cpr


def _number(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
    )


def _shown(number: Decimal | None) -> Decimal | None:
    return None if number is None else trimmed(number)


class PeriodForm(TextRules, forms.Form):
    """One month for one team: a numerator and denominator, or a value, per indicator."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        indicators: list[Indicator],
        existing: dict[int, Measurement],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {}
        for indicator in indicators:
            m = existing.get(indicator.pk)
            if m is not None:
                initial |= {
                    f"num_{indicator.pk}": _shown(m.numerator),
                    f"den_{indicator.pk}": _shown(m.denominator),
                    f"val_{indicator.pk}": _shown(m.value),
                    f"comment_{indicator.pk}": m.comment,
                }
        super().__init__(data, initial=initial, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            if indicator.has_denominator:
                self.fields[f"num_{indicator.pk}"] = _number(_("Tæller"))
                self.fields[f"den_{indicator.pk}"] = _number(_("Nævner"))
            else:
                field = _number(_("Værdi"))
                if indicator.measure == Indicator.Measure.VALUE:
                    field.min_value = None
                    field.validators = []
                self.fields[f"val_{indicator.pk}"] = field
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=_("Kommentar"),
                required=False,
                validators=[validate_no_cpr],
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self) -> list[dict]:
        """Per indicator: its bound fields, for the template; inputs in error outlined."""
        rows = []
        for indicator in self.indicators:
            names = (["num", "den"] if indicator.has_denominator else ["val"]) + ["comment"]
            fields = [self[f"{name}_{indicator.pk}"] for name in names]
            for bound in fields:
                if bound.errors:
                    bound.field.widget.attrs["class"] = "form-control is-invalid"
            rows.append({"indicator": indicator, "fields": fields})
        return rows

    def entries(self) -> list[tuple[Indicator, dict]]:
        """Indicators with something filled in, and the figures for `measurement_record`."""
        result = []
        for indicator in self.indicators:
            data = self.cleaned_data
            figures = {
                "numerator": data.get(f"num_{indicator.pk}"),
                "denominator": data.get(f"den_{indicator.pk}"),
                "value": data.get(f"val_{indicator.pk}"),
            }
            comment = data.get(f"comment_{indicator.pk}", "")
            if any(v is not None for v in figures.values()) or comment:
                result.append((indicator, {**figures, "comment": comment}))
        return result


class ChartChangeForm(TextRules, forms.ModelForm):
    class Meta:
        model = ChartChange
        fields = ["kind", "period_start", "team", "reason"]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "period_start": forms.Select(attrs={"class": "form-select"}),
            "team": forms.Select(attrs={"class": "form-select"}),
            "reason": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }
        labels = {"period_start": _("Måned")}
        help_texts = {
            "period_start": _(
                "Baseline: den sidste måned i baselineperioden. Opdeling: den første måned i den "
                "nye fase."
            )
        }

    def __init__(self, *args: Any, indicator: Indicator, months: list[dt.date], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        self.fields["period_start"] = forms.TypedChoiceField(
            label=_("Måned"),
            choices=[(m.isoformat(), date_format(m, "YEAR_MONTH_FORMAT")) for m in months],
            coerce=dt.date.fromisoformat,
            help_text=self.Meta.help_texts["period_start"],
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        team_field = cast(forms.ModelChoiceField, self.fields["team"])
        team_field.queryset = indicator.programme.teams.order_by("name")
        team_field.empty_label = _("Alle teams og programmets graf")
