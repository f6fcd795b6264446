"""Template filters of the learning library."""

from __future__ import annotations

from django import template

from teams.models import ImprovementTeam

register = template.Library()


@register.filter
def other_than(teams: list[ImprovementTeam], team_id: int) -> list[ImprovementTeam]:
    """The person's teams but the one a cycle belongs to (a team builds on its own cycles)."""
    return [team for team in teams if team.pk != team_id]
