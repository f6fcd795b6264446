"""Forms for one's own account: the profile and Django's password forms (crispy)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core import validators
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessToken, User
from core.forms import CrispyForm, TextRules


class PortalForm(CrispyForm):
    """`CrispyForm` without the browser's own checks: every error message is the portal's Danish."""

    def _init_helper(self) -> None:
        super()._init_helper()
        self.helper.attrs = {"novalidate": ""}


class ProfileForm(PortalForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "organisation_text"]
        labels = {"first_name": gettext_lazy("Fornavn"), "last_name": gettext_lazy("Efternavn")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self._init_helper()


class PasswordRulesOnFirstField:
    """The password rules' messages under the password typed, not under its repetition.

    Django's set-password forms put "too short" or "too common" under the second field; the
    repetition is checked first, and a mismatch is the only error shown for it.
    """

    cleaned_data: dict[str, Any]
    errors: Any

    def validate_password_for_user(self, user: User, *args: Any, **kwargs: Any) -> None:
        if "new_password2" in self.errors:
            return
        super().validate_password_for_user(user, "new_password1")  # type: ignore[misc]


class AcceptInvitationForm(PasswordRulesOnFirstField, PortalForm, auth_forms.SetPasswordForm):
    submit_label = gettext_lazy("Gem adgangskode og log ind")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Vælg en adgangskode")
        self.fields["new_password2"].label = _("Gentag adgangskoden")
        self._init_helper()


class PasswordChangeForm(PasswordRulesOnFirstField, PortalForm, auth_forms.PasswordChangeForm):
    submit_label = gettext_lazy("Skift adgangskode")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()


class PasswordResetForm(PortalForm, auth_forms.PasswordResetForm):
    submit_label = gettext_lazy("Send link")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mailadresse")
        self._init_helper()


class SetPasswordForm(PasswordRulesOnFirstField, PortalForm, auth_forms.SetPasswordForm):
    submit_label = gettext_lazy("Gem ny adgangskode")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()


class LoginForm(TextRules, auth_forms.AuthenticationForm):
    """Django's login form, with the lengths enforced before anything is looked up or logged.

    Django only sets `max_length` on the username field's widget; a 20,000-character "e-mail"
    then reached django-axes' failure record (255 characters) as a database error. A password
    longer than any real one is refused too, before Argon2 spends time on it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, limit in (("username", 254), ("password", 1_000)):
            field = cast(forms.CharField, self.fields[name])
            field.max_length = limit
            field.validators.append(validators.MaxLengthValidator(limit))


class AccessTokenForm(PortalForm, forms.Form):
    """A new personal access token for the API: a name, read or write, and days until it expires."""

    submit_label = gettext_lazy("Lav nøgle")

    name = forms.CharField(
        label=gettext_lazy("Navn"),
        max_length=100,
        help_text=gettext_lazy("Hvad nøglen bruges til, f.eks. “Datavarehus, månedlig levering”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Adgang"),
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=gettext_lazy("Gyldig i (dage)"),
        min_value=1,
        max_value=AccessToken.MAX_DAYS,
        initial=90,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_helper()
        self.helper.form_action = reverse("accounts:token_create")
        self.helper.form_id = "api-token-form"
