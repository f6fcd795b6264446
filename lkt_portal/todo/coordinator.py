"""The to-do rules of a regional coordinator (pending invitations serve the administrator too)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from core.months import data_deadline
from lkt_portal.todo.base import (
    Item,
    Situation,
    day_label,
    latest_due_month,
    missing_by_period,
    month_label,
)
from people.selectors import EXPIRED, INVITED, user_list
from programmes.models import Programme, Region
from teams.models import ImprovementTeam


def region_teams_missing_data(situation: Situation) -> list[Item]:
    """The teams of my region(s) lacking their programme's newest month past its deadline."""
    regions = situation.roles.regions
    programmes = list(
        Programme.objects.filter(
            status=Programme.Status.ACTIVE,
            teams__region_id__in=regions,
            teams__status=ImprovementTeam.Status.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )
    periods = {p.pk: [m] for p in programmes if (m := latest_due_month(p, situation.today))}
    by_id = {p.pk: p for p in programmes}
    region_names = dict(Region.objects.filter(pk__in=regions).values_list("pk", "name"))
    items = []
    missing = missing_by_period(programmes, periods)
    for (team_id, period), team in sorted(
        missing.items(), key=lambda kv: (by_id[kv[1].programme_id].name, kv[1].name)
    ):
        if team.region_id not in regions:
            continue
        programme = by_id[team.programme_id]
        values = {
            "team": team.name,
            "programme": programme.name,
            "region": region_names.get(team.region_id, ""),
            "month": month_label(period),
            "deadline": day_label(data_deadline(period, programme.data_deadline_day)),
        }
        items.append(
            Item(
                _("%(team)s (%(programme)s) mangler data for %(month)s – fristen var %(deadline)s.")
                % values,
                reverse("indicators:team_results", args=[team_id]),
                late=True,
            )
        )
    return items


def pending_invitations(situation: Situation) -> list[Item]:
    """People I administer who have not accepted their invitation (open, and expired)."""
    list_url = reverse("accounts:list")
    kinds = [
        (INVITED, False, ngettext_lazy(
            "%(n)d invitation er ikke accepteret endnu.",
            "%(n)d invitationer er ikke accepteret endnu.",
            "n",
        )),
        (EXPIRED, True, ngettext_lazy(
            "%(n)d invitation er udløbet uden at blive accepteret – send en ny.",
            "%(n)d invitationer er udløbet uden at blive accepteret – send nye.",
            "n",
        )),
    ]  # fmt: skip
    items = []
    for status, late, text in kinds:
        if n := user_list(situation.user, status=status).count():
            url = f"{list_url}?{urlencode({'status': status})}"
            items.append(Item(text % {"n": n}, url, late=late))
    return items
