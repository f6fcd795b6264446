from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Administering people across apps: invitations into teams and expert groups, the user list,
    (de)activation, the profile's roles and the personal-data export. It sits above `accounts`,
    `programmes`, `teams`, `seminars` and `indicators`, which it reads and writes."""

    name = "people"
    verbose_name = _("Personer")
