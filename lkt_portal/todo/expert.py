"""The to-do rules of an expert-group member: per programme whose expert group they sit in."""

from __future__ import annotations

from django.utils.translation import ngettext

from core.months import RECENT_PERIODS
from lkt_portal.todo.base import (
    Item,
    Situation,
    active_programmes,
    month_label,
    names,
    next_seminar_item,
    report_month,
    report_months,
    reports_url,
    teams_by_programme,
    upcoming_seminars,
)
from teams.selectors import programme_rating_gaps, reportable_months, teams_without_expert_score


def teams_to_rate(situation: Situation) -> list[Item]:
    """Per programme whose expert group I sit in: teams the group has not scored for the owed
    month."""
    programmes = active_programmes(situation.roles.expert_programmes)
    months = report_months(programmes, situation.today)
    grouped = teams_by_programme(months, teams_without_expert_score)
    items = []
    for programme in programmes:
        if unrated := grouped.get(programme.pk):
            month = months[programme.pk]
            values = {
                "n": len(unrated),
                "programme": programme.name,
                "month": month_label(month),
                "teams": names(unrated),
            }
            text = ngettext(
                "%(programme)s: %(n)d team mangler ekspertgruppens vurdering for %(month)s: "
                "%(teams)s.",
                "%(programme)s: %(n)d teams mangler ekspertgruppens vurdering for %(month)s: "
                "%(teams)s.",
                len(unrated),
            )
            items.append(Item(text % values, reports_url(programme.pk, month)))
    return items


def rating_gaps_to_discuss(situation: Situation) -> list[Item]:
    """Per programme whose expert group I sit in: a whole point or more between a team's own
    score and the group's, in the owed month and the two before (as the reports page shows)."""
    programmes = active_programmes(situation.roles.expert_programmes)
    items = []
    for programme in programmes:
        month = report_month(programme, situation.today)
        if month is None:
            continue
        recent = [m for m in reportable_months(programme) if m <= month][-RECENT_PERIODS:]
        if gaps := programme_rating_gaps(programme, recent):
            values = {
                "n": len(gaps),
                "programme": programme.name,
                "teams": names({gap.team.pk: gap.team for gap in gaps}.values()),
            }
            text = ngettext(
                "%(programme)s: %(n)d forskel på et point eller mere mellem teamets og "
                "ekspertgruppens score skal drøftes på næste seminar: %(teams)s.",
                "%(programme)s: %(n)d forskelle på et point eller mere mellem teamets og "
                "ekspertgruppens score skal drøftes på næste seminar: %(teams)s.",
                len(gaps),
            )
            items.append(Item(text % values, reports_url(programme.pk, month, "#gaps-heading")))
    return items


def next_expert_seminar(situation: Situation) -> list[Item]:
    """The next seminar of the programmes whose expert group I sit in."""
    return next_seminar_item(upcoming_seminars(situation.roles.expert_programmes).first())
