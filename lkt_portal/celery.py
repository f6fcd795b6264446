"""The Celery app: configured from Django settings (CELERY_*), tasks discovered in every app."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkt_portal.settings")

app = Celery("lkt_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Beat runs in app.conf.timezone (CELERY_TIMEZONE: Europe/Copenhagen). The scanner finds what is
# due and sends it at once: no reminder waits as a delayed (eta) task, which Redis would deliver
# a second time after its visibility timeout (only retries wait, 8 minutes at most). A scan still
# queued when the next one is made has expired, so a worker that was down runs no backlog.
app.conf.beat_schedule = {
    "reminders-scan": {
        "task": "lkt_portal.reminders.scan",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 15 * 60},
    },
}
