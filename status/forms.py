"""Forms of the status pages: the overview's filters and the national project lead's rating."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm, TextRules
from core.params import id_from
from programmes.models import Programme, StatusRating
from status.traffic import GREEN, GREY, LABELS, RED, SYMBOLS, YELLOW

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class OverviewFilterForm(TextRules, forms.Form):
    """Status, lead region, clinical area and traffic light; choices built from loaded rows."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region med national projektledelse"), required=False)
    area = forms.ChoiceField(label=_("Klinisk område"), required=False)
    light = forms.ChoiceField(label=_("Trafiklys"), required=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        regions: list[tuple[str, str]],
        areas: list[str],
    ) -> None:
        super().__init__(data)
        offered: dict[str, list[tuple[str, StrOrPromise]]] = {
            "status": list(Programme.Status.choices),
            "region": list(regions),
            "area": [(a, a) for a in areas],
            "light": [(colour, LABELS[colour]) for colour in (GREEN, YELLOW, RED, GREY)],
        }
        for name, choices in offered.items():
            cast(forms.ChoiceField, self.fields[name]).choices = [("", _("Alle")), *choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The valid filters ('' where none); an invalid choice is simply ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region = data.get("region") or ""
        return {
            "status": data.get("status") or "",
            "region": id_from(region),
            "area": data.get("area") or "",
            "light": data.get("light") or "",
        }


class RatingForm(CrispyForm, forms.ModelForm):
    submit_label = _("Gem vurdering")

    colour = forms.ChoiceField(
        label=_("Jeres vurdering"),
        # format_lazy: the colour's name in the language of the request, not of the import.
        choices=[
            (c.value, format_lazy("{} {}", SYMBOLS[c.value], c.label)) for c in StatusRating.Colour
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg grøn, gul eller rød.")},
    )

    class Meta:
        model = StatusRating
        fields = ["colour", "reason"]
        labels = {"reason": _("Begrundelse")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "reason": _("Skal udfyldes. Vises for styregruppen sammen med vurderingen."),
        }
        error_messages = {"reason": {"required": _("Skriv en begrundelse for vurderingen.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()
