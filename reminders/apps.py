from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminder e-mails (seminars, data deadlines, milestones) sent by Celery beat and workers.

    The label stays `lkt_portal`: these models were born in the project package, and keeping the
    label keeps their tables (`lkt_portal_sentreminder`, …), their migration history and the
    admin's URL names (`admin:lkt_portal_sentreminder_changelist`) exactly as they were, with no
    migration at all. The project package `lkt_portal` itself is no longer an app.
    """

    name = "reminders"
    label = "lkt_portal"
    verbose_name = _("Påmindelser")

    def ready(self) -> None:
        from core.audit import audit_models

        audit_models(self, except_for=["SentReminder"])

        from reminders.signals import on_seminar_changed
        from seminars.services import seminar_changed

        seminar_changed.connect(on_seminar_changed, dispatch_uid="reminders.seminar_notices")
