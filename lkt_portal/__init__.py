"""The LKT portal's project package: settings, URLs, the Celery app and the composing pages."""

from lkt_portal.celery import app as celery_app

__all__ = ("celery_app",)
