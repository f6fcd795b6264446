"""A mail ready to be rendered, and the seminar mail with its calendar file (.ics) attached."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.mime.text import MIMEText
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.text import one_line
from reminders import config, ics
from reminders.revisions import seminar_sequence
from seminars.models import Seminar


@dataclass
class Draft:
    """A reminder ready to be rendered: subject, template pair and what goes in them."""

    subject: str
    template: str
    context: dict[str, Any]
    revision: str = ""
    attachments: list[MIMEText] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Names stored before line breaks were refused must not break the header (or add one).
        self.subject = one_line(str(self.subject))


def seminar_url(seminar: Seminar) -> str:
    return config.site_url() + reverse("seminars:detail", args=[seminar.pk])


def seminar_draft(
    seminar: Seminar,
    recipient: User,
    *,
    subject: str,
    template: str,
    method: str,
    revision: str,
    context: dict[str, Any] | None = None,
) -> Draft:
    """A mail about the seminar with its .ics: the same UID always, the current SEQUENCE."""
    url = seminar_url(seminar)
    calendar = ics.seminar_calendar(
        seminar,
        method=method,
        sequence=seminar_sequence(seminar),
        attendee_email=recipient.email,
        attendee_name=recipient.get_full_name(),
        url=url,
        now=timezone.now(),
    )
    attachment = MIMEText(calendar.decode(), "calendar", "utf-8")
    attachment.set_param("method", method)
    attachment.add_header("Content-Disposition", "attachment", filename="seminar.ics")
    return Draft(
        subject=subject,
        template=template,
        context={"seminar": seminar, "programme": seminar.programme, "url": url, **(context or {})},
        revision=revision,
        attachments=[attachment],
    )
