from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LktPortalConfig(AppConfig):
    """The composition root as an app: demo data, and pages that combine the other apps."""

    name = "lkt_portal"
    verbose_name = _("LKT-portalen")
