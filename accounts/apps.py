from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brugere og roller")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 -- logins and failures to the security trail
