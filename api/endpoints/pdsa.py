"""A team's PDSA cycles created and changed: the PDSA page's form checks them (the same choices,
rules and words) and its services write them, acting as the token's person."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from auditlog.context import set_actor
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from api.auth import require_write
from api.problems import BODY_PROBLEMS, ProblemError
from learning.pdsa_access import get_cycle_for_user, get_pdsa_team_for_user
from learning.pdsa_forms import TEXT_LIMIT, CycleForm
from learning.pdsa_services import cycle_create, cycle_update
from teams.models import PDSACycle

router = Router()

State = Literal["planned", "running", "studied", "decided"]
Decision = Literal["", "adopt", "adapt", "abandon"]


class CycleIn(Schema):
    """A cycle's fields; on PATCH only those sent change. Ideas, indicators and the cycle it
    builds on by id, within the team's programme (as the page offers them)."""

    title: str | None = Field(None, max_length=200)
    state: State | None = None
    change_idea: int | None = None
    own_idea: str | None = Field(None, max_length=200)
    propose_idea: bool | None = None
    indicators: list[int] | None = Field(None, max_length=100)
    prediction: str | None = Field(None, max_length=2000)
    who: str | None = Field(None, max_length=200)
    where: str | None = Field(None, max_length=200)
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    plan: str | None = Field(None, max_length=TEXT_LIMIT)
    do: str | None = Field(None, max_length=TEXT_LIMIT)
    observations: str | None = Field(None, max_length=TEXT_LIMIT)
    study: str | None = Field(None, max_length=TEXT_LIMIT)
    act: str | None = Field(None, max_length=TEXT_LIMIT)
    decision: Decision | None = None
    builds_on: int | None = None


class CycleOut(Schema):
    id: int
    team: int
    title: str
    state: str
    change_idea: int | None
    own_idea: str
    indicators: list[int]
    prediction: str
    who: str
    where: str
    started_on: dt.date
    ended_on: dt.date | None
    plan: str
    do: str
    observations: str
    study: str
    act: str
    decision: str
    builds_on: int | None
    inspired_by: int | None


@router.post(
    "/{int:team_id}/pdsa-cycles",
    response={201: CycleOut, **BODY_PROBLEMS},
    summary="Opret en PDSA-cyklus",
)
def create_pdsa_cycle(
    request: HttpRequest, team_id: int, payload: CycleIn
) -> Status[dict[str, Any]]:
    """A new cycle of the team (its members; 403 for a reader, 404 outside the programme).
    `state` defaults to planned and `started_on` to today."""
    require_write(request)
    team = get_pdsa_team_for_user(request.user, team_id, write=True)  # type: ignore[arg-type]
    sent = {"state": "planned", "started_on": timezone.localdate(), **_sent(payload)}
    form = CycleForm(_form_data(sent), team=team)
    data, propose = _cleaned(form)
    with set_actor(request.user):
        cycle = cycle_create(team=team, by=request.user, propose_idea=propose, **data)  # type: ignore[arg-type]
    return Status(201, _out(cycle))


@router.patch(
    "/{int:team_id}/pdsa-cycles/{int:cycle_id}",
    response={200: CycleOut, **BODY_PROBLEMS},
    summary="Ret en PDSA-cyklus",
)
def update_pdsa_cycle(
    request: HttpRequest, team_id: int, cycle_id: int, payload: CycleIn
) -> dict[str, Any]:
    """Change the fields sent; the others stay as they are."""
    require_write(request)
    cycle = get_cycle_for_user(request.user, team_id, cycle_id, write=True)  # type: ignore[arg-type]
    current = model_to_dict(cycle, fields=CycleForm.Meta.fields)
    current["indicators"] = [i.pk for i in current.get("indicators", [])]
    form = CycleForm(_form_data({**current, **_sent(payload)}), instance=cycle, team=cycle.team)
    data, propose = _cleaned(form)
    with set_actor(request.user):
        updated = cycle_update(cycle=cycle, by=request.user, propose_idea=propose, **data)  # type: ignore[arg-type]
    return _out(updated)


def _sent(payload: CycleIn) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The values as a browser would post them (the form reads text)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or value is False:
            continue  # an empty field, an unticked box
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def _cleaned(form: CycleForm) -> tuple[dict[str, Any], bool]:
    """The form's cleaned data and whether to propose the idea; 422 with its messages."""
    if not form.is_valid():
        errors = [
            {"loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field], "msg": str(msg)}
            for field, messages in form.errors.items()
            for msg in messages
        ]
        raise ProblemError(422, _("Cyklussen er ikke gemt. Ret de nævnte felter."), errors=errors)
    data = dict(form.cleaned_data)
    return data, bool(data.pop("propose_idea", False))


def _out(cycle: PDSACycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "team": cycle.team_id,
        "title": cycle.title,
        "state": cycle.state,
        "change_idea": cycle.change_idea_id,
        "own_idea": cycle.own_idea,
        "indicators": sorted(cycle.indicators.values_list("pk", flat=True)),
        "prediction": cycle.prediction,
        "who": cycle.who,
        "where": cycle.where,
        "started_on": cycle.started_on,
        "ended_on": cycle.ended_on,
        "plan": cycle.plan,
        "do": cycle.do,
        "observations": cycle.observations,
        "study": cycle.study,
        "act": cycle.act,
        "decision": cycle.decision,
        "builds_on": cycle.builds_on_id,
        "inspired_by": cycle.inspired_by_id,
    }
