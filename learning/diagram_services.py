"""Writes for the driver diagram and change package. Every change writes a `DiagramRevision`
(who, when, what, and the whole diagram afterwards) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from accounts.models import User
from indicators.models import Indicator
from programmes.models import Programme
from programmes.models.changes import (
    ChangeIdea,
    ChangeIdeaStatus,
    ChangeSource,
    DiagramRevision,
    Driver,
)
from programmes.snapshots import diagram_snapshot
from teams.models import ImprovementTeam

SUMMARY_LENGTH = 300


def _revise(programme: Programme, by: User | None, summary: str) -> DiagramRevision:
    """Record the change just made; called inside the writing transaction."""
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[: SUMMARY_LENGTH - 1] + "…"
    programme.refresh_from_db(fields=["aim"])
    return DiagramRevision.objects.create(
        programme=programme, changed_by=by, summary=summary, snapshot=diagram_snapshot(programme)
    )


def _lock(programme_id: int) -> None:
    """Hold the programme row so two editors' positions and revisions follow each other."""
    Programme.objects.select_for_update().filter(pk=programme_id).first()


def _check_indicators(programme: Programme, indicators: Iterable[Indicator]) -> list[Indicator]:
    chosen = list(indicators)
    if any(ind.programme_id != programme.pk for ind in chosen):
        raise ValidationError(
            {"indicators": _("En indikator hører til et andet program end forandringsidéen.")}
        )
    return chosen


