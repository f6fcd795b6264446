from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brugere og roller")

    def ready(self) -> None:
        from accounts import (
            roles,  # noqa: F401 -- registers the role matrix with django-rules
            signals,  # noqa: F401 -- logins and failures to the security trail
        )
        from core.audit import audit_models

        audit_models(self, except_for=["SecurityEvent"])
