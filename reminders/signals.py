"""The reminders listen to seminar changes and send the notices they call for (`notices`)."""

from __future__ import annotations

import logging
from typing import Any

from reminders.tasks import seminar_notices
from seminars.models import Registration, Seminar

log = logging.getLogger(__name__)


def on_seminar_changed(
    sender: type[Seminar],
    seminar: Seminar,
    change: str,
    invitations: list[int] | None = None,
    registration: Registration | None = None,
    **extra: Any,
) -> None:
    """Queue the seminar's notices; the change is committed whatever happens here."""
    if change == "planned":
        return  # nobody is invited yet
    try:
        seminar_notices.delay(
            seminar.pk, list(invitations or []), registration.pk if registration else None
        )
    except Exception:  # noqa: BLE001 -- a broker that is down must not fail the page
        # Updates and cancellations are still found by the next scan; invitations and
        # (un)registrations are not, and an administrator reads this in the log.
        log.exception("Seminar %s: the notices for “%s” could not be queued", seminar.pk, change)
