"""Forms for sustainment plans: the plan's sections with seed 003's advice, and the review log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm
from teams.models import SustainmentLogEntry, SustainmentPlan

# Seed 003's recommendations, as short help beside each section.
SECTION_HELP = {
    "criteria": _(
        "Hvilke indikatorer følger I, hvilket niveau tæller som fastholdt, hvor ofte måles "
        "der, og af hvem? F.eks. “mindst 85 % mobiliseret inden 24 timer, målt kvartalsvis af "
        "kvalitetskoordinatoren”."
    ),
    "roles": _(
        "Hvem gør hvad, når LKT'et slutter: den formelle leders opbakning og opfølgning, "
        "kvalitetskoordinatorens opgaver (data, tavlemøder, oplæring af nye kolleger), og "
        "hvem der måler."
    ),
    "anchoring": _(
        "Hvilken eksisterende struktur ejer arbejdet fremover – f.eks. afdelingens "
        "kvalitetsråd, ledelsesmøder eller sundhedsklyngen – og hvordan passer det med lokale "
        "og nationale prioriteter? Tværsektorielt: hvem leder, og hvordan koordineres mellem "
        "region og kommune?"
    ),
    "resources": _("Tid, data- og it-støtte, oplæring: hvad er aftalt, og hvem har givet tilsagn?"),
}


class SustainmentPlanForm(CrispyForm, forms.ModelForm):
    submit_label = _("Gem planen")

    class Meta:
        model = SustainmentPlan
        fields = ["criteria", "roles", "anchoring", "resources"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in SECTION_HELP}
        help_texts = SECTION_HELP

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()


class SustainmentLogForm(CrispyForm, forms.ModelForm):
    submit_label = _("Skriv i loggen")

    class Meta:
        model = SustainmentLogEntry
        fields = ["held_on", "note"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "note": _("Holder gevinsterne? Hvad besluttede I, og hvem følger op?"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()
