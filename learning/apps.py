from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Driver diagram, change package, PDSA cycles and the learning library."""

    name = "learning"
    verbose_name = _("Forbedringsarbejdet")
