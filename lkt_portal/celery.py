"""The Celery app: configured from Django settings (CELERY_*), tasks discovered in every app."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkt_portal.settings")

app = Celery("lkt_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("lkt_portal.tasks",)
# Periodic jobs (reminders) are added to app.conf.beat_schedule by the issues that build them.
app.conf.beat_schedule = {}
