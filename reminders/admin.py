"""Admin for reminders: failed ones are visible, filterable and can be sent again."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reminders.delivery import reminders_retry
from reminders.models import ReminderPreference, ReminderStatus, SentReminder
from reminders.tasks import send_reminder

logger = logging.getLogger(__name__)


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "about",
        "recipient",
        "occasion",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "claimed_at"]
    search_fields = ["recipient__email", "occasion", "last_error"]
    list_select_related = ["recipient", "content_type"]
    date_hierarchy = "claimed_at"
    readonly_fields = [
        "kind",
        "content_type",
        "object_id",
        "target",
        "recipient",
        "occasion",
        "revision",
        "status",
        "claimed_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    actions = ["retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SentReminder]:
        return super().get_queryset(request).prefetch_related("target")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("vedrørende"))
    def about(self, record: SentReminder) -> str:
        return f"{capfirst(record.content_type.name)}: {record.target or record.object_id}"

    @admin.display(description=_("fejl"))
    def short_error(self, record: SentReminder) -> str:
        return record.last_error[:120]

    @admin.action(description=_("Send de valgte fejlede påmindelser igen"))
    def retry(self, request: HttpRequest, queryset: QuerySet[SentReminder]) -> None:
        with transaction.atomic():
            retried = reminders_retry(queryset)
        queued, stuck = 0, 0
        for due, token in retried:
            # Queue each after the claim is committed; a broker that is down must not leave a
            # claim with no task behind it, so that reminder goes back to "failed".
            try:
                send_reminder.apply_async(args=due.key, task_id=token)
                queued += 1
            except Exception as exc:  # noqa: BLE001 -- any broker error means "not queued"
                logger.warning("Could not queue reminder %s: %s", due.key, exc)
                SentReminder.objects.filter(claim_token=token).update(
                    status=ReminderStatus.FAILED, last_error=f"Ikke sat i kø: {exc}"[:1000]
                )
                stuck += 1
        if queued or not stuck:
            self.message_user(
                request,
                ngettext(
                    "%(count)d påmindelse sendes igen.",
                    "%(count)d påmindelser sendes igen.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS if queued else messages.WARNING,
            )
        if stuck:
            self.message_user(
                request,
                _gettext("%(count)d kunne ikke sættes i kø, fordi jobkøen ikke svarer. Prøv igen.")
                % {"count": stuck},
                messages.ERROR,
            )


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "changed_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
