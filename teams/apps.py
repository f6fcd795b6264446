from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Forbedringsteams")

    def ready(self) -> None:
        from core.audit import audit_models

        audit_models(self)
        import teams.signals  # noqa: F401 -- connects the receivers
