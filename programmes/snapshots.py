"""The driver diagram as plain data, for its revisions (`DiagramRevision.snapshot`)."""

from __future__ import annotations

from typing import Any

from programmes.models import Programme
from programmes.models.changes import ChangeIdea, Driver


def diagram_snapshot(programme: Programme) -> dict[str, Any]:
    """The whole diagram as plain data: aim, drivers in order, ideas with status and indicators."""
    drivers = list(Driver.objects.filter(programme=programme).order_by("position", "id"))
    ideas = list(
        ChangeIdea.objects.filter(programme=programme)
        .order_by("position", "id")
        .prefetch_related("indicators")
    )
    return {
        "aim": programme.aim,
        "drivers": [
            {
                "id": d.pk,
                "parent": d.parent_id,
                "title": d.title,
                "description": d.description,
                "position": d.position,
            }
            for d in drivers
        ],
        "ideas": [
            {
                "id": i.pk,
                "driver": i.driver_id,
                "title": i.title,
                "description": i.description,
                "source": i.source,
                "source_detail": i.source_detail,
                "status": i.status,
                "proposed_by_team": i.proposed_by_team_id,
                "indicators": sorted(ind.pk for ind in i.indicators.all()),
                "position": i.position,
            }
            for i in ideas
        ],
    }
