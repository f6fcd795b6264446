"""Every change to the domain's rows is logged with who, when and what (django-auditlog).

Each app registers its own models from its `AppConfig.ready()`. Measurements also keep their
full version history (django-simple-history), which covers bulk writes that bypass signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import AppConfig
from django.conf import settings


def audit_models(app: AppConfig, *, except_for: Iterable[str] = ()) -> None:
    """Register the app's models with the audit trail, but for history tables and `except_for`.

    Caches and logs of their own (summaries, security events, sent reminders) go in
    `except_for`: they are rewritten or appended by the portal itself, never edited by people.
    """
    from auditlog.registry import auditlog

    skipped = set(except_for)
    for model in app.get_models():
        name = model.__name__
        if name.startswith("Historical") or name in skipped or auditlog.contains(model):
            continue
        fields = {f.name for f in model._meta.get_fields()}
        excluded = [f for f in settings.AUDIT_EXCLUDED_FIELDS if f in fields]
        auditlog.register(model, exclude_fields=excluded)
