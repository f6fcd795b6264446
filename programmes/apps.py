from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmer (LKT'er)")

    def ready(self) -> None:
        from core.audit import audit_models

        audit_models(self)
        import programmes.signals  # noqa: F401 -- connects the receivers
