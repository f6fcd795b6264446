"""Writes of PDSA cycles from the learning pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from programmes.models import ChangeIdea
from teams.models import ImprovementTeam, PDSACycle, PDSAState


@transaction.atomic
def cycle_try_too(
    *,
    source_cycle: PDSACycle | None = None,
    idea: ChangeIdea | None = None,
    team: ImprovementTeam,
    by: User,
) -> PDSACycle:
    """A planned cycle for `team` that tries another team's cycle, or a change idea, too: the
    idea (or the team's own idea) carried over, the source cycle named as the inspiration, the
    plan left to the team."""
    if (source_cycle is None) == (idea is None):
        raise ValueError("Give either a source cycle or a change idea.")
    if source_cycle is not None:
        idea = source_cycle.change_idea
        title = source_cycle.title
    else:
        assert idea is not None
        title = idea.title
    programme_id = source_cycle.team.programme_id if source_cycle else idea.programme_id  # type: ignore[union-attr]
    if programme_id != team.programme_id:
        raise ValidationError(_("Cyklussen eller idéen hører til et andet program end teamet."))
    cycle = PDSACycle(
        team=team,
        title=title,
        change_idea=idea,
        own_idea=source_cycle.own_idea if source_cycle and idea is None else "",
        inspired_by=source_cycle,
        state=PDSAState.PLANNED,
        started_on=timezone.localdate(),
        created_by=by,
    )
    cycle.full_clean()
    cycle.save()
    return cycle
