"""Writes for the teams' PDSA cycles: create, edit, and "det vil vi også prøve" (a planned cycle
after another team's cycle or an idea of the change package). Each write is validated whole
(`full_clean`, the indicators' programme) in one transaction and leaves one history version
(django-simple-history, with the indicators) naming who made it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from indicators.models import Indicator
from learning.diagram_services import idea_propose
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus
from teams.models import ImprovementTeam, PDSACycle

# What a team member writes; `team`, `created_by` and the history are the services' own.
EDITABLE = frozenset(
    {
        "title",
        "change_idea",
        "own_idea",
        "indicators",
        "builds_on",
        "inspired_by",
        "state",
        "prediction",
        "who",
        "where",
        "plan",
        "do",
        "observations",
        "study",
        "act",
        "decision",
        "started_on",
        "ended_on",
    }
)


@transaction.atomic
def cycle_create(
    *, team: ImprovementTeam, by: User | None, propose_idea: bool = False, **fields: Any
) -> PDSACycle:
    """A new cycle of the team (`propose_idea`: its own idea goes to the change package too)."""
    cycle = PDSACycle(team=team, created_by=by)
    if "started_on" not in fields:
        fields["started_on"] = timezone.localdate()
    return _write(cycle, by, fields, propose_idea=propose_idea)


@transaction.atomic
def cycle_update(
    *, cycle: PDSACycle, by: User | None, propose_idea: bool = False, **fields: Any
) -> PDSACycle:
    """Change the cycle's fields (those given); the team and its author stay."""
    locked = PDSACycle.objects.select_for_update().select_related("team").get(pk=cycle.pk)
    return _write(locked, by, fields, propose_idea=propose_idea)


@transaction.atomic
def cycle_try_too(
    *,
    source_cycle: PDSACycle | None = None,
    idea: ChangeIdea | None = None,
    team: ImprovementTeam,
    by: User | None,
) -> PDSACycle:
    """ "Det vil vi også prøve": a planned cycle of `team` testing another team's cycle's idea
    (`inspired_by` set) or an idea of the change package, starting today. The prediction is left
    to the team: it is theirs to make."""
    if (source_cycle is None) == (idea is None):
        raise ValidationError(_("Vælg enten en cyklus eller en forandringsidé at prøve."))
    indicators: Iterable[Indicator]
    if source_cycle is not None:
        if source_cycle.team_id == team.pk:
            raise ValidationError(_("Cyklussen er teamets egen; byg videre på den i stedet."))
        if source_cycle.team.programme_id != team.programme_id:
            raise ValidationError(_("Cyklussen hører til et andet program."))
        fields: dict[str, Any] = {
            "title": source_cycle.title,
            "change_idea": source_cycle.change_idea,
            "own_idea": source_cycle.own_idea,
            "inspired_by": source_cycle,
        }
        indicators = source_cycle.indicators.all()
    else:
        assert idea is not None  # noqa: S101 -- one of the two, checked above
        if idea.programme_id != team.programme_id:
            raise ValidationError(_("Forandringsidéen hører ikke til teamets program."))
        if idea.status == ChangeIdeaStatus.DECLINED:
            raise ValidationError(_("Idéen er ikke optaget i forandringspakken."))
        fields = {"title": idea.title, "change_idea": idea}
        indicators = idea.indicators.all()
    fields["indicators"] = [i for i in indicators if i.programme_id == team.programme_id]
    fields["state"] = PDSACycle.State.PLANNED
    fields["started_on"] = timezone.localdate()
    return _write(PDSACycle(team=team, created_by=by), by, fields, propose_idea=False)


def _write(
    cycle: PDSACycle, by: User | None, fields: dict[str, Any], *, propose_idea: bool
) -> PDSACycle:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"Not fields of a PDSA cycle one may write: {sorted(unknown)}")
    indicators = fields.pop("indicators", None)
    for name, value in fields.items():
        setattr(cycle, name, value)
    if indicators is not None:
        indicators = list(indicators)
        cycle.clean_indicators(indicators)
    cycle.full_clean()
    if propose_idea:
        if cycle.change_idea_id or not cycle.own_idea.strip():
            raise ValidationError(
                {"own_idea": _("Skriv teamets egen idé for at foreslå den til forandringspakken.")}
            )
        # The cycle now tests the proposed idea; the text lives on as the idea's title.
        cycle.change_idea = idea_propose(
            team=cycle.team, title=cycle.own_idea, description=cycle.plan[:4000], by=by
        )
        cycle.own_idea = ""
    # One history version per write, with the indicators as they end: the first save and the
    # indicators' change go unrecorded, the second save records the whole.
    cycle.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        cycle.save()
        if indicators is not None:
            cycle.indicators.set(indicators)
    finally:
        del cycle.skip_history_when_saving  # type: ignore[attr-defined]
    cycle._history_user = by  # type: ignore[attr-defined]
    cycle.save(update_fields=["updated_at"])
    return cycle
