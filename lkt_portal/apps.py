from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LktPortalConfig(AppConfig):
    """The composition root as an app: roles, demo data, and pages that combine the other apps."""

    name = "lkt_portal"
    verbose_name = _("LKT-portalen")

    def ready(self) -> None:
        from lkt_portal import roles  # noqa: F401 -- registers the role matrix with django-rules
