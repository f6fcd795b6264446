"""Who may do what: the portal's role matrix, written once and used by views, templates and tests.

Roles are not stored as such; they follow from what a person is attached to:

- administrator: `is_superuser`
- steering group member: `is_steering_group_member` (reads everything, changes nothing)
- national project lead of a programme: a `ProgrammeLead` row
- regional coordinator of a region: a `RegionalCoordinator` row
- expert group member of a programme: an `ExpertMember` row
- team member: a `TeamMember` row (the local project lead is a team member with that role)

Who may put whom on a team ("teams.add_team_member", asked with the unsaved `TeamMember` as
the object, and `team_member_candidates` for the member picker; the tests check the two agree):

- no one adds themselves, and steering group members and administrators are never team members
  (they read everything already; a membership would add writing rights the matrix withholds);
- an administrator adds anyone else;
- a national project lead adds anyone else to the teams of their programme;
- a regional coordinator adds, to the teams of their region, the people *of the region*: those
  with a team membership in one of the region's teams or naming one of its organisations, an
  expert group or national lead post naming one of its organisations, or a coordinator post for
  the region; and people attached to nothing yet (just invited, or not yet placed), who belong to
  no region. A person of another region is added by that region's coordinator or the lead.

Each permission below is checked with `user.has_perm(name, obj)` (django-rules); in templates with
`{% can "name" obj as allowed %}` from `{% load portal %}` (core/templatetags/portal.py). The
object is the programme, team, seminar, indicator or measurement concerned; `MATRIX` is the
table the tests walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules
from django.db.models import Q, QuerySet

# The models the matrix reasons about, named rather than imported: `accounts` sits below the
# apps that define them (import contracts in pyproject.toml), and the predicates only read the
# objects they are given and the relations those apps point at users.
PROGRAMME = "programmes.Programme"
TEAM = "teams.ImprovementTeam"
LOCAL_LEAD = "local_lead"  # teams.TeamMember.Role.LOCAL_LEAD (a test checks they agree)
FORMAL_LEADER = "formal_leader"  # teams.TeamMember.Role.FORMAL_LEADER


@dataclass(frozen=True)
class Roles:
    """What one person is attached to, loaded once per request (a handful of small queries)."""

    lead_programmes: frozenset[int] = field(default_factory=frozenset)
    expert_programmes: frozenset[int] = field(default_factory=frozenset)
    teams: frozenset[int] = field(default_factory=frozenset)
    team_programmes: frozenset[int] = field(default_factory=frozenset)
    local_lead_teams: frozenset[int] = field(default_factory=frozenset)
    local_lead_programmes: frozenset[int] = field(default_factory=frozenset)
    formal_leader_teams: frozenset[int] = field(default_factory=frozenset)
    regions: frozenset[int] = field(default_factory=frozenset)

    @property
    def programmes(self) -> frozenset[int]:
        """Programmes the person takes part in, in any role."""
        return self.lead_programmes | self.expert_programmes | self.team_programmes


def roles_of(user: Any) -> Roles:
    """The person's attachments, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_lkt_roles", None)
    if cached is not None:
        return cached
    # The person's attachments, reached through the relations the other apps point at users.
    memberships = list(user.team_memberships.values_list("team_id", "team__programme_id", "role"))
    roles = Roles(
        lead_programmes=frozenset(user.led_programmes.values_list("programme_id", flat=True)),
        expert_programmes=frozenset(
            user.expert_memberships.values_list("group__programme_id", flat=True)
        ),
        teams=frozenset(team for team, _, _ in memberships),
        team_programmes=frozenset(programme for _, programme, _ in memberships),
        local_lead_teams=frozenset(team for team, _, role in memberships if role == LOCAL_LEAD),
        local_lead_programmes=frozenset(
            programme for _, programme, role in memberships if role == LOCAL_LEAD
        ),
        formal_leader_teams=frozenset(
            team for team, _, role in memberships if role == FORMAL_LEADER
        ),
        regions=frozenset(user.coordinated_regions.values_list("region_id", flat=True)),
    )
    user._lkt_roles = roles
    return roles


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a change to the person's attachments."""
    if hasattr(user, "_lkt_roles"):
        del user._lkt_roles
    user.__dict__.pop("_lkt_team_region_programmes", None)


def _is(obj: Any, label: str) -> bool:
    """Whether `obj` is an instance of the model `label` ("app.Model"), without importing it."""
    meta = getattr(obj, "_meta", None)
    return meta is not None and meta.label == label


def programme_id_of(obj: Any) -> int | None:
    """The programme a programme, team, seminar, indicator, measurement … belongs to."""
    if obj is None:
        return None
    if _is(obj, PROGRAMME):
        return obj.pk
    if hasattr(obj, "programme_id"):
        return obj.programme_id
    team = team_of(obj)
    if team is not None:
        return team.programme_id
    group = getattr(obj, "group", None)  # an expert member
    return group.programme_id if group is not None else None


