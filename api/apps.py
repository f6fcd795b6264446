from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API: tokens, reads and writes acting as the token's person."""

    name = "api"
    verbose_name = _("API")
