"""The PDSA cycle form (organised as Plan, Do, Study, Act) and the filters of the team's list."""

from __future__ import annotations

from typing import Any

import django_filters
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm, FilterSet
from indicators.models import Indicator
from learning.pdsa_selectors import earlier_cycles, ideas_for_team, indicators_for_team
from programmes.models.changes import ChangeIdea
from teams.models import ImprovementTeam, PDSACycle

TEXT_LIMIT = 4000  # characters in each of the long texts (Plan, Do, Study, Act)
LONG_TEXTS = ("plan", "do", "observations", "study", "act")


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(CrispyForm, forms.ModelForm):
    """A cycle of the team: the choices offered are the team's programme's and the team's own."""

    submit_label = _("Gem cyklus")

    propose_idea = forms.BooleanField(
        label=_("Foreslå idéen til forandringspakken"),
        required=False,
        help_text=_("Den nationale projektledelse og ekspertgruppen tager stilling til forslaget."),
    )

    class Meta:
        model = PDSACycle
        fields = [
            "title",
            "state",
            "change_idea",
            "own_idea",
            "indicators",
            "prediction",
            "who",
            "where",
            "started_on",
            "ended_on",
            "plan",
            "do",
            "observations",
            "study",
            "act",
            "decision",
            "builds_on",
        ]
        labels = {
            "title": _("Titel"),
            "state": _("Hvor langt er cyklussen?"),
            "change_idea": _("Forandringsidé fra forandringspakken"),
            "own_idea": _("… eller teamets egen idé"),
            "indicators": _("Indikatorer, som ændringen skal flytte"),
            "prediction": _("Forudsigelse"),
            "who": _("Hvem"),
            "where": _("Hvor"),
            "started_on": _("Startdato"),
            "ended_on": _("Slutdato"),
            "plan": _("Plan: hvad afprøver I?"),
            "do": _("Hvad skete der?"),
            "observations": _("Observationer"),
            "study": _("Resultat mod forudsigelsen"),
            "act": _("Begrundelse og næste skridt"),
            "decision": _("Beslutning"),
            "builds_on": _("Bygger på cyklus"),
        }
        help_texts = {
            "state": _(
                "Studeret kræver, at resultatet er udfyldt; besluttet kræver også en beslutning."
            ),
            "prediction": _("Vi forventer, at … (skriv før I går i gang)."),
            "own_idea": _("Når idéen ikke (endnu) er i forandringspakken."),
            "builds_on": _("En rampe: en tidligere cyklus i teamet, som denne bygger videre på."),
            "observations": _("Ingen personhenførbare oplysninger."),
        }
        widgets = {
            "state": forms.RadioSelect,
            "indicators": forms.CheckboxSelectMultiple,
            "prediction": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 3}),
            "do": forms.Textarea(attrs={"rows": 3}),
            "observations": forms.Textarea(attrs={"rows": 3}),
            "study": forms.Textarea(attrs={"rows": 3}),
            "act": forms.Textarea(attrs={"rows": 3}),
            "started_on": _date(),
            "ended_on": _date(),
        }

    def __init__(self, *args: Any, team: ImprovementTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.team = team
        current = self.instance.change_idea if self.instance.change_idea_id else None
        fields = self.fields
        fields["change_idea"].queryset = ideas_for_team(team, current)  # type: ignore[attr-defined]
        fields["indicators"].queryset = indicators_for_team(team)  # type: ignore[attr-defined]
        fields["builds_on"].queryset = earlier_cycles(team, self.instance)  # type: ignore[attr-defined]
        fields["change_idea"].empty_label = _("Ingen idé fra pakken")  # type: ignore[attr-defined]
        fields["builds_on"].empty_label = _("Ingen (en ny afprøvning)")  # type: ignore[attr-defined]
        fields["decision"].choices = [("", _("Ingen beslutning endnu"))] + list(  # type: ignore[attr-defined]
            PDSACycle.Decision.choices
        )
        for name in LONG_TEXTS:
            fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))
            fields[name].widget.attrs["maxlength"] = TEXT_LIMIT
        self._init_helper()
        self.helper.layout = Layout(
            Field("title"),
            Field("state"),
            Fieldset(
                _("Plan"),
                Field("change_idea"),
                Field("own_idea"),
                Field("propose_idea"),
                Field("indicators"),
                Field("prediction"),
                Field("plan"),
                Row(Column("who", css_class="col-md-6"), Column("where", css_class="col-md-6")),
                Row(
                    Column("started_on", css_class="col-sm-6"),
                    Column("ended_on", css_class="col-sm-6"),
                ),
                Field("builds_on"),
            ),
            Fieldset(_("Do – udfør"), Field("do"), Field("observations")),
            Fieldset(_("Study – studér"), HTML(_prediction_reminder()), Field("study")),
            Fieldset(_("Act – handl"), Field("decision"), Field("act")),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        idea, own = data.get("change_idea"), (data.get("own_idea") or "").strip()
        if idea is not None and own:
            self.add_error(
                "own_idea",
                _("Vælg en idé fra forandringspakken eller skriv teamets egen, ikke begge."),
            )
        if data.get("propose_idea") and not own:
            self.add_error(
                "propose_idea",
                _("Skriv teamets egen idé for at foreslå den til forandringspakken."),
            )
        return data


def _prediction_reminder() -> str:
    """The prediction again above the study, for comparing (shown once it is written)."""
    return (
        '{% load i18n %}{% if form.instance.prediction %}<p class="small text-body-secondary">'
        "{% translate 'I forudsagde:' %} {{ form.instance.prediction }}</p>{% endif %}"
    )


class CycleFilter(FilterSet):
    """The team's list: by state, change idea and indicator (each of the team's programme)."""

    tilstand = django_filters.ChoiceFilter(
        label=_("Tilstand"),
        field_name="state",
        choices=PDSACycle.State.choices,
        empty_label=_("Alle"),
    )
    ide = django_filters.ModelChoiceFilter(
        label=_("Forandringsidé"),
        field_name="change_idea",
        queryset=ChangeIdea.objects.none(),
        empty_label=_("Alle"),
    )
    indikator = django_filters.ModelChoiceFilter(
        label=_("Indikator"),
        field_name="indicators",
        queryset=Indicator.objects.none(),
        empty_label=_("Alle"),
    )

    class Meta:
        model = PDSACycle
        fields = ["tilstand", "ide", "indikator"]

    def __init__(self, *args: Any, team: ImprovementTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        used = ChangeIdea.objects.filter(cycles__team=team).values("pk")
        ideas: QuerySet[ChangeIdea] = ChangeIdea.objects.filter(
            programme_id=team.programme_id, pk__in=used
        ).order_by("position", "title", "id")
        self.filters["ide"].queryset = ideas
        self.filters["indikator"].queryset = indicators_for_team(team)
