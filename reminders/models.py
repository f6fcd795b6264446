"""Reminder e-mails: a record of each one claimed or sent, and each person's choice of kinds."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    SEMINAR = "seminar", _("Påmindelser om seminarer")
    DATA = "data", _("Påmindelser om dataregistrering")
    DATA_LATE = "data_late", _("Oversigt over teams, der mangler data")
    MILESTONE = "milestone", _("Programmets milepæle (fastholdelsesplan)")
    SUSTAINMENT_REVIEW = "sustainment_review", _("Opfølgninger i fastholdelse")
    # Notices about a seminar, sent when something happens to it (`reminders.notices`). They
    # are recorded as SEMINAR records (one history per seminar and person); these kinds are the
    # choices a person makes about them.
    SEMINAR_INVITATION = "seminar_invitation", _("Invitationer til seminarer")
    SEMINAR_CHANGE = "seminar_change", _("Besked, når et seminar flyttes")
    SEMINAR_CANCELLATION = "seminar_cancellation", _("Besked, når et seminar aflyses")
    SEMINAR_REGISTRATION = "seminar_registration", _("Bekræftelse af tilmelding og afmelding")


class ReminderStatus(models.TextChoices):
    CLAIMED = "claimed", _("Under afsendelse")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Fejlet")


class SentReminder(models.Model):
    """One reminder to one person on one occasion: claimed before it is sent, marked after.

    The unique constraint is what makes each reminder go out once: whoever inserts the row (or
    takes over a claim that has gone stale) is the only one who may send it.
    """

    Kind = ReminderKind
    Status = ReminderStatus

    kind = models.CharField(_("type"), max_length=20, choices=ReminderKind.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("objekttype"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("objekt-id"))
    target = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modtager"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    occasion = models.CharField(
        _("anledning"),
        max_length=100,
        help_text=_("F.eks. “reminder-14d-2026-12-15”, “update-1234”, “cancel” eller “2026-10”."),
    )
    revision = models.CharField(
        _("version"),
        max_length=64,
        blank=True,
        help_text=_("Seminarets tid og sted, som e-mailen fortalte dem (et fingeraftryk)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.CLAIMED
    )
    claim_token = models.CharField(max_length=64, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("påbegyndt"))
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)

    class Meta:
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "occasion"],
                name="reminder_once_per_occasion",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="reminder_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="reminder_kind_object"),
            models.Index(fields=["status", "claimed_at"], name="reminder_status_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occasion} → {self.recipient_id}"


class ReminderPreference(models.Model):
    """A person's choice for one kind of reminder; no row means the kind is on."""

    Kind = ReminderKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="reminder_preferences",
    )
    kind = models.CharField(_("type"), max_length=20, choices=ReminderKind.choices)
    enabled = models.BooleanField(_("modtag e-mails"), default=True)
    changed_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("valg af påmindelser")
        verbose_name_plural = _("valg af påmindelser")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_preference_once"),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_preference_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        state = _("til") if self.enabled else _("fra")
        return f"{self.user_id}: {self.get_kind_display()} ({state})"


class SeminarRevision(models.Model):
    """What the reminders last told about a seminar's time and place, and its .ics SEQUENCE.

    The SEQUENCE grows by one each time a mail goes out after the time, place or cancellation
    changed, whoever changed them and however (a raw UPDATE too).
    """

    seminar = models.OneToOneField(
        "seminars.Seminar", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("seminarversion")
        verbose_name_plural = _("seminarversioner")

    def __str__(self) -> str:
        return f"{self.seminar_id}: {self.sequence}"
