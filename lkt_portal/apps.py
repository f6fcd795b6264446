from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LktPortalConfig(AppConfig):
    """The composition root as an app: roles, demo data, and pages that combine the other apps."""

    name = "lkt_portal"
    verbose_name = _("LKT-portalen")

    def ready(self) -> None:
        from lkt_portal import roles  # noqa: F401 -- registers the role matrix with django-rules

        _register_audit_trail()


def _register_audit_trail() -> None:
    """Every change to the domain's rows is logged with who, when and what (django-auditlog).

    Measurements also keep their full version history (django-simple-history), which covers
    bulk writes that bypass model signals.
    """
    from auditlog.registry import auditlog
    from django.apps import apps
    from django.conf import settings

    for label in ["accounts", "programmes", "teams", "seminars", "indicators", "lkt_portal"]:
        for model in apps.get_app_config(label).get_models():
            name = model.__name__
            # SeriesSummary is a cache of analyses, rewritten on every write of measurements.
            if name.startswith("Historical") or name in {
                "SecurityEvent",
                "SentReminder",
                "SeriesSummary",
            }:
                continue
            if not auditlog.contains(model):
                fields = {f.name for f in model._meta.get_fields()}
                excluded = [f for f in settings.AUDIT_EXCLUDED_FIELDS if f in fields]
                auditlog.register(model, exclude_fields=excluded)
