"""Search across the portal, limited to what the person may open.

Each kind of result is one `Kind`: the objects the person may see (the same rule as the kind's
list or detail page), the fields searched, and how a hit reads and links. On PostgreSQL the text
fields are matched with full-text search in the Danish configuration, each word also as a prefix
("lunge" finds "lungerehabilitering"); elsewhere (SQLite under `make run`) every word must occur
in one of the fields (icontains). People are matched on name and e-mail in both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import roles_of
from core.textsearch import matching, words_of
from indicators.models import Indicator
from people.selectors import administrable_users
from programmes.models import Programme
from seminars.models import Seminar
from teams.models import ImprovementTeam, PDSACycle, TeamMember
from teams.selectors import team_list

PER_KIND = 10  # results shown of each kind


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Kind:
    key: str
    title: str | Promise
    visible: Callable[[User], QuerySet]
    fields: tuple[str, ...]
    hit: Callable[[Any], Hit]


# --- Who sees what: the rules of the kinds' own pages ---------------------------------------


def visible_programmes(user: User) -> QuerySet[Programme]:
    """Every signed-in person reads every programme ("programmes.view_programme")."""
    return Programme.objects.select_related("lead_region")


def visible_team_ids(user: User) -> QuerySet:
    return team_list(user).order_by().values("pk")


def visible_teams(user: User) -> QuerySet[ImprovementTeam]:
    return ImprovementTeam.objects.filter(pk__in=visible_team_ids(user)).select_related(
        "programme", "region"
    )


def visible_seminars(user: User) -> QuerySet[Seminar]:
    """Every signed-in person reads every seminar (its programme is public)."""
    return Seminar.objects.select_related("programme")


def visible_indicators(user: User) -> QuerySet[Indicator]:
    """The active indicators, listed on their (public) programme's page."""
    return Indicator.objects.filter(is_active=True).select_related("programme")


def visible_cycles(user: User) -> QuerySet[PDSACycle]:
    """PDSA cycles of the teams whose page the person may open (the page lists them)."""
    return PDSACycle.objects.filter(team_id__in=visible_team_ids(user)).select_related("team")


def people_hits(user: User, words: list[str]) -> list[Hit]:
    """People: those the person administers (shown in the user list), else the members of the
    teams whose page the person may open (shown there)."""
    if not words or len("".join(words)) < 2:
        return []
    if user.has_perm("accounts.invite_user"):
        people = administrable_users(user)
        for word in words:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        list_url = reverse("accounts:list")
        return [
            Hit(
                str(person),
                person.email,
                f"{list_url}?{urlencode({'q': person.email})}",
            )
            for person in people.order_by("first_name", "last_name", "email")[:PER_KIND]
        ]
    members = TeamMember.objects.filter(
        team_id__in=visible_team_ids(user), user__is_active=True
    ).select_related("user", "team")
    for word in words:
        members = members.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    hits: dict[int, Hit] = {}
    for member in members.order_by("user__first_name", "user__last_name", "user_id", "team_id")[
        : PER_KIND * 3
    ]:
        if member.user_id not in hits and len(hits) < PER_KIND:
            hits[member.user_id] = Hit(
                str(member.user),
                member.team.name,
                reverse("teams:detail", args=[member.team_id]) + "#members-heading",
            )
    return list(hits.values())


KINDS: tuple[Kind, ...] = (
    Kind(
        "programmes",
        _("Programmer"),
        visible_programmes,
        ("name", "clinical_area", "description", "target_population", "concept"),
        lambda p: Hit(p.name, str(p.lead_region), reverse("programmes:detail", args=[p.pk])),
    ),
    Kind(
        "teams",
        _("Teams"),
        visible_teams,
        ("name", "aim", "programme__name", "region__name"),
        lambda t: Hit(
            t.name, f"{t.programme.name} · {t.region.name}", reverse("teams:detail", args=[t.pk])
        ),
    ),
    Kind(
        "seminars",
        _("Seminarer"),
        visible_seminars,
        ("title", "place", "agenda", "programme__name"),
        lambda s: Hit(str(s), s.programme.name, reverse("seminars:detail", args=[s.pk])),
    ),
    Kind(
        "indicators",
        _("Indikatorer"),
        visible_indicators,
        ("name", "definition"),
        lambda i: Hit(
            i.name,
            i.programme.name,
            reverse("programmes:detail", args=[i.programme_id]) + "#indicators",
        ),
    ),
    Kind(
        "pdsa",
        _("PDSA-cyklusser"),
        visible_cycles,
        ("title", "plan", "do", "study", "act"),
        lambda c: Hit(c.title, c.team.name, reverse("teams:pdsa_detail", args=[c.team_id, c.pk])),
    ),
)


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    hits: list[Hit]


def search(user: User, query: str) -> list[Group]:
    """The groups of results with at least one hit, for a query already checked by the form."""
    words = words_of(query)
    if not words:
        return []
    roles_of(user)  # loaded once here, read by every kind's rule
    groups = []
    for kind in KINDS:
        objects = matching(kind.visible(user), kind.fields, words)[:PER_KIND]
        hits = [kind.hit(obj) for obj in objects]
        if hits:
            groups.append(Group(kind.key, kind.title, hits))
    if people := people_hits(user, words):
        groups.append(Group("people", _("Personer"), people))
    return groups
