from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import audit_views, forms, two_factor, views
from accounts.ratelimit import by_client, by_posted_email, rate_limited

# Each request for a reset link sends a mail: limited per client and per address asked for.
_reset_limits = [
    rate_limited("password_reset_client", key=by_client, methods=("POST",)),
    rate_limited("password_reset_address", key=by_posted_email, methods=("POST",)),
]
_password_reset = auth_views.PasswordResetView.as_view(
    form_class=forms.PasswordResetForm,
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
for _limit in _reset_limits:
    _password_reset = _limit(_password_reset)

# One's own account. lkt_portal/urls.py serves these together with `people.urls` under
# /brugere/ in the namespace "accounts".
app_name = "accounts"
urlpatterns = [
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("totrin/", two_factor.setup_two_factor, name="two_factor_setup"),
    path("totrin/kode/", two_factor.verify_two_factor, name="two_factor_verify"),
    path("totrin/reservekoder/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("revisionsspor/", audit_views.audit_trail, name="audit"),
    path(
        "min-profil/adgangskode/",
        auth_views.PasswordChangeView.as_view(
            form_class=forms.PasswordChangeForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "min-profil/adgangskode/skiftet/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("glemt-adgangskode/", _password_reset, name="password_reset"),
    path(
        "glemt-adgangskode/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nulstil/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.SetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "nulstil/faerdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
