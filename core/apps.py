from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses: months and deadlines, pagination, forms, template tags."""

    name = "core"
    verbose_name = _("Fælles")