def _assign(obj: Model, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def aim_update(*, programme: Programme, aim: str, by: User | None) -> Programme:
    """Change the programme's aim (the diagram's root)."""
    _lock(programme.pk)
    programme.aim = aim
    programme.full_clean()
    programme.save(update_fields=["aim"])
    _revise(programme, by, _("Målsætningen blev ændret."))
    return programme


@transaction.atomic
def driver_add(
    *, programme: Programme, by: User | None, parent: Driver | None = None, **fields: object
) -> Driver:
    """Add a primary driver (no parent) or a secondary one (under a primary), last in order."""
    _lock(programme.pk)
    siblings = Driver.objects.filter(programme=programme, parent=parent)
    last = siblings.aggregate(last=Max("position"))["last"] or 0
    driver = Driver(programme=programme, parent=parent, position=last + 1)
    _assign(driver, fields)
    driver.full_clean()
    driver.save()
    kind = _("primær") if parent is None else _("sekundær")
    _revise(
        programme,
        by,
        _("Ny %(kind)s drivkraft: %(title)s") % {"kind": kind, "title": driver.title},
    )
    return driver


@transaction.atomic
def driver_update(*, driver: Driver, by: User | None, **fields: object) -> Driver:
    """Change a driver's title, description or (for a secondary driver) its primary driver."""
    _lock(driver.programme_id)
    was_primary = driver.is_primary
    _assign(driver, fields)
    if was_primary != driver.is_primary:
        raise ValidationError(
            {"parent": _("En primær drivkraft kan ikke blive sekundær, eller omvendt.")}
        )
    driver.full_clean()
    driver.save()
    _revise(driver.programme, by, _("Drivkraft ændret: %(title)s") % {"title": driver.title})
    return driver


@transaction.atomic
def driver_delete(*, driver: Driver, by: User | None) -> None:
    """Remove a driver; its secondary drivers go with it, its ideas lose their place (the ideas
    stay in the package, without a driver, for the editors to place again)."""
    _lock(driver.programme_id)
    programme, title = driver.programme, driver.title
    driver.delete()
    _revise(programme, by, _("Drivkraft slettet: %(title)s") % {"title": title})


def _renumber_with_move(items: list[Any], pk: int, up: bool) -> list[Any]:
    index = next(i for i, each in enumerate(items) if each.pk == pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    return items


@transaction.atomic
def driver_move(*, driver: Driver, up: bool, by: User | None) -> None:
    """Move a driver one place up or down among its siblings (numbered 1, 2, 3 … anew)."""
    _lock(driver.programme_id)
    siblings = list(
        Driver.objects.filter(programme_id=driver.programme_id, parent_id=driver.parent_id)
    )
    Driver.objects.bulk_update(_renumber_with_move(siblings, driver.pk, up), ["position"])
    _revise(driver.programme, by, _("Drivkraft flyttet: %(title)s") % {"title": driver.title})


@transaction.atomic
def idea_add(
    *,
    programme: Programme,
    by: User | None,
    indicators: Iterable[Indicator] = (),
    **fields: object,
) -> ChangeIdea:
    """Add a change idea to the package, last in order."""
    _lock(programme.pk)
    chosen = _check_indicators(programme, indicators)
    last = ChangeIdea.objects.filter(programme=programme).aggregate(last=Max("position"))["last"]
    idea = ChangeIdea(programme=programme, position=(last or 0) + 1)
    _assign(idea, fields)
    idea.full_clean()
    idea.save()
    idea.indicators.set(chosen)
    _revise(programme, by, _("Ny forandringsidé: %(title)s") % {"title": idea.title})
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: ChangeIdea,
    by: User | None,
    indicators: Iterable[Indicator] | None = None,
    **fields: object,
) -> ChangeIdea:
    """Change a change idea's text, source, driver, status or indicators."""
    _lock(idea.programme_id)
    _assign(idea, fields)
    idea.full_clean()
    idea.save()
    if indicators is not None:
        idea.indicators.set(_check_indicators(idea.programme, indicators))
    _revise(idea.programme, by, _("Forandringsidé ændret: %(title)s") % {"title": idea.title})
    return idea


@transaction.atomic
def idea_delete(*, idea: ChangeIdea, by: User | None) -> None:
    _lock(idea.programme_id)
    programme, title = idea.programme, idea.title
    idea.delete()
    _revise(programme, by, _("Forandringsidé slettet: %(title)s") % {"title": title})


@transaction.atomic
def idea_move(*, idea: ChangeIdea, up: bool, by: User | None) -> None:
    """Move an idea one place up or down among the ideas of its driver."""
    _lock(idea.programme_id)
    siblings = list(ChangeIdea.objects.filter(programme_id=idea.programme_id, driver=idea.driver))
    ChangeIdea.objects.bulk_update(_renumber_with_move(siblings, idea.pk, up), ["position"])
    _revise(idea.programme, by, _("Forandringsidé flyttet: %(title)s") % {"title": idea.title})


@transaction.atomic
def idea_propose(
    *, team: ImprovementTeam, title: str, description: str, by: User | None
) -> ChangeIdea:
    """A team proposes its own idea to the programme's change package (status `proposed`); the
    national lead or the expert group accepts or declines it (`idea_decide`)."""
    programme = team.programme
    _lock(programme.pk)
    last = ChangeIdea.objects.filter(programme=programme).aggregate(last=Max("position"))["last"]
    idea = ChangeIdea(
        programme=programme,
        title=title,
        description=description,
        source=ChangeSource.EXPERIENCE,
        source_detail=team.name[:300],
        status=ChangeIdeaStatus.PROPOSED,
        proposed_by_team=team,
        position=(last or 0) + 1,
    )
    idea.full_clean()
    idea.save()
    _revise(
        programme,
        by,
        _("%(team)s foreslog: %(title)s") % {"team": team.name, "title": idea.title},
    )
    return idea


@transaction.atomic
def idea_decide(
    *, idea: ChangeIdea, accept: bool, by: User | None, driver: Driver | None = None
) -> ChangeIdea:
    """Accept a proposed idea into the package (under a secondary driver) or decline it."""
    _lock(idea.programme_id)
    idea = ChangeIdea.objects.get(pk=idea.pk)
    if idea.status != ChangeIdeaStatus.PROPOSED:
        raise ValidationError(_("Forslaget er allerede afgjort."))
    if accept:
        if driver is None:
            raise ValidationError(
                {"driver": _("Vælg den sekundære drivkraft, idéen skal ligge under.")}
            )
        idea.driver = driver
        idea.status = ChangeIdeaStatus.PACKAGE
        summary = _("Forslag optaget i forandringspakken: %(title)s")
    else:
        idea.status = ChangeIdeaStatus.DECLINED
        summary = _("Forslag ikke optaget: %(title)s")
    idea.full_clean()
    idea.save()
    _revise(idea.programme, by, summary % {"title": idea.title})
    return idea
