"""Everything below a programme: goals, expert group, leads, indicators, teams and seminars.

Dates are placed from the programme's stored start date, so a later run computes the same
ones; rows are found by stable keys and left alone when present.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from core.months import add_months, sustainment_first
from demo.dates import at, weekday_on_or_after
from demo.diagram import load_diagram, load_first_revision, load_proposals
from demo.measurements import load_measurements, load_sustainment_measurements
from demo.records import ensure
from demo.specs import ProgrammeDetail, SeminarSpec, TeamSpec
from indicators.models import Indicator
from programmes.models import ExpertGroup, ExpertMember, ImprovementGoal, Programme, ProgrammeLead
from programmes.models.changes import ChangeIdea
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, PDSACycle, SustainmentPlan, TeamMember

if TYPE_CHECKING:
    from demo.loader import Loader


def load_detail(loader: Loader, detail: ProgrammeDetail) -> None:
    programme = loader.programmes[detail.slug]
    load_experts(loader, programme, detail)
    indicators = {
        spec.name: ensure(
            Indicator,
            {
                "definition": spec.definition,
                "kind": spec.kind,
                "measure": spec.measure,
                "numerator_definition": spec.numerator,
                "denominator_definition": spec.denominator,
                "unit": spec.unit,
                "multiplier": spec.multiplier,
                "better_direction": spec.direction,
                "target": spec.target,
                "data_source": spec.data_source,
                "national_goal": spec.national_goal,
                "order": order,
            },
            programme=programme,
            name=spec.name,
        )
        for order, spec in enumerate(detail.indicators, start=1)
    }
    load_goals(programme, detail, indicators)
    ideas = load_diagram(programme, detail.diagram, indicators) if detail.diagram else {}
    teams = {
        spec.name: load_team(loader, programme, spec, indicators, ideas) for spec in detail.teams
    }
    if detail.diagram:
        load_proposals(programme, detail.diagram, teams)
        lead = loader.users[detail.leads[0][0].address] if detail.leads else None
        load_first_revision(programme, lead)
    for spec in detail.seminars:
        load_seminar(loader, programme, spec, detail, teams)
    if programme.status == Programme.Status.ACTIVE:
        load_measurements(loader, programme, detail, teams, indicators)
    if programme.status == Programme.Status.SUSTAINMENT:
        load_sustainment(loader, programme, detail, teams, indicators)


def load_sustainment(
    loader: Loader,
    programme: Programme,
    detail: ProgrammeDetail,
    teams: dict[str, ImprovementTeam],
    indicators: dict[str, Indicator],
) -> None:
    """Measuring on after the end date, and the teams' local sustainment plans."""
    # The demo's own day, not the status workflow's (which takes the day of the change when it
    # is later than the end: the demo may be loaded as of another day than the clock's).
    start = sustainment_first(programme.end_date)
    if programme.sustainment_start != start:
        programme.sustainment_start = start
        programme.save(update_fields=["sustainment_start"])
    load_sustainment_measurements(loader, programme, detail, teams, indicators)
    approved_at = at(add_months(programme.sustainment_start, 1), dt.time(11))
    for spec in detail.teams:
        if not spec.plan:
            continue
        team = teams[spec.name]
        leader = next((m for m in spec.members if m.role == "formal_leader"), None)
        approved = spec.plan == SustainmentPlan.State.APPROVED
        ensure(
            SustainmentPlan,
            {
                "programme": programme,
                "criteria": PLAN_TEXTS["criteria"],
                "roles": PLAN_TEXTS["roles"],
                "anchoring": PLAN_TEXTS["anchoring"],
                "resources": PLAN_TEXTS["resources"] if approved else "",
                "state": spec.plan,
                "approved_by": loader.users[leader.person.address] if approved and leader else None,
                "approved_at": min(approved_at, loader.now) if approved else None,
            },
            team=team,
        )


# A local sustainment plan's sections (seed 003's recommendations), as a team would write them.
PLAN_TEXTS = {
    "criteria": (
        "HbA1c under 53 mmol/mol og årlig trivselssamtale følges månedligt på afdelingens "
        "tavle; forbedringen holder, så længe seriediagrammet ikke viser tilbagefald mod "
        "niveauet ved LKT'ets afslutning. Data registreres af kvalitetskoordinatoren."
    ),
    "roles": (
        "Den formelle leder følger op hvert kvartal. Kvalitetskoordinatoren registrerer data "
        "og indkalder teamet, hvis målingerne falder tilbage."
    ),
    "anchoring": "Arbejdet er forankret i afdelingens kvalitetsråd.",
    "resources": "To timer om måneden til registrering og opfølgning.",
}


def load_goals(
    programme: Programme, detail: ProgrammeDetail, indicators: dict[str, Indicator]
) -> None:
    start = programme.start_date
    for order, (text, due, indicator, target) in enumerate(detail.goals, start=1):
        ensure(
            ImprovementGoal,
            {
                "text": text,
                "target_date": add_months(start, due),
                "indicator": indicators.get(indicator),
                "target_value": None if target is None else Decimal(str(target)),
            },
            programme=programme,
            order=order,
        )


