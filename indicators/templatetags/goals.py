"""`{% goal_progress goals as rows %}`: the improvement goals' progress for the programme page
(programmes imports no indicators; its template asks here)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from indicators.goals import GoalProgress, goals_progress
from indicators.icons import SpcIcons
from programmes.models import ImprovementGoal

register = template.Library()


@register.simple_tag
def goal_progress(goals: Iterable[ImprovementGoal], *, results: bool) -> list[GoalProgress]:
    """With `results` False (the programme's results are closed to the reader) the goals only,
    without their indicators' values."""
    if not results:
        return [GoalProgress(g, g.indicator, None, None, None, SpcIcons(None, None)) for g in goals]
    return goals_progress(goals)
