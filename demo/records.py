"""Writing demo rows by stable key, and counting what a run added."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

from accounts.models import User
from demo.specs import Login
from indicators.models import Indicator, Measurement
from programmes.models import (
    ExpertGroup,
    ExpertMember,
    ImprovementGoal,
    Organisation,
    Programme,
    ProgrammeLead,
    ProgrammeStatusChange,
    Region,
    RegionalCoordinator,
)
from programmes.models.changes import ChangeIdea, Driver
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, PDSACycle, TeamMember

M = TypeVar("M", bound=models.Model)

SUMMARY_MODELS: tuple[type[models.Model], ...] = (
    User,
    Region,
    Organisation,
    Programme,
    ProgrammeStatusChange,
    ImprovementGoal,
    ExpertGroup,
    ExpertMember,
    ProgrammeLead,
    RegionalCoordinator,
    ImprovementTeam,
    TeamMember,
    Driver,
    ChangeIdea,
    PDSACycle,
    Seminar,
    SeminarInvitation,
    Registration,
    Indicator,
    Measurement,
)


def ensure(model: type[M], defaults: dict[str, Any] | None = None, **key: Any) -> M:
    """The row with this stable key; created from `defaults` when missing, else left alone.

    Leaving present rows alone is what makes a later run harmless: dates computed from a later
    "today" never move what an earlier run (or a user) wrote.
    """
    obj = model._default_manager.filter(**key).first()
    if obj is None:
        obj = model(**key, **(defaults or {}))
        validate(obj)
        obj.save()
    return obj


def validate(obj: models.Model) -> None:
    """Fields and clean(); the database itself enforces keys, uniqueness and constraints.

    Asking it beforehand as well would more than double the queries of a first load.
    """
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def model_counts(models_: Iterable[type[models.Model]] = SUMMARY_MODELS) -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in models_}


@dataclass(frozen=True)
class DemoSummary:
    """Rows per model after loading, the rows this run added, and the demo logins."""

    counts: dict[str, int]
    added: dict[str, int]
    logins: tuple[Login, ...]
    password: str

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def rows(self) -> list[tuple[str, int, int]]:
        """(Danish plural name, rows, rows added) per model, in SUMMARY_MODELS order."""
        return [
            (
                _capitalised(str(model._meta.verbose_name_plural)),
                self.counts[model._meta.label],
                self.added[model._meta.label],
            )
            for model in SUMMARY_MODELS
        ]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
