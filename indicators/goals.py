"""Each improvement goal's progress: the latest complete value of its indicator at the LKT level
against the goal's target, and the target assurance (SPC.md) against that target.

Goals live in `programmes` (which imports no indicators); their progress is computed here and
reaches the programme page through the template tag `goal_progress`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.months import data_deadline
from indicators.icons import SpcIcons, icons_for_analysis
from indicators.models import ChartChange, Direction, Indicator
from indicators.selectors import programme_months
from indicators.summaries import analyse_series, points_of, summaries_for
from programmes.models import ImprovementGoal


@dataclass(frozen=True)
class GoalProgress:
    goal: ImprovementGoal
    indicator: Indicator | None
    month: dt.date | None  # of the latest complete value
    value: float | None
    met: bool | None  # None: no value, no target or no better direction
    icons: SpcIcons

    @property
    def assurance_label(self) -> str:
        return self.icons.assurance_label


def goals_progress(goals: Iterable[ImprovementGoal]) -> list[GoalProgress]:
    """The goals' progress in a fixed number of queries (their indicators' stored summaries
    and chart changes); the goals must have `indicator__programme` loaded."""
    goals = list(goals)
    indicators = {g.indicator_id: g.indicator for g in goals if g.indicator is not None}
    summaries = summaries_for(list(indicators.values())) if indicators else {}
    changes: dict[int, list[ChartChange]] = {}
    for change in ChartChange.objects.filter(indicator_id__in=list(indicators), team__isnull=True):
        changes.setdefault(change.indicator_id, []).append(change)
    today = timezone.localdate()
    result = []
    for goal in goals:
        indicator = goal.indicator
        summary = summaries.get((indicator.pk, None)) if indicator is not None else None
        if indicator is None or summary is None or goal.target_value is None:
            result.append(GoalProgress(goal, indicator, None, None, None, SpcIcons(None, None)))
            continue
        months = programme_months(indicator.programme)
        # The chart as it would be with the goal's target: assurance is judged against it.
        against_goal = copy.copy(indicator)
        against_goal.target = goal.target_value
        parts, plotted = analyse_series(
            against_goal,
            months,
            points_of(summary, months),
            changes.get(indicator.pk, []),
            lkt=True,
        )
        deadline = indicator.programme.data_deadline_day
        complete = [
            (month, value)
            for month, value in zip(months, plotted, strict=False)
            if value is not None and data_deadline(month, deadline) < today
        ]
        month, value = complete[-1] if complete else (None, None)
        result.append(
            GoalProgress(
                goal,
                indicator,
                month,
                value,
                _met(value, goal.target_value, indicator.better_direction),
                icons_for_analysis(parts[-1] if parts else None),
            )
        )
    return result


def _met(value: float | None, target: Decimal, direction: str) -> bool | None:
    if value is None or direction == Direction.NONE:
        return None
    if direction == Direction.UP:
        return value >= float(target)
    return value <= float(target)
