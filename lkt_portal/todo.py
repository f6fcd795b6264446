"""The home page's to-do list: small rules, one function per kind of item, grouped by role.

Each rule takes the person's `Situation` (who, with which roles, on which day) and returns
`Item`s: a sentence and the link to the page where the thing is done. A section of the home page
shows the rules of one role when the person holds it; a new kind of item (proposals waiting,
monthly reports missing, …) is one more function in `SECTIONS`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from accounts.models import User
from accounts.roles import Roles, roles_of
from core.months import RECENT_PERIODS, add_months, data_deadline, due_months, first_of_month
from indicators.models import IndicatorProposal
from people.selectors import EXPIRED, INVITED, user_list
from programmes.models import Programme, Region
from reminders.scanner import late_teams
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, PDSACycle
from teams.selectors import (
    programme_rating_gaps,
    reportable_months,
    teams_without_expert_score,
)
from teams.selectors import teams_without_monthly_report as unreported_teams

NAMES_SHOWN = 4  # teams named in one item; "(+3)" counts the rest


@dataclass(frozen=True)
class Situation:
    """Who asks, with which attachments, on which day."""

    user: User
    roles: Roles
    today: dt.date

    @classmethod
    def of(cls, user: User) -> Situation:
        return cls(user=user, roles=roles_of(user), today=timezone.localdate())


@dataclass(frozen=True)
class Item:
    """One thing to do (or to know): what, and where it is done."""

    text: str
    url: str
    late: bool = False
    fyi: bool = False  # for information (the next seminar): left out where its link is listed


Rule = Callable[[Situation], list[Item]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    applies: Callable[[Situation], bool]
    rules: tuple[Rule, ...] = field(default_factory=tuple)


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def day_label(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def names(teams: Iterable[ImprovementTeam]) -> str:
    listed = sorted(team.name for team in teams)
    shown = ", ".join(listed[:NAMES_SHOWN])
    return shown + (f" (+{len(listed) - NAMES_SHOWN})" if len(listed) > NAMES_SHOWN else "")


# --- Months and missing data -----------------------------------------------------------------


def open_month(programme: Programme, today: dt.date) -> dt.date | None:
    """Last month, while its data deadline has not passed yet (and the programme covers it)."""
    month = add_months(first_of_month(today), -1)
    if not programme.covers(month):
        return None
    return month if today <= data_deadline(month, programme.data_deadline_day) else None


def latest_due_month(programme: Programme, today: dt.date) -> dt.date | None:
    """The newest month whose data deadline has passed."""
    due = due_months(programme.start_date, programme.end_date, programme.data_deadline_day, today)
    return due[-1] if due else None


def missing_by_period(programmes: Iterable[Programme], periods: dict[int, list[dt.date]]) -> dict:
    """{(team id, period): team} for the active teams lacking a figure, period by period."""
    wanted: dict[dt.date, list[int]] = defaultdict(list)
    for programme in programmes:
        for period in periods.get(programme.pk, []):
            wanted[period].append(programme.pk)
    missing = {}
    for period, programme_ids in sorted(wanted.items()):
        for pk, team in late_teams(programme_ids, period).items():
            missing[pk, period] = team
    return missing


def active_programmes(ids: Iterable[int]) -> list[Programme]:
    return list(
        Programme.objects.filter(pk__in=list(ids), status=Programme.Status.ACTIVE).order_by("name")
    )


# --- Team members ----------------------------------------------------------------------------


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
            reverse("teams:detail", args=[cycle.team_id]) + f"#pdsa-{cycle.pk}",
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


def next_seminar_item(seminar: Seminar | None) -> list[Item]:
    if seminar is None:
        return []
    values = {
        "seminar": seminar,
        "programme": seminar.programme.name,
        "day": day_label(timezone.localdate(seminar.starts_at)),
        "place": seminar.place,
    }
    return [
        Item(
            _("Næste seminar: %(seminar)s (%(programme)s) %(day)s, %(place)s.") % values,
            reverse("seminars:detail", args=[seminar.pk]),
            fyi=True,
        )
    ]


def upcoming_seminars(programme_ids: Iterable[int]) -> QuerySet[Seminar]:
    return (
        Seminar.objects.upcoming()
        .filter(programme_id__in=list(programme_ids))
        .select_related("programme")
        .order_by("starts_at", "pk")
    )


def next_team_seminar(situation: Situation) -> list[Item]:
    """The next seminar of my teams' programmes."""
    return next_seminar_item(upcoming_seminars(situation.roles.team_programmes).first())


# --- National project leads ------------------------------------------------------------------


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


def report_month(programme: Programme, today: dt.date) -> dt.date | None:
    """The month whose monthly report is owed: the newest whose data deadline has passed, if
    the programme's monthly reports page offers it (it offers the months up to the current)."""
    month = latest_due_month(programme, today)
    return month if month in reportable_months(programme) else None


def report_months(programmes: Iterable[Programme], today: dt.date) -> dict[int, dt.date]:
    return {p.pk: m for p in programmes if (m := report_month(p, today))}


def teams_by_programme(
    months: dict[int, dt.date], select: Callable[[dt.date, QuerySet], QuerySet]
) -> dict[int, list[ImprovementTeam]]:
    """The teams `select` picks of each programme for its month: one query per distinct month."""
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    for programme_id, month in months.items():
        by_month[month].append(programme_id)
    grouped: dict[int, list[ImprovementTeam]] = defaultdict(list)
    for month, programme_ids in by_month.items():
        teams = ImprovementTeam.objects.filter(programme_id__in=programme_ids)
        for team in select(month, teams.only("pk", "name", "programme_id")).order_by("name"):
            grouped[team.programme_id].append(team)
    return grouped


def reports_url(programme_id: int, month: dt.date, anchor: str = "") -> str:
    url = reverse("indicators:monthly_reports", args=[programme_id])
    return f"{url}?{urlencode({'maaned': f'{month:%Y-%m}'})}{anchor}"


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


# --- Regional coordinators -------------------------------------------------------------------


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