def team_of(obj: Any) -> Any:
    """The team a team, team member, measurement or PDSA cycle belongs to, else None."""
    if _is(obj, TEAM):
        return obj
    if getattr(obj, "team_id", None):
        return obj.team
    return None


def programme_of(obj: Any) -> Any:
    """The programme object of a programme, or of anything that has a programme or a team."""
    if obj is None or _is(obj, PROGRAMME):
        return obj
    if getattr(obj, "programme_id", None):
        return obj.programme
    team = team_of(obj)
    if team is not None:
        return team.programme
    group = getattr(obj, "group", None)  # an expert member
    return group.programme if group is not None else None


# Predicates: each answers one question about (user, object).
@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


@rules.predicate
def is_steering_member(user: Any) -> bool:
    return bool(user.is_active and user.is_steering_group_member)


@rules.predicate
def is_regional_coordinator(user: Any) -> bool:
    return bool(user.is_active and roles_of(user).regions)


@rules.predicate
def is_national_lead(user: Any, obj: Any) -> bool:
    return programme_id_of(obj) in roles_of(user).lead_programmes


@rules.predicate
def is_any_national_lead(user: Any) -> bool:
    return bool(roles_of(user).lead_programmes)


@rules.predicate
def coordinates_lead_region(user: Any, obj: Any) -> bool:
    """A coordinator of the region that holds the programme's national project management."""
    if not roles_of(user).regions:
        return False
    programme = programme_of(obj)
    return programme is not None and programme.lead_region_id in roles_of(user).regions


@rules.predicate
def is_expert(user: Any, obj: Any) -> bool:
    return programme_id_of(obj) in roles_of(user).expert_programmes


@rules.predicate
def takes_part_in_programme(user: Any, obj: Any) -> bool:
    return programme_id_of(obj) in roles_of(user).programmes


@rules.predicate
def coordinates_teams_region(user: Any, obj: Any) -> bool:
    team = team_of(obj)
    region_id = team.region_id if team is not None else getattr(obj, "region_id", None)
    return region_id in roles_of(user).regions


@rules.predicate
def coordinates_a_region_with_teams_in(user: Any, obj: Any) -> bool:
    """A coordinator of a region that has one of the programme's teams (cached per request)."""
    regions = roles_of(user).regions
    programme = programme_of(obj)
    if not regions or programme is None:
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_lkt_team_region_programmes", {})
    if programme.pk not in cache:
        cache[programme.pk] = programme.teams.filter(region_id__in=regions).exists()
    return cache[programme.pk]


@rules.predicate
def is_team_member(user: Any, obj: Any) -> bool:
    team = team_of(obj)
    return team is not None and team.pk in roles_of(user).teams


@rules.predicate
def is_any_team_member(user: Any) -> bool:
    return bool(roles_of(user).teams)


@rules.predicate
def is_local_lead(user: Any, obj: Any) -> bool:
    team = team_of(obj)
    return team is not None and team.pk in roles_of(user).local_lead_teams


@rules.predicate
def is_formal_leader(user: Any, obj: Any) -> bool:
    team = team_of(obj)
    return team is not None and team.pk in roles_of(user).formal_leader_teams


# Adding a person to a team: the object is the unsaved `TeamMember` (its team and its person).
@rules.predicate
def adds_someone_else(user: Any, member: Any) -> bool:
    person = getattr(member, "user", None)
    return person is not None and person.pk != user.pk


@rules.predicate
def may_join_a_team(user: Any, member: Any) -> bool:
    person = getattr(member, "user", None)
    return person is not None and not (person.is_superuser or person.is_steering_group_member)


@rules.predicate
def adds_someone_of_the_teams_region(user: Any, member: Any) -> bool:
    team = team_of(member)
    person = getattr(member, "user", None)
    if team is None or person is None:
        return False
    same_person = type(person).objects.filter(pk=person.pk)
    return same_person.filter(of_region_or_unattached(same_person, team.region_id)).exists()


def of_region_or_unattached(people: QuerySet, region_id: int) -> Q:
    """People of the region (see the module's docstring) or attached to nothing at all."""
    everyone = people.model.objects
    of_region = (
        Q(team_memberships__team__region_id=region_id)
        | Q(team_memberships__organisation__region_id=region_id)
        | Q(expert_memberships__organisation__region_id=region_id)
        | Q(led_programmes__organisation__region_id=region_id)
        | Q(coordinated_regions__region_id=region_id)
    )
    attached = (
        Q(team_memberships__isnull=False)
        | Q(expert_memberships__isnull=False)
        | Q(led_programmes__isnull=False)
        | Q(coordinated_regions__isnull=False)
    )
    return Q(pk__in=everyone.filter(of_region).values("pk")) | ~Q(
        pk__in=everyone.filter(attached).values("pk")
    )


