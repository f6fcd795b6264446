"""A team's measurement history: every version django-simple-history kept, as who/when/old → new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.numbers import trimmed
from indicators.models import Measurement
from teams.models import ImprovementTeam

# The fields a person types in the month form; the rest (who, when) are the version's own.
TRACKED = ("numerator", "denominator", "value", "comment")


@dataclass(frozen=True)
class Change:
    label: str
    old: Decimal | str | None
    new: Decimal | str | None


def _shown(value: object) -> Decimal | str | None:
    return trimmed(value) if isinstance(value, Decimal) else value  # type: ignore[return-value]


@dataclass(frozen=True)
class Version:
    when: dt.datetime
    who: str
    indicator: str
    period: dt.date
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[Change]


def measurement_history(team: ImprovementTeam, period: dt.date | None = None) -> list[Version]:
    """The team's versions, newest first; each compared with the version before it (one query)."""
    rows = Measurement.history.filter(team_id=team.pk).select_related("history_user", "indicator")
    if period is not None:
        rows = rows.filter(period_start=period)
    fields = {field.name: field for field in Measurement._meta.concrete_fields}
    labels = {name: str(fields[name].verbose_name) for name in TRACKED}
    previous: dict[int, object] = {}
    versions: list[Version] = []
    for row in rows.order_by("id", "history_date", "history_id"):
        before = previous.get(row.id)
        changes = [
            Change(labels[name], _shown(getattr(before, name, None)), _shown(getattr(row, name)))
            for name in TRACKED
            if row.history_type != "-"
            and (
                before is None
                and getattr(row, name) not in (None, "")
                or before is not None
                and getattr(before, name) != getattr(row, name)
            )
        ]
        previous[row.id] = row
        user = row.history_user
        versions.append(
            Version(
                when=row.history_date,
                who=(user.get_full_name() or user.email) if user else "",
                indicator=row.indicator.name if row.indicator_id else "",
                period=row.period_start,
                kind=row.history_type,
                changes=changes,
            )
        )
    versions.sort(key=lambda v: v.when, reverse=True)
    return versions
