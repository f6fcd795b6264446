"""The reminders' tunables; settings.py reads the adjustable ones from the environment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

# A claim older than this is taken to belong to a worker that died, and is taken over. It must
# be far longer than one send can take (SMTP_TIMEOUT bounds that), or a live send is doubled.
CLAIM_TIMEOUT = dt.timedelta(seconds=settings.REMINDERS_CLAIM_TIMEOUT)
SMTP_TIMEOUT = 30
# Attempts per reminder, across retries and take-overs, before it is marked failed.
MAX_ATTEMPTS = settings.REMINDERS_MAX_ATTEMPTS
# Exponential backoff between attempts: 60, 120, 240, 480 s. The cap stays far below Redis's
# visibility timeout (1 hour), past which a waiting retry would be delivered a second time.
RETRY_BACKOFF = settings.REMINDERS_RETRY_BACKOFF
RETRY_BACKOFF_MAX = 480
# How often beat runs the scanner; a scan still queued after this is dropped, the next one runs.
SCAN_EVERY = dt.timedelta(minutes=15)


def site_url() -> str:
    """The portal's address for links in e-mails (a worker has no request to ask)."""
    return str(settings.SITE_URL).rstrip("/")


def backoff(retries: int) -> int:
    """Seconds to wait before retry number `retries + 1`."""
    return min(RETRY_BACKOFF * 2**retries, RETRY_BACKOFF_MAX)
