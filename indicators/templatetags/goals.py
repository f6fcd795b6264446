"""`{% goal_progress goals as rows %}`: the improvement goals' progress for the programme page
(programmes imports no indicators; its template asks here)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from indicators.goals import GoalProgress, goals_progress
from programmes.models import ImprovementGoal

register = template.Library()


@register.simple_tag
def goal_progress(goals: Iterable[ImprovementGoal]) -> list[GoalProgress]:
    return goals_progress(goals)
