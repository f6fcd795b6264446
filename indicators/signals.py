"""A team joining, leaving or changing its start changes who must report a month, and so which
LKT-level months are provisional (`indicators.completeness`): re-analyse the programme's
LKT-level series once the change is committed. Teams cannot call us (indicators builds on
teams), hence a signal, which also sees changes made in the admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from indicators.models import Indicator
from teams.models import ImprovementTeam


def refresh_lkt_level(sender: type, instance: ImprovementTeam, **kwargs: Any) -> None:
    programme_id = instance.programme_id

    def refresh() -> None:
        from indicators.summaries import refresh_summaries

        ids = list(Indicator.objects.filter(programme_id=programme_id).values_list("pk", flat=True))
        refresh_summaries(ids, {})  # the LKT level only; the teams' own series are unchanged

    transaction.on_commit(refresh)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    for signal in (post_save, post_delete):
        signal.connect(refresh_lkt_level, sender=ImprovementTeam, dispatch_uid=f"lkt-{signal}")