def load_experts(loader: Loader, programme: Programme, detail: ProgrammeDetail) -> None:
    group = ensure(ExpertGroup, {"mandate": detail.mandate}, programme=programme)
    if not group.mandate:  # programme_create makes the group empty
        group.mandate = detail.mandate
        group.save(update_fields=["mandate"])
    for expert in detail.experts:
        ensure(
            ExpertMember,
            {
                "role": expert.role,
                "sector": expert.sector,
                "organisation": loader.organisations.get(expert.organisation),
                "joined_on": programme.decided_on,
            },
            group=group,
            user=loader.user(expert.person, expert.organisation),
        )
    for person, org_name in detail.leads:
        ensure(
            ProgrammeLead,
            {"organisation": loader.organisations[org_name]},
            programme=programme,
            user=loader.user(person, org_name),
        )


def load_team(
    loader: Loader,
    programme: Programme,
    spec: TeamSpec,
    indicators: dict[str, Indicator],
    ideas: dict[str, ChangeIdea],
) -> ImprovementTeam:
    preparing = programme.status == Programme.Status.PREPARING
    status = ImprovementTeam.Status.FORMING if preparing else ImprovementTeam.Status.ACTIVE
    team = ensure(
        ImprovementTeam,
        {
            "region": loader.regions[spec.region],
            "method": spec.method,
            "status": status,
            "started_on": None if preparing else programme.start_date,
            "aim": spec.aim,
        },
        programme=programme,
        name=spec.name,
    )
    team.organisations.add(*(loader.organisations[name] for name in spec.organisations))
    for member in spec.members:
        org_name = member.organisation or spec.organisations[0]
        ensure(
            TeamMember,
            {"role": member.role, "organisation": loader.organisations[org_name]},
            team=team,
            user=loader.user(member.person, org_name),
        )
    lead = loader.users[spec.lead.person.address] if spec.lead else None
    cycles: dict[str, PDSACycle] = {}
    for pdsa in spec.pdsa:
        cycle = cycles[pdsa.title] = ensure(
            PDSACycle,
            {
                "change_idea": ideas.get(pdsa.idea),
                "own_idea": pdsa.own_idea,
                "builds_on": cycles.get(pdsa.builds_on),
                "state": pdsa.state,
                "decision": pdsa.decision,
                "prediction": pdsa.prediction,
                "who": pdsa.who,
                "where": pdsa.where,
                "plan": pdsa.plan,
                "do": pdsa.do,
                "study": pdsa.study,
                "act": pdsa.act,
                "started_on": pdsa.started.after(programme.start_date),
                "ended_on": pdsa.ended.after(programme.start_date) if pdsa.ended else None,
                "created_by": lead,
            },
            team=team,
            title=pdsa.title,
        )
        if pdsa.indicator in indicators and not cycle.indicators.exists():
            cycle.indicators.add(indicators[pdsa.indicator])
    return team


def load_seminar(
    loader: Loader,
    programme: Programme,
    spec: SeminarSpec,
    detail: ProgrammeDetail,
    teams: dict[str, ImprovementTeam],
) -> None:
    day = seminar_day(programme, spec)
    seminar = ensure(
        Seminar,
        {
            "title": spec.title,
            "starts_at": at(day, spec.starts),
            "ends_at": at(day, spec.ends),
            "place": spec.place,
            "address": spec.address,
            "agenda": spec.agenda,
        },
        programme=programme,
        kind=spec.kind,
        number=spec.number,
    )
    invite(loader, seminar, spec, detail, teams)


def invite(
    loader: Loader,
    seminar: Seminar,
    spec: SeminarSpec,
    detail: ProgrammeDetail,
    teams: dict[str, ImprovementTeam],
) -> None:
    """Invite the seminar's teams and sign up their leads and most members, in bulk."""
    invited = spec.teams if spec.teams is not None else tuple(teams)
    # Who signed up is drawn from a seed per seminar (not from the date): the same every run.
    rng = random.Random(f"{detail.slug}|{spec.kind}|{spec.number}")  # noqa: S311
    team_specs = {t.name: t for t in detail.teams}
    invitations: list[SeminarInvitation] = []
    registrations: dict[int, Registration] = {}
    for name in invited:
        team = teams[name]
        invitations.append(SeminarInvitation(seminar=seminar, team=team))
        for member in team_specs[name].members:
            if member.role == "local_lead" or rng.random() < 0.75:
                user = loader.users[member.person.address]
                registrations[user.pk] = Registration(seminar=seminar, user=user, team=team)
    for person, _org in detail.leads:
        user = loader.users[person.address]
        registrations.setdefault(user.pk, Registration(seminar=seminar, user=user))
    invited_ids = set(seminar.invitations.values_list("team_id", flat=True))
    SeminarInvitation.objects.bulk_create([i for i in invitations if i.team_id not in invited_ids])
    registered_ids = set(seminar.registrations.values_list("user_id", flat=True))
    Registration.objects.bulk_create(
        [r for pk, r in registrations.items() if pk not in registered_ids]
    )


def seminar_day(programme: Programme, spec: SeminarSpec) -> dt.date:
    """The day a seminar falls on: its offset from the start, moved off the weekend."""
    return weekday_on_or_after(spec.on.after(programme.start_date))
