"""The home page's "my work": what a signed-in person works on, gathered from several apps."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import roles_of
from lkt_portal.todo import Situation, reads_everything, todo_sections
from programmes.models import Programme
from seminars.models import Seminar
from status.selectors.overview import filter_choices, status_programmes, status_rows
from teams.models import ImprovementTeam


def my_work(user: User) -> dict:
    """What the signed-in person works on: programmes, teams and upcoming seminars."""
    roles = roles_of(user)
    programmes = (
        Programme.objects.filter(Q(pk__in=roles.programmes) | Q(lead_region_id__in=roles.regions))
        .select_related("lead_region")
        .order_by("name")
    )
    teams = (
        ImprovementTeam.objects.filter(Q(pk__in=roles.teams) | Q(region_id__in=roles.regions))
        .select_related("programme", "region")
        .order_by("programme__name", "name")
    )
    seminars = (
        Seminar.objects.upcoming()
        .filter(
            Q(programme_id__in=roles.lead_programmes | roles.expert_programmes)
            | Q(invited_teams__in=roles.teams)
            | Q(invited_teams__region_id__in=roles.regions)
        )
        .select_related("programme")
        .distinct()
        .order_by("starts_at")[:10]
    )
    situation = Situation.of(user)
    return {
        "roles": roles,
        "todo": todo_sections(situation),
        "overview_rows": national_overview() if reads_everything(situation) else None,
        "my_programmes": programmes,
        "my_teams": teams,
        "my_seminars": seminars,
        "now": timezone.now(),
    }


def national_overview() -> list:
    """The steering group's overview of the running LKTs (the status page's table)."""
    regions, _ = filter_choices()
    running = [p for p in status_programmes() if p.status in Programme.RUNNING]
    return status_rows(running, regions)
