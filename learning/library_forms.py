"""Forms of the learning library: the feed's search and idea filter, and the team choice of
"det vil vi også prøve"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TextRules
from core.params import id_from
from core.textsearch import MAX_LENGTH
from programmes.models import ChangeIdea
from teams.models import ImprovementTeam


class FeedFilterForm(TextRules, forms.Form):
    """Words to look for and a change idea; anything invalid is simply not applied."""

    q = forms.CharField(label=_("Søg i cyklusserne"), required=False, max_length=MAX_LENGTH)
    idea = forms.ChoiceField(label=_("Forandringsidé"), required=False)

    def __init__(self, data: Mapping[str, Any] | None, *, ideas: Iterable[ChangeIdea]) -> None:
        super().__init__(data)
        choices = [("", _("Alle idéer")), *((str(i.pk), i.title) for i in ideas)]
        cast(forms.ChoiceField, self.fields["idea"]).choices = choices
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "type": "search", "maxlength": MAX_LENGTH}
        )
        self.fields["idea"].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The valid filters: the words ('' when none or invalid) and the idea's id (or None)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"query": data.get("q") or "", "idea_id": id_from(data.get("idea"))}


class TryTooForm(TextRules, forms.Form):
    """Which of the person's teams will try it (offered only when there is more than one)."""

    team = forms.ModelChoiceField(
        label=_("For teamet"),
        queryset=ImprovementTeam.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Vælg det team, der vil prøve det."),
            "invalid_choice": _("Vælg et af dine egne teams i dette program."),
        },
    )

    def __init__(self, *args: Any, teams: Iterable[ImprovementTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["team"])
        field.queryset = ImprovementTeam.objects.filter(pk__in=[t.pk for t in teams])
