"""A seminar's revision: a fingerprint of its time and place, and the .ics SEQUENCE for it."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from reminders.models import SeminarRevision
from seminars.models import Seminar


def seminar_fingerprint(seminar: Seminar) -> str:
    """What a participant's calendar must follow: time, place, and whether it is cancelled."""
    text = "|".join(
        [
            seminar.starts_at.astimezone(dt.UTC).isoformat(),
            seminar.ends_at.astimezone(dt.UTC).isoformat(),
            seminar.place,
            seminar.address,
            "cancelled" if seminar.cancelled_at else "",
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def expected_sequence(seminar: Seminar, stored: SeminarRevision | None) -> int:
    """The SEQUENCE the next mail will carry; read only, for the scanner."""
    if stored is None:
        return 0
    return stored.sequence + (stored.fingerprint != seminar_fingerprint(seminar))


@transaction.atomic
def seminar_sequence(seminar: Seminar) -> int:
    """The SEQUENCE for a mail about the seminar now, one higher if it changed since the last."""
    fingerprint = seminar_fingerprint(seminar)
    revision, created = SeminarRevision.objects.select_for_update().get_or_create(
        seminar=seminar, defaults={"fingerprint": fingerprint}
    )
    if not created and revision.fingerprint != fingerprint:
        revision.fingerprint = fingerprint
        revision.sequence += 1
        revision.save(update_fields=["fingerprint", "sequence"])
    return revision.sequence
