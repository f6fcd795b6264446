from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for development: the ten real LKTs with fictional people, dated from today."""

    name = "demo"
    verbose_name = _("Demodata")
