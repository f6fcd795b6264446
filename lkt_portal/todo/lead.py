"""The to-do rules of a national project lead: per programme they lead."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from core.months import data_deadline
from indicators.models import IndicatorProposal
from lkt_portal.todo.base import (
    Item,
    Situation,
    active_programmes,
    day_label,
    latest_due_month,
    missing_by_period,
    month_label,
    names,
    next_seminar_item,
    report_months,
    reports_url,
    teams_by_programme,
    upcoming_seminars,
)
from teams.models import ImprovementTeam
from teams.selectors import teams_without_monthly_report as unreported_teams


def late_teams_of_programmes(situation: Situation) -> list[Item]:
    """Per programme I lead: the teams lacking the newest month whose deadline has passed."""
    programmes = active_programmes(situation.roles.lead_programmes)
    periods = {p.pk: [m] for p in programmes if (m := latest_due_month(p, situation.today))}
    grouped: dict[int, list[ImprovementTeam]] = defaultdict(list)
    for team in missing_by_period(programmes, periods).values():
        grouped[team.programme_id].append(team)
    items = []
    for programme in programmes:
        teams = grouped.get(programme.pk)
        if not teams:
            continue
        month = periods[programme.pk][0]
        values = {
            "n": len(teams),
            "programme": programme.name,
            "month": month_label(month),
            "deadline": day_label(data_deadline(month, programme.data_deadline_day)),
            "teams": names(teams),
        }
        text = ngettext(
            "%(programme)s: %(n)d team mangler data for %(month)s (frist %(deadline)s): %(teams)s.",
            "%(programme)s: %(n)d teams mangler data for %(month)s (frist %(deadline)s): "
            "%(teams)s.",
            len(teams),
        )
        items.append(
            Item(text % values, reverse("status:programme", args=[programme.pk]), late=True)
        )
    return items


def teams_without_monthly_report(situation: Situation) -> list[Item]:
    """Per programme I lead: teams without their own score and note for the owed month."""
    programmes = active_programmes(situation.roles.lead_programmes)
    months = report_months(programmes, situation.today)
    grouped = teams_by_programme(months, unreported_teams)
    items = []
    for programme in programmes:
        if missing := grouped.get(programme.pk):
            month = months[programme.pk]
            values = {
                "n": len(missing),
                "programme": programme.name,
                "month": month_label(month),
                "teams": names(missing),
            }
            text = ngettext(
                "%(programme)s: %(n)d team mangler månedsrapporten for %(month)s: %(teams)s.",
                "%(programme)s: %(n)d teams mangler månedsrapporten for %(month)s: %(teams)s.",
                len(missing),
            )
            items.append(Item(text % values, reports_url(programme.pk, month)))
    return items


def proposals_waiting(situation: Situation) -> list[Item]:
    """Per programme I lead: the expert group's indicator proposals waiting for my decision."""
    waiting = (
        IndicatorProposal.objects.filter(
            status=IndicatorProposal.Status.PENDING,
            indicator__programme_id__in=situation.roles.lead_programmes,
        )
        .values("indicator__programme_id", "indicator__programme__name")
        .annotate(n=Count("pk"))
        .order_by("indicator__programme__name")
    )
    return [
        Item(
            ngettext(
                "%(programme)s: %(n)d ændringsforslag til indikatorerne venter på din beslutning.",
                "%(programme)s: %(n)d ændringsforslag til indikatorerne venter på din beslutning.",
                row["n"],
            )
            % {"programme": row["indicator__programme__name"], "n": row["n"]},
            reverse("indicators:proposal_list", args=[row["indicator__programme_id"]]),
        )
        for row in waiting
    ]


def next_programme_seminar(situation: Situation) -> list[Item]:
    """The next seminar of each programme I lead."""
    items: list[Item] = []
    seen: set[int] = set()
    for seminar in upcoming_seminars(situation.roles.lead_programmes):
        if seminar.programme_id not in seen:
            seen.add(seminar.programme_id)
            items += next_seminar_item(seminar)
    return items
