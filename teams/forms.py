"""Forms for improvement teams: the team (create and edit) and its members."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

import django_filters
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import CrispyForm, FilterSet, TextRules
from programmes.models import Organisation, Programme, Region
from programmes.validators import validate_no_cpr
from teams.models import PROGRESS_SCALE, ImprovementTeam, TeamMember
from teams.selectors import member_candidates

# Headings of the organisation checkboxes, one group per kind, hospitals before municipalities.
KIND_GROUPS = {
    Organisation.Kind.HOSPITAL: _("Hospitaler"),
    Organisation.Kind.DEPARTMENT: _("Hospitalsafdelinger"),
    Organisation.Kind.MUNICIPALITY: _("Kommuner"),
    Organisation.Kind.GENERAL_PRACTICE: _("Almen praksis"),
    Organisation.Kind.HEALTH_CLUSTER: _("Sundhedsklynger"),
    Organisation.Kind.KL: _("KL"),
    Organisation.Kind.OTHER: _("Andre"),
}


class TeamForm(CrispyForm, forms.ModelForm):
    """A team's fields; on creation also its region, chosen among the regions the user may use.

    The organisations offered are those of the chosen region; changing the region re-renders
    the list through htmx (and without JavaScript on the next submission).
    """

    submit_label = _("Gem team")

    class Meta:
        model = ImprovementTeam
        fields = ["name", "region", "organisations", "method", "status", "started_on", "aim"]
        labels = {"name": _("Teamets navn")}
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "aim": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _(
                "F.eks. afdelingens eller hospitalets navn. Navnet skal være entydigt i LKT'et."
            ),
            "aim": _("Hvad teamet vil opnå, og hvornår. Ingen personhenførbare oplysninger."),
        }

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        regions: list[Region] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        creating = self.instance.pk is None
        if creating:
            region_field = cast(forms.ModelChoiceField, self.fields["region"])
            region_field.queryset = Region.objects.filter(
                pk__in=[region.pk for region in regions or []]
            )
            # With a single region to choose from there is nothing to choose: no empty option.
            region_field.empty_label = _("Vælg region") if len(regions or []) > 1 else None
            region = self._chosen_region(regions or [])
        else:
            del self.fields["region"]
            region = self.instance.region
        self._offer_organisations(region)
        self._init_helper()
        self.helper.layout = Layout(*self._layout(creating))

    def _chosen_region(self, regions: list[Region]) -> Region | None:
        """The region in the submitted data, else the initial one, else the only one allowed."""
        value = self.data.get("region") if self.is_bound else self.initial.get("region")
        by_pk = {str(region.pk): region for region in regions}
        if value is None and len(regions) == 1:
            self.initial.setdefault("region", regions[0].pk)
            return regions[0]
        return by_pk.get(str(value))

    def _offer_organisations(self, region: Region | None) -> None:
        field = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        # The region is where the team lives, not one of its members' workplaces.
        field.queryset = (
            Organisation.objects.filter(region=region)
            .exclude(kind=Organisation.Kind.REGION)
            .order_by("kind", "name")
        )
        field.error_messages["invalid_choice"] = _("Vælg organisationer fra teamets region.")
        if region is None:
            field.help_text = _("Vælg først en region; så vises regionens organisationer.")
            field.choices = []
            return
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for organisation in field.queryset:
            groups[organisation.kind].append((organisation.pk, organisation.name))
        field.choices = [
            (label, groups[kind]) for kind, label in KIND_GROUPS.items() if kind in groups
        ]
        if self.programme.is_cross_sector:
            field.help_text = _(
                "Tværsektorielt LKT: vælg et hospital (eller en afdeling) og mindst én kommune "
                "fra hospitalets optageområde."
            )
        else:
            field.help_text = _("De deltagende enheder fra %(region)s.") % {"region": region}

    def _layout(self, creating: bool) -> list:
        fields: list = ["name"]
        if creating:
            url = reverse("teams:create", args=[self.programme.pk])
            fields.append(
                Field(
                    "region",
                    hx_get=url,
                    hx_trigger="change",
                    hx_target="#div_id_organisations",
                    hx_select="#div_id_organisations",
                    hx_swap="outerHTML",
                )
            )
        fields.append(Field("organisations", template="teams/_organisations_field.html"))
        return [*fields, "method", "status", "started_on", "aim"]


class TeamMemberForm(CrispyForm, forms.Form):
    """Add a person to the team with a role and one of its organisations.

    The person is picked from a search (an htmx field, a few results at a time) among those the
    user may add (`accounts.roles.team_member_candidates`); without JavaScript the search runs when
    the form is sent. Whether the chosen person may be added is the service's to say.
    """

    submit_label = _("Tilføj medlem")

    q = forms.CharField(label=_("Søg person"), required=False, max_length=100)
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"required": _("Søg personen frem, og vælg dem på listen.")},
        help_text=_("Søg på navn eller e-mail. Nye personer inviteres under Brugere."),
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Ingen / ikke angivet"),
    )

    def __init__(self, *args: Any, team: ImprovementTeam, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = cast(forms.ModelChoiceField, self.fields["user"])
        user_field.queryset = User.objects.filter(is_active=True)
        user_field.error_messages["invalid_choice"] = _("Vælg en person fra søgningen.")
        organisation_field = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation_field.queryset = team.organisations.order_by("kind", "name")
        self.search_url = reverse("teams:search_people", args=[team.pk])
        query = str(self.data.get("q", "")) if self.is_bound else ""
        self.results = member_candidates(by, team, query[:100])
        self.chosen = str(self.data.get("user", "")) if self.is_bound else ""
        self._init_helper()
        self.helper.layout = Layout(
            Field("user", template="includes/_person_picker.html"),
            Row(Column("role", css_class="col-md-5"), Column("organisation", css_class="col-md-7")),
        )
        url = reverse("teams:add_member", args=[team.pk])
        self.helper.form_action = url
        self.helper.attrs = {
            "hx-post": url,
            "hx-target": "#team-members",
            "hx-swap": "outerHTML",
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.pop("q", None)  # the search, not a field of the membership
        return cleaned


class TeamFilter(FilterSet):
    """The team list's filters; the programmes offered are those whose teams the user may see.

    (It lives here rather than in a `filters.py` of its own only to keep the app's files few.)
    """

    q = django_filters.CharFilter(label=_("Søg"), method="search")
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=Programme.objects.none(), empty_label=_("Alle")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.order_by("name"), empty_label=_("Alle")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ImprovementTeam.Status.choices, empty_label=_("Alle")
    )

    class Meta:
        model = ImprovementTeam
        fields = ["q", "programme", "region", "status"]

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = programmes

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A word from the team's name or the name of one of its organisations."""
        by_organisation = ImprovementTeam.objects.filter(organisations__name__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(pk__in=by_organisation.values("pk")))


# --- The monthly report: an IHI score (the team's or the expert group's) and the note ----


def _month_field(months: list[dt.date]) -> forms.TypedChoiceField:
    """The months a report can be given for, newest first; any other value is refused."""
    return forms.TypedChoiceField(
        label=_("Måned"),
        choices=[(m.isoformat(), date_format(m, "YEAR_MONTH_FORMAT")) for m in reversed(months)],
        coerce=dt.date.fromisoformat,
        error_messages={
            "required": _("Vælg måneden."),
            "invalid_choice": _(
                "Vælg en måned i programmets periode – højst den indeværende måned."
            ),
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _text(label: Any, max_length: int, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        validators=[validate_no_cpr],
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class _OutlinedErrors(TextRules):
    """The text rules, and a field with an error outlined and pointing to its message."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-error"


class ProgressScoreForm(_OutlinedErrors, forms.Form):
    """A score on the IHI scale with a short reason; no score is chosen in advance."""

    score = forms.ChoiceField(
        label=_("Fremdriftsscore"),
        choices=[("", _("Vælg en score …")), *((str(v), label) for v, label in PROGRESS_SCALE)],
        error_messages={
            "required": _("Vælg en score på IHI-skalaen."),
            "invalid_choice": _("Vælg en score fra 0,5 til 5 på listen."),
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    comment = _text(_("Kort begrundelse"), 500)

    def __init__(self, *args: Any, months: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"month": _month_field(months), **self.fields}
        self.fields["comment"].error_messages["required"] = _("Skriv en kort begrundelse.")


class MonthlyNoteForm(_OutlinedErrors, forms.Form):
    """The team's short note of the month."""

    tried = _text(_("Hvad vi afprøvede"), 1000)
    learned = _text(_("Hvad vi lærte"), 1000)
    next_steps = _text(_("Næste skridt"), 1000)

    def __init__(self, *args: Any, months: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"month": _month_field(months), **self.fields}
