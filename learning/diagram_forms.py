"""Forms of the driver diagram's edit pages: the aim, a driver, a change idea, a decision on a
team's proposal."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyForm
from programmes.models import Programme
from programmes.models.changes import ChangeIdea, Driver


def _primaries(programme: Programme) -> Any:
    return Driver.objects.filter(programme=programme, parent__isnull=True).order_by("position")


def _secondaries(programme: Programme) -> Any:
    return (
        Driver.objects.filter(programme=programme, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__position", "parent_id", "position", "id")
    )


class SecondaryChoice(forms.ModelChoiceField):
    """A secondary driver, named with its primary driver."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.title} → {obj.title}"


class AimForm(CrispyForm, forms.ModelForm):
    submit_label = _("Gem målsætningen")

    class Meta:
        model = Programme
        fields = ["aim"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()
        self.helper.form_action = ""


class DriverForm(CrispyForm, forms.ModelForm):
    """A primary driver (no primary above it) or a secondary one (under a primary driver)."""

    submit_label = _("Gem drivkraften")

    class Meta:
        model = Driver
        fields = ["parent", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, secondary: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        if secondary:
            parent.queryset = _primaries(self.instance.programme)
            parent.required = True
            parent.help_text = ""
        else:
            del self.fields["parent"]
        self._init_helper()


class ChangeIdeaForm(CrispyForm, forms.ModelForm):
    submit_label = _("Gem forandringsidéen")

    class Meta:
        model = ChangeIdea
        fields = ["driver", "title", "description", "source", "source_detail", "indicators"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.CheckboxSelectMultiple,
        }
        field_classes = {"driver": SecondaryChoice}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.instance.programme
        driver = cast(forms.ModelChoiceField, self.fields["driver"])
        driver.queryset = _secondaries(programme)
        driver.required = self.instance.status == ChangeIdea.Status.PACKAGE
        indicators = cast(forms.ModelMultipleChoiceField, self.fields["indicators"])
        indicators.queryset = programme.indicators.filter(is_active=True).order_by("order", "name")
        self._init_helper()


class DecideForm(CrispyForm, forms.Form):
    """Accept a team's proposed idea into the package (under a secondary driver) or decline it."""

    decision = forms.ChoiceField(
        label=_("Afgørelse"),
        choices=[("accept", _("Optag i forandringspakken")), ("decline", _("Optag ikke"))],
    )
    driver = SecondaryChoice(
        label=_("Under den sekundære drivkraft"), queryset=Driver.objects.none(), required=False
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(SecondaryChoice, self.fields["driver"]).queryset = _secondaries(programme)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "accept" and not data.get("driver"):
            self.add_error("driver", _("Vælg den sekundære drivkraft, idéen skal ligge under."))
        return data