def team_member_candidates(user: Any, team: Any, people: QuerySet) -> QuerySet:
    """Those of `people` whom `user` may add to `team`: "teams.add_team_member" as a query."""
    if not getattr(user, "is_active", False):
        return people.none()
    people = people.filter(is_superuser=False, is_steering_group_member=False).exclude(pk=user.pk)
    if user.is_superuser or team.programme_id in roles_of(user).lead_programmes:
        return people
    if team.region_id in roles_of(user).regions:
        return people.filter(of_region_or_unattached(people, team.region_id))
    return people.none()


signed_in = rules.is_authenticated & rules.is_active
admin = is_administrator
reads_all = is_administrator | is_steering_member | is_regional_coordinator

# The matrix. Left: the permission; right: who holds it.
MATRIX: dict[str, rules.Predicate] = {
    # Programmes: their description is public to every signed-in user.
    "programmes.view_programme": signed_in,
    "programmes.add_programme": admin,
    "programmes.change_programme": admin | is_national_lead,
    "programmes.change_programme_status": admin | is_national_lead,
    "programmes.manage_expert_group": admin | is_national_lead,
    "programmes.view_status_overview": reads_all | is_any_national_lead,
    "programmes.rate_status": admin | is_national_lead,
    # Indicators: the national project lead and the expert group create and edit them; once
    # teams have registered data an expert's change is a proposal the lead decides on.
    "indicators.change_indicator": admin | is_national_lead | is_expert,
    "indicators.decide_indicator_change": admin | is_national_lead,
    "indicators.propose_indicator_change": admin | is_national_lead | is_expert,
    # Teams and their results: open inside the programme, closed outside it.
    "teams.view_teams": reads_all | takes_part_in_programme,
    "teams.add_team": admin | is_national_lead | is_regional_coordinator,
    "teams.change_team": admin | is_national_lead | coordinates_teams_region,
    "teams.manage_team_members": admin | is_national_lead | coordinates_teams_region,
    "teams.add_team_member": (
        admin | is_national_lead | (coordinates_teams_region & adds_someone_of_the_teams_region)
    )
    & adds_someone_else
    & may_join_a_team,
    "indicators.view_team_data": reads_all | takes_part_in_programme,
    "indicators.change_team_data": admin | is_team_member,
    "indicators.upload_team_data": admin | is_any_team_member,
    # PDSA cycles: read by everyone in the programme (openness is part of the LKT commitment),
    # written by the team's own members, whatever their role on it.
    "teams.view_pdsa": reads_all | takes_part_in_programme,
    "teams.change_pdsa": admin | is_team_member,
    # The driver diagram and change package: read by everyone in the programme (openness is part
    # of the LKT commitment), edited by the national project lead and the expert group.
    "learning.view_diagram": admin
    | is_steering_member
    | takes_part_in_programme
    | coordinates_a_region_with_teams_in,
    "learning.change_diagram": admin | is_national_lead | is_expert,
    # The learning library: openness about results is part of the LKT commitment.
    "learning.view_library": reads_all | takes_part_in_programme,
    # The monthly report: the local project lead gives the team's own IHI score and note, the
    # programme's expert group its score of the team; the lead and the experts read them all.
    "teams.set_progress_score": admin | is_local_lead,
    "teams.rate_team": admin | is_expert,
    "teams.view_monthly_reports": admin | is_national_lead | is_expert,
    "indicators.set_chart_baseline": admin | is_national_lead,
    # Sustainment (seed 003): the plans and review dates are read by everyone in the LKT; the
    # national lead keeps the national plan and the reviews, the team its own plan, which only
    # the team's formal leader approves (not an administrator: approving is the leader's backing).
    "programmes.view_sustainment": reads_all | takes_part_in_programme,
    "programmes.change_sustainment": admin | is_national_lead,
    "teams.change_sustainment_plan": admin | is_team_member,
    "teams.approve_sustainment_plan": is_formal_leader,
    # Seminars: planned by the national project management (the lead and the lead region's
    # coordinators); registrations also by the teams' own regions.
    "seminars.manage_seminar": admin | is_national_lead | coordinates_lead_region,
    "seminars.register_participants": admin
    | is_national_lead
    | coordinates_teams_region
    | is_local_lead,
    # People.
    "accounts.invite_user": admin | is_any_national_lead | is_regional_coordinator,
    "accounts.deactivate_user": admin | is_regional_coordinator,
    "accounts.view_audit_trail": admin,
}


def may_add_team_member(user: Any, member: Any) -> bool:
    """ "teams.add_team_member" for the unsaved `member`, asked of the matrix itself: Django's
    `has_perm` answers yes to every question from an active superuser, and this one has a no
    for administrators too (adding themselves, or the steering group)."""
    return bool(MATRIX["teams.add_team_member"].test(user, member))


def may_approve_sustainment_plan(user: Any, team: Any) -> bool:
    """ "teams.approve_sustainment_plan" asked of the matrix itself (an administrator's
    `has_perm` says yes to everything; only the team's formal leader approves)."""
    return bool(user.is_active and MATRIX["teams.approve_sustainment_plan"].test(user, team))


for _name, _predicate in MATRIX.items():
    rules.add_perm(_name, _predicate)
