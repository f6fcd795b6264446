"""Forms for programmes: the programme itself, its status, goals and expert group members."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.layout import Field, Layout
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import CrispyForm
from core.numbers import trimmed
from programmes.models import (
    ExpertMember,
    ImprovementGoal,
    Programme,
    SustainmentFrequency,
    SustainmentReview,
)
from programmes.selectors import expert_candidates


class ProgrammeForm(CrispyForm, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "clinical_area",
            "description",
            "target_population",
            "concept",
            "lead_region",
            "co_lead",
            "is_cross_sector",
            "start_date",
            "end_date",
            "decided_on",
            "description_approved_on",
            "data_deadline_day",
        ]
        widgets = {
            field: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for field in ["start_date", "end_date", "decided_on", "description_approved_on"]
        } | {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False
        self._init_helper()


class StatusChangeForm(CrispyForm, forms.Form):
    submit_label = _("Skift status")

    status = forms.ChoiceField(label=_("Ny status"))
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Begrundelsen vises i programmets statushistorik."),
    )

    sustainment_start = forms.DateField(
        label=_("Fastholdelse fra"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Kun ved fastholdelse. Tom: dagen efter slutdatoen (eller i dag, hvis det er senere)."
        ),
    )
    sustainment_frequency = forms.ChoiceField(
        label=_("Målefrekvens i fastholdelse"),
        choices=SustainmentFrequency.choices,
        required=False,
        help_text=_(
            "Kun ved fastholdelse: hvor ofte teams registrerer data. Opfølgninger planlægges "
            "6, 12 og 24 måneder efter slutdatoen og kan ændres bagefter."
        ),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Programme.TRANSITIONS[programme.status]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, Programme.Status(value).label) for value in choices
        ]
        if Programme.Status.SUSTAINMENT in choices:
            self.fields["sustainment_frequency"].initial = programme.sustainment_frequency
        else:
            del self.fields["sustainment_start"]
            del self.fields["sustainment_frequency"]
        self._init_helper()


class SustainmentReviewForm(CrispyForm, forms.ModelForm):
    """A review of the sustainment: when it is planned, when it was held and what it found."""

    class Meta:
        model = SustainmentReview
        fields = ["due_on", "held_on", "note"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "note": _("Holder teamene gevinsterne? Hvad besluttede I? Vises for alle i LKT'et.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submit_label = _("Gem opfølgningen") if self.instance.pk else _("Planlæg opfølgning")
        if not self.instance.pk:
            del self.fields["held_on"]
            del self.fields["note"]
        self._init_helper()


class GoalForm(CrispyForm, forms.ModelForm):
    """A goal: what, followed on which of the programme's indicators, to what value, by when."""

    submit_label = _("Tilføj mål")

    class Meta:
        model = ImprovementGoal
        fields = ["text", "indicator", "target_value", "target_date"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "target_value": forms.TextInput(attrs={"inputmode": "decimal"}),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        localized_fields = ["target_value"]
        labels = {"text": _("Forbedringsmålet")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("indicator", "target_value", "target_date"):
            self.fields[name].required = True
        if self.instance.target_value is not None:
            self.initial["target_value"] = trimmed(self.instance.target_value)
        indicator = cast(forms.ModelChoiceField, self.fields["indicator"])
        goal = self.instance
        # The programme's indicators through its relation (programmes imports no indicators):
        # the active ones, and the goal's own even if it has been deactivated since.
        if goal.programme_id:
            chosen = Q(pk=goal.indicator_id) if goal.indicator_id else Q(pk__in=[])
            indicator.queryset = goal.programme.indicators.filter(
                Q(is_active=True) | chosen
            ).order_by("order", "name")
        else:
            assert indicator.queryset is not None  # a foreign key's choices
            indicator.queryset = indicator.queryset.none()
        if goal.pk:
            self.submit_label = _("Gem målet")
        self._init_helper()


class ExpertMemberForm(CrispyForm, forms.ModelForm):
    """Add a person to the expert group: picked from a search (an htmx field, a few results at a
    time, as for team members); without JavaScript the search runs when the form is sent."""

    submit_label = _("Tilføj til ekspertgruppen")

    q = forms.CharField(label=_("Søg person"), required=False, max_length=100)

    class Meta:
        model = ExpertMember
        fields = ["user", "role", "sector", "organisation"]
        labels = {"user": _("Person")}
        help_texts = {"user": _("Søg på navn eller e-mail. Nye personer inviteres under Brugere.")}
        error_messages = {
            "user": {
                "required": _("Søg personen frem, og vælg dem på listen."),
                "invalid_choice": _("Vælg en person fra søgningen."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = cast(forms.ModelChoiceField, self.fields["user"])
        user_field.queryset = User.objects.filter(is_active=True)
        group = self.instance.group
        self.search_url = reverse("programmes:search_experts", args=[group.programme_id])
        query = str(self.data.get("q", "")) if self.is_bound else ""
        self.results = expert_candidates(group, query[:100])
        self.chosen = str(self.data.get("user", "")) if self.is_bound else ""
        self._init_helper()
        self.helper.layout = Layout(
            Field("user", template="includes/_person_picker.html"), "role", "sector", "organisation"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.pop("q", None)  # the search, not a field of the membership
        return cleaned
