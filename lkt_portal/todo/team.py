"""The to-do rules of a team member (and of a team's local project lead)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.months import data_deadline, due_months
from lkt_portal.todo.base import (
    Item,
    Situation,
    active_programmes,
    day_label,
    missing_by_period,
    month_label,
    next_seminar_item,
    open_month,
    report_months,
    teams_by_programme,
    upcoming_seminars,
)
from programmes.models import Programme
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, PDSACycle, SustainmentPlan
from teams.selectors import teams_without_monthly_report as unreported_teams


def months_to_register(situation: Situation) -> list[Item]:
    """Months my teams have not registered: the open one (with its deadline) and late ones."""
    today = situation.today
    programmes = active_programmes(situation.roles.team_programmes)
    periods = {
        p.pk: [m for m in [*due_months(p.start_date, p.end_date, p.data_deadline_day, today),
                           open_month(p, today)] if m is not None]
        for p in programmes
    }  # fmt: skip
    by_id = {p.pk: p for p in programmes}
    items = []
    missing = missing_by_period(programmes, periods)
    for (team_id, period), team in sorted(missing.items(), key=lambda kv: (kv[0][1], kv[1].name)):
        if team_id not in situation.roles.teams:
            continue
        deadline = data_deadline(period, by_id[team.programme_id].data_deadline_day)
        values = {"team": team.name, "month": month_label(period), "deadline": day_label(deadline)}
        late = deadline < today
        text = (
            _("%(team)s: data for %(month)s mangler – fristen var %(deadline)s.")
            if late
            else _("%(team)s: registrér data for %(month)s senest %(deadline)s.")
        )
        url = reverse("indicators:enter_month", args=[team_id, f"{period:%Y-%m}"])
        items.append(Item(text % values, url, late=late))
    return items


def cycles_to_study(situation: Situation) -> list[Item]:
    """PDSA cycles of my teams that have ended but have no study written yet."""
    cycles = (
        PDSACycle.objects.filter(
            team_id__in=situation.roles.teams, study="", ended_on__lt=situation.today
        )
        .select_related("team")
        .order_by("ended_on", "pk")
    )
    return [
        Item(
            _("%(team)s: PDSA-cyklussen “%(title)s” sluttede %(day)s og venter på studér-fasen.")
            % {"team": cycle.team.name, "title": cycle.title, "day": day_label(cycle.ended_on)},
            reverse("teams:pdsa_edit", args=[cycle.team_id, cycle.pk]),
        )
        for cycle in cycles
        if cycle.ended_on is not None
    ]


def seminar_invitations(situation: Situation) -> list[Item]:
    """Upcoming seminars my teams are invited to where I have not registered."""
    invited = SeminarInvitation.objects.filter(
        seminar=OuterRef("pk"), team_id__in=situation.roles.teams
    )
    registered = Registration.objects.filter(
        seminar=OuterRef("pk"), user=situation.user, cancelled_at__isnull=True
    )
    seminars = (
        Seminar.objects.upcoming()
        .filter(Exists(invited))
        .exclude(Exists(registered))
        .select_related("programme")
        .order_by("starts_at", "pk")
    )
    return [
        Item(
            _("Dit team er inviteret til %(seminar)s (%(programme)s) %(day)s – tilmeld dig.")
            % {
                "seminar": seminar,
                "programme": seminar.programme.name,
                "day": day_label(timezone.localdate(seminar.starts_at)),
            },
            reverse("seminars:detail", args=[seminar.pk]),
        )
        for seminar in seminars
    ]


def monthly_report_to_give(situation: Situation) -> list[Item]:
    """The teams I am local project lead of that have not reported the owed month."""
    teams = ImprovementTeam.objects.filter(
        pk__in=situation.roles.local_lead_teams, programme__status=Programme.Status.ACTIVE
    ).select_related("programme")
    programmes = {team.programme_id: team.programme for team in teams}
    months = report_months(programmes.values(), situation.today)
    mine = situation.roles.local_lead_teams
    grouped = teams_by_programme(
        months, lambda month, of: unreported_teams(month, of.filter(pk__in=mine))
    )
    items = []
    for programme_id, unreported in sorted(grouped.items(), key=lambda kv: months[kv[0]]):
        month = months[programme_id]
        for team in unreported:
            url = reverse("indicators:monthly_report", args=[team.pk])
            items.append(
                Item(
                    _("Månedsrapport for %(month)s mangler (%(team)s).")
                    % {"month": month_label(month), "team": team.name},
                    f"{url}?{urlencode({'maaned': f'{month:%Y-%m}'})}",
                )
            )
    return items


def next_team_seminar(situation: Situation) -> list[Item]:
    """The next seminar of my teams' programmes."""
    return next_seminar_item(upcoming_seminars(situation.roles.team_programmes).first())


def plans_to_approve(situation: Situation) -> list[Item]:
    """The sustainment plans of the teams I am formal leader of that wait for my approval."""
    plans = (
        SustainmentPlan.objects.filter(
            team_id__in=situation.roles.formal_leader_teams, state=SustainmentPlan.State.DRAFT
        )
        # Ready for approval: every section written (as `sustainment_plan_approve` asks).
        .exclude(criteria="")
        .exclude(roles="")
        .exclude(anchoring="")
        .exclude(resources="")
        .select_related("team")
        .order_by("team__name")
    )
    return [
        Item(
            _("Godkend fastholdelsesplanen for %(team)s.") % {"team": plan.team.name},
            reverse("teams:sustainment", args=[plan.team_id]),
        )
        for plan in plans
        if plan.team is not None
    ]
