"""Forms for administering people: the invitation into a team or expert group, the user search."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import PortalForm
from core.forms import TextRules
from core.params import id_from
from people.selectors import ACTIVE, DEACTIVATED, EXPIRED, INVITED
from programmes.models import ExpertGroup, ExpertMember, Organisation
from teams.models import ImprovementTeam, TeamMember

TEAM, GROUP = "team", "group"


def target_value(target: ImprovementTeam | ExpertGroup) -> str:
    """The <option> value of a team or expert group, e.g. `team:12`."""
    kind = TEAM if isinstance(target, ImprovementTeam) else GROUP
    return f"{kind}:{target.pk}"


class InviteForm(PortalForm, forms.Form):
    """Whom to invite (or attach, when they already have a user) to which team or expert group."""

    submit_label = gettext_lazy("Invitér")

    email = forms.EmailField(label=gettext_lazy("E-mailadresse"))
    first_name = forms.CharField(label=gettext_lazy("Fornavn"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Efternavn"), max_length=150)
    target = forms.CharField(label=gettext_lazy("Team eller ekspertgruppe"), widget=forms.Select)
    role = forms.ChoiceField(
        label=gettext_lazy("Rolle"),
        choices=[
            ("", "---------"),
            (gettext_lazy("Roller i et forbedringsteam"), TeamMember.Role.choices),
            (gettext_lazy("Roller i en ekspertgruppe"), ExpertMember.Role.choices),
        ],
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Ingen / ikke angivet"),
        help_text=gettext_lazy(
            "Hvor personen arbejder. For et team: en af teamets organisationer."
        ),
    )
    sector = forms.ChoiceField(
        label=gettext_lazy("Sektor"),
        required=False,
        choices=[("", "---------"), *ExpertMember.Sector.choices],
        help_text=gettext_lazy("Kun for medlemmer af en ekspertgruppe."),
    )

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[ImprovementTeam],
        groups: QuerySet[ExpertGroup],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        team_choices = [
            (target_value(t), f"{t.programme.name} – {t.name} ({t.region.name})") for t in teams
        ]
        group_choices = [
            (target_value(g), _("Ekspertgruppen for %(programme)s") % {"programme": g.programme})
            for g in groups
        ]
        choices: list = [("", "---------")]
        if team_choices:
            choices.append((_("Forbedringsteams"), team_choices))
        if group_choices:
            choices.append((_("Ekspertgrupper"), group_choices))
        self.fields["target"].widget.choices = choices
        self._offer_organisations(teams, any_organisation=bool(group_choices))
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self._init_helper()

    def _offer_organisations(
        self, teams: QuerySet[ImprovementTeam], *, any_organisation: bool
    ) -> None:
        """The offered teams' organisations (every organisation when an expert group is offered:
        its members come from anywhere), grouped by kind; never a region."""
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        offered = Organisation.objects.exclude(kind=Organisation.Kind.REGION)
        if not any_organisation:
            offered = offered.filter(teams__in=teams).distinct()
        field.queryset = offered.order_by("kind", "name")
        field.error_messages["invalid_choice"] = _("Vælg en organisation på listen.")
        groups: dict[str, list[tuple[int, str]]] = {}
        for organisation in field.queryset:
            groups.setdefault(organisation.get_kind_display(), []).append(
                (organisation.pk, organisation.name)
            )
        field.choices = [("", field.empty_label), *groups.items()]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_target(self) -> ImprovementTeam | ExpertGroup:
        """The chosen team or expert group; whether the user may invite to it is the view's job."""
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        models: dict[str, type[ImprovementTeam] | type[ExpertGroup]]
        models = {TEAM: ImprovementTeam, GROUP: ExpertGroup}
        model = models.get(kind)
        target: ImprovementTeam | ExpertGroup | None = None
        target_id = id_from(pk)
        if model is not None and target_id is not None:
            target = model.objects.select_related("programme").filter(pk=target_id).first()
        if target is None:
            raise forms.ValidationError(_("Vælg et team eller en ekspertgruppe på listen."))
        return target

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        target, role = data.get("target"), data.get("role")
        if isinstance(target, ImprovementTeam) and role and role not in TeamMember.Role.values:
            self.add_error("role", _("Vælg en af rollerne for et forbedringsteam."))
        if isinstance(target, ExpertGroup):
            if role and role not in ExpertMember.Role.values:
                self.add_error("role", _("Vælg en af rollerne for en ekspertgruppe."))
            if not data.get("sector"):
                self.add_error("sector", _("Vælg personens sektor i ekspertgruppen."))
        organisation = data.get("organisation")
        if (
            isinstance(target, ImprovementTeam)
            and organisation is not None
            and not target.organisations.filter(pk=organisation.pk).exists()
        ):
            self.add_error(
                "organisation",
                _("%(organisation)s er ikke med i teamet %(team)s. Vælg en af teamets "
                  "organisationer: %(names)s.")
                % {"organisation": organisation, "team": target.name,
                   "names": ", ".join(o.name for o in target.organisations.order_by("name"))},
            )  # fmt: skip
        return data


class UserSearchForm(TextRules, forms.Form):
    """The search box and status filter above the user list."""

    q = forms.CharField(label=gettext_lazy("Søg efter navn eller e-mail"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("Alle")),
            (ACTIVE, gettext_lazy("Aktive")),
            (INVITED, gettext_lazy("Inviterede")),
            (EXPIRED, gettext_lazy("Invitation udløbet")),
            (DEACTIVATED, gettext_lazy("Deaktiverede")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search"})
        self.fields["status"].widget.attrs["class"] = "form-select"
