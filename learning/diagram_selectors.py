"""Reads for the driver diagram: the whole tree of a programme in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from programmes.models import ImprovementGoal, Programme
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus, DiagramRevision, Driver


@dataclass
class SecondaryNode:
    driver: Driver
    ideas: list[ChangeIdea] = field(default_factory=list)


@dataclass
class PrimaryNode:
    driver: Driver
    secondaries: list[SecondaryNode] = field(default_factory=list)


@dataclass
class Diagram:
    """The aim with its goals, the driver tree with the package's ideas, and the other ideas."""

    programme: Programme
    goals: list[ImprovementGoal]
    primaries: list[PrimaryNode]
    unplaced: list[ChangeIdea]  # in the package, not (or no longer) under a secondary driver
    proposed: list[ChangeIdea]
    declined: list[ChangeIdea]

    @property
    def package(self) -> list[ChangeIdea]:
        placed = [i for p in self.primaries for s in p.secondaries for i in s.ideas]
        return placed + self.unplaced

    @property
    def secondary_count(self) -> int:
        return sum(len(p.secondaries) for p in self.primaries)

    @property
    def secondaries(self) -> list[Driver]:
        return [s.driver for p in self.primaries for s in p.secondaries]


def diagram_of(programme: Programme) -> Diagram:
    """The programme's diagram: four queries whatever its size (goals, drivers, ideas, and the
    ideas' indicators)."""
    drivers = list(Driver.objects.filter(programme=programme).order_by("position", "id"))
    ideas = list(
        ChangeIdea.objects.filter(programme=programme)
        .select_related("proposed_by_team")
        .prefetch_related("indicators")
        .order_by("position", "id")
    )
    goals = list(programme.goals.select_related("indicator").order_by("order", "id"))
    primaries = {d.pk: PrimaryNode(d) for d in drivers if d.parent_id is None}
    secondaries: dict[int, SecondaryNode] = {}
    for driver in drivers:
        if driver.parent_id in primaries:
            node = SecondaryNode(driver)
            driver.parent = primaries[driver.parent_id].driver
            secondaries[driver.pk] = node
            primaries[driver.parent_id].secondaries.append(node)
    unplaced, proposed, declined = [], [], []
    for idea in ideas:
        if idea.status == ChangeIdeaStatus.PROPOSED:
            proposed.append(idea)
        elif idea.status == ChangeIdeaStatus.DECLINED:
            declined.append(idea)
        elif idea.driver_id in secondaries:
            secondaries[idea.driver_id].ideas.append(idea)
        else:
            unplaced.append(idea)
    return Diagram(programme, goals, list(primaries.values()), unplaced, proposed, declined)


def revisions_of(programme: Programme) -> QuerySet[DiagramRevision]:
    return DiagramRevision.objects.filter(programme=programme).select_related("changed_by")
