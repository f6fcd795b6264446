from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatusConfig(AppConfig):
    """The steering group's status pages: overview, programme, indicator and region views."""

    name = "status"
    verbose_name = _("Status for styregruppen")
