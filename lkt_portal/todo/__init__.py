"""The home page's to-do list: small rules, one function per kind of item, grouped by role.

Each rule takes the person's `Situation` (who, with which roles, on which day) and returns
`Item`s: a sentence and the link to the page where the thing is done. A section of the home page
shows the rules of one role when the person holds it; a new kind of item (proposals waiting,
monthly reports missing, …) is one more function in its role's module, listed in `SECTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lkt_portal.todo.base import Item, Section, Situation
from lkt_portal.todo.coordinator import pending_invitations, region_teams_missing_data
from lkt_portal.todo.expert import next_expert_seminar, rating_gaps_to_discuss, teams_to_rate
from lkt_portal.todo.lead import (
    late_teams_of_programmes,
    next_programme_seminar,
    proposals_waiting,
    teams_without_monthly_report,
)
from lkt_portal.todo.team import (
    cycles_to_study,
    monthly_report_to_give,
    months_to_register,
    next_team_seminar,
    plans_to_approve,
    seminar_invitations,
)

__all__ = [
    "SECTIONS",
    "Item",
    "Section",
    "SectionItems",
    "Situation",
    "reads_everything",
    "todo_sections",
]


# --- The sections, in the order the home page shows them -------------------------------------


def reads_everything(situation: Situation) -> bool:
    return bool(situation.user.is_superuser or situation.user.is_steering_group_member)


SECTIONS: tuple[Section, ...] = (
    Section(
        "team",
        gettext_lazy("Dit forbedringsteam"),
        lambda s: bool(s.roles.teams),
        (
            months_to_register,
            plans_to_approve,
            monthly_report_to_give,
            cycles_to_study,
            seminar_invitations,
            next_team_seminar,
        ),
    ),
    Section(
        "lead",
        gettext_lazy("National projektledelse"),
        lambda s: bool(s.roles.lead_programmes),
        (
            late_teams_of_programmes,
            teams_without_monthly_report,
            proposals_waiting,
            next_programme_seminar,
        ),
    ),
    Section(
        "coordinator",
        gettext_lazy("Regional tovholder"),
        lambda s: bool(s.roles.regions),
        (region_teams_missing_data, pending_invitations),
    ),
    Section(
        "expert",
        gettext_lazy("Ekspertgruppe"),
        lambda s: bool(s.roles.expert_programmes),
        (teams_to_rate, rating_gaps_to_discuss, next_expert_seminar),
    ),
    Section(
        "administrator",
        gettext_lazy("Administrator"),
        lambda s: bool(s.user.is_superuser),
        (pending_invitations,),
    ),
)


@dataclass(frozen=True)
class SectionItems:
    key: str
    title: str | Promise
    items: list[Item]


def todo_sections(situation: Situation) -> list[SectionItems]:
    """The sections the person's roles give, each with its items (an aside not twice)."""
    result = []
    for section in SECTIONS:
        if not section.applies(situation):
            continue
        items: list[Item] = []
        seen: set[str] = set()
        for rule in section.rules:
            for item in rule(situation):
                if not (item.fyi and item.url in seen):
                    seen.add(item.url)
                    items.append(item)
        result.append(SectionItems(section.key, section.title, items))
    return result
