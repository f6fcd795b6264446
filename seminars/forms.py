"""Forms for seminars: plan/edit, cancel, invite teams, register participants, calendar filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast
from zoneinfo import ZoneInfo

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm, TextRules
from programmes.models import Programme
from seminars.models import MaterialKind, Seminar, SeminarKind
from seminars.services import EDITABLE_FIELDS
from teams.models import ImprovementTeam, TeamMember

# Seminars take place in Denmark: times are entered and shown in Danish time.
TZ = ZoneInfo("Europe/Copenhagen")


def _model_field(name: str, **kwargs: Any) -> forms.Field:
    field = Seminar._meta.get_field(name)
    formfield = field.formfield(**kwargs) if isinstance(field, models.Field) else None
    assert formfield is not None, name  # only the seminar's plain fields are named here
    return formfield


class SeminarForm(CrispyForm, forms.Form):
    """A seminar's description; date and times in Danish time, combined in `clean`."""

    submit_label = _("Gem seminar")

    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Vælg type")), *SeminarKind.choices])
    number = _model_field("number")
    title = _model_field("title", help_text=_("Tom: typen og nummeret, f.eks. “Læringsseminar 2”."))
    date = forms.DateField(
        label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Starttidspunkt"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_date = forms.DateField(
        label=_("Slutdato"),
        required=False,
        help_text=_("Kun for seminarer over flere dage."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_time = forms.TimeField(
        label=_("Sluttidspunkt"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = _model_field("place", help_text=_("F.eks. Comwell Kolding."))
    address = _model_field("address")
    agenda = _model_field(
        "agenda",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Dagens program, ét punkt pr. linje. Ingen personhenførbare oplysninger."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-8"), Column("number", css_class="col-md-4")),
            "title",
            Row(
                Column("date", css_class="col-sm-6 col-md-3"),
                Column("start_time", css_class="col-sm-6 col-md-3"),
                Column("end_date", css_class="col-sm-6 col-md-3"),
                Column("end_time", css_class="col-sm-6 col-md-3"),
            ),
            Row(Column("place", css_class="col-md-6"), Column("address", css_class="col-md-6")),
            "agenda",
        )

    @staticmethod
    def initial_for(seminar: Seminar) -> dict[str, Any]:
        """The form's initial values for an existing seminar, in Danish time."""
        starts, ends = seminar.starts_at.astimezone(TZ), seminar.ends_at.astimezone(TZ)
        return {
            "kind": seminar.kind,
            "number": seminar.number,
            "title": seminar.title,
            "date": starts.date(),
            "start_time": starts.time(),
            "end_date": ends.date() if ends.date() != starts.date() else None,
            "end_time": ends.time(),
            "place": seminar.place,
            "address": seminar.address,
            "agenda": seminar.agenda,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start and end:
            data["starts_at"] = dt.datetime.combine(date, start, tzinfo=TZ)
            data["ends_at"] = dt.datetime.combine(data.get("end_date") or date, end, tzinfo=TZ)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error(
                    "end_time",
                    _("Seminaret skal slutte, efter at det begynder. Ret sluttidspunktet."),
                )
        return data

    def seminar_fields(self) -> dict[str, Any]:
        """The cleaned values as the seminar's own fields, for the services."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class CancelSeminarForm(CrispyForm, forms.Form):
    submit_label = _("Aflys seminaret")

    reason = forms.CharField(
        label=_("Årsag til aflysningen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv en årsag til aflysningen.")},
        help_text=_("Årsagen vises på seminarets side for alle."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, prefix="cancel", **kwargs)
        self._init_helper()
        self.helper.form_tag = False  # the page writes the <form> (crispy leaks its action)
        self.helper.inputs[0].field_classes = "btn btn-danger"


class InviteTeamsForm(CrispyForm, forms.Form):
    submit_label = _("Gem invitationer")

    teams = forms.ModelMultipleChoiceField(
        label=_("Programmets teams"),
        queryset=ImprovementTeam.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Fjern fluebenet for at trække en invitation tilbage."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        seminar: Seminar,
        invited: list[ImprovementTeam],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"teams": [team.pk for team in invited]})
        super().__init__(data, prefix="invite", **kwargs)
        # Any team is accepted here so that the service can refuse a foreign one by name;
        # only the programme's own teams are offered.
        field = cast(forms.ModelMultipleChoiceField, self.fields["teams"])
        field.queryset = ImprovementTeam.objects.all()
        offered = (
            ImprovementTeam.objects.filter(programme_id=seminar.programme_id)
            .select_related("region")
            .order_by("region__name", "name")
        )
        field.choices = [(team.pk, f"{team.name} ({team.region})") for team in offered]
        self._init_helper()
        self.helper.form_tag = False


class RegistrationForm(CrispyForm, forms.Form):
    """Choose a member of an invited team; the options are grouped by team."""

    submit_label = _("Tilmeld")

    member = forms.ModelChoiceField(
        label=_("Deltager"), queryset=TeamMember.objects.none(), empty_label=_("Vælg en person")
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        members: QuerySet[TeamMember],
        **kwargs: Any,
    ) -> None:
        """`members` are accepted (the view checks who may register whom); see `offer`."""
        super().__init__(data, prefix="register", **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = members
        self._init_helper()
        self.helper.form_tag = False

    def offer(self, members: list[TeamMember], registered: set[int]) -> None:
        """Show `members` grouped by team, marking those already registered."""
        groups: dict[str, list] = {}
        for member in members:
            label = str(member.user)
            if member.user_id in registered:
                label += " – " + str(_("allerede tilmeldt"))
            groups.setdefault(member.team.name, []).append((member.pk, label))
        member_field = cast(forms.ModelChoiceField, self.fields["member"])
        member_field.choices = [("", _("Vælg en person")), *groups.items()]


class CalendarFilterForm(TextRules, forms.Form):
    """The calendar's filters; `when` picks upcoming or past seminars."""

    when = forms.ChoiceField(
        choices=[("kommende", _("Kommende")), ("tidligere", _("Afholdte"))],
        required=False,
        widget=forms.HiddenInput,
    )
    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Programme.objects.order_by("name"),
        required=False,
        empty_label=_("Alle programmer"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Alle typer")), *SeminarKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `seminar_calendar`; invalid values are ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "past": data.get("when") == "tidligere",
            "programme": data.get("programme"),
            "kind": data.get("kind", ""),
        }


class MaterialForm(CrispyForm, forms.Form):
    """One file for a seminar, with its type and title; the file's content is checked later."""

    submit_label = _("Upload materiale")

    kind = forms.ChoiceField(label=_("Type"), choices=MaterialKind.choices)
    title = forms.CharField(
        label=_("Titel"), max_length=200, help_text=_("F.eks. “Slides: Driver diagram”.")
    )
    file = forms.FileField(
        label=_("Fil"),
        error_messages={"required": _("Vælg en fil at uploade.")},
        help_text=_(
            "PDF, PowerPoint (PPTX), Word (DOCX), Excel (XLSX) eller billede (PNG, JPEG); "
            "højst 25 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
    ) -> None:
        super().__init__(data, files, prefix="material")
        self._init_helper()
        self.helper.form_tag = False  # the page writes the <form> with its enctype
