from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indikatorer og data")

    def ready(self) -> None:
        from core.audit import audit_models

        # SeriesSummary is a cache of analyses, rewritten on every write of measurements.
        audit_models(self, except_for=["SeriesSummary"])

        from indicators import page_cache, signals

        signals.connect()
        page_cache.connect()
