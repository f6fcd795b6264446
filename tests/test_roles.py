"""The role matrix, walked for every role against a fixed cast (see `Cast` in conftest)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.roles import (
    MATRIX,
    may_add_team_member,
    may_approve_sustainment_plan,
    team_member_candidates,
)
from teams.models import TeamMember

# Expected answers, written by hand from what each role is for (not copied from MATRIX).
# Columns: administrator, steering, lead (KOL), coordinator (RM), expert (KOL),
#          local_lead (KOL team in RM), member (KOL team in RSD), outsider (ADHD team), nobody.
PEOPLE = [
    "administrator",
    "steering",
    "lead",
    "coordinator",
    "expert",
    "local_lead",
    "member",
    "outsider",
    "nobody",
]
EXPECTED = {
    ("programmes.view_programme", "kol"): "111111111",
    ("programmes.change_programme", "kol"): "101000000",
    ("programmes.change_programme", "adhd"): "100000000",
    ("programmes.change_programme_status", "kol"): "101000000",
    ("programmes.manage_expert_group", "kol"): "101000000",
    ("indicators.change_indicator", "kol"): "101010000",
    ("indicators.change_indicator", "adhd"): "100000000",
    ("indicators.decide_indicator_change", "kol"): "101000000",
    ("indicators.propose_indicator_change", "kol"): "101010000",
    ("teams.view_teams", "kol"): "111111100",
    ("teams.view_teams", "adhd"): "110100010",
    ("teams.add_team", "kol"): "101100000",
    ("teams.change_team", "kol_rm"): "101100000",
    ("teams.change_team", "kol_rsd"): "101000000",
    ("teams.change_team", "adhd_rsd"): "100000000",
    ("teams.manage_team_members", "kol_rm"): "101100000",
    # Adding "person→team": no one adds themselves; no steering member or administrator joins a
    # team; the coordinator adds only people of the team's region, or people attached to nothing.
    ("teams.add_team_member", "nobody→kol_rm"): "101100000",
    ("teams.add_team_member", "member→kol_rm"): "101000000",  # member: a team in Syddanmark
    ("teams.add_team_member", "outsider→kol_rm"): "101000000",
    ("teams.add_team_member", "local_lead→kol_rm"): "101100000",  # of Midtjylland's KOL team
    ("teams.add_team_member", "lead→kol_rm"): "100000000",
    ("teams.add_team_member", "coordinator→kol_rm"): "101000000",
    ("teams.add_team_member", "steering→kol_rm"): "000000000",
    ("teams.add_team_member", "administrator→kol_rm"): "000000000",
    ("teams.add_team_member", "nobody→kol_rsd"): "101000000",
    ("teams.add_team_member", "nobody→adhd_rsd"): "100000000",
    ("indicators.view_team_data", "kol_rsd"): "111111100",
    ("indicators.view_team_data", "adhd_rsd"): "110100010",
    ("indicators.change_team_data", "kol_rm"): "100001000",
    ("indicators.change_team_data", "kol_rsd"): "100000100",
    ("teams.view_pdsa", "kol_rm"): "111111100",
    ("teams.view_pdsa", "adhd_rsd"): "110100010",
    ("teams.change_pdsa", "kol_rm"): "100001000",
    ("teams.change_pdsa", "kol_rsd"): "100000100",
    ("teams.change_pdsa", "adhd_rsd"): "100000010",
    # Everyone in the programme reads its learning library; a team of another LKT does not.
    ("learning.view_library", "kol"): "111111100",
    ("learning.view_library", "adhd"): "110100010",
    ("teams.set_progress_score", "kol_rm"): "100001000",
    ("teams.set_progress_score", "kol_rsd"): "100000000",
    # The expert group rates the teams of its own programme only; the lead reads the reports.
    ("teams.rate_team", "kol_rm"): "100010000",
    ("teams.rate_team", "kol_rsd"): "100010000",
    ("teams.rate_team", "adhd_rsd"): "100000000",
    ("teams.view_monthly_reports", "kol"): "101010000",
    ("teams.view_monthly_reports", "adhd"): "100000000",
    ("seminars.manage_seminar", "kol"): "101100000",  # the coordinator's region leads KOL
    ("seminars.manage_seminar", "adhd"): "100000000",
    ("seminars.register_participants", "kol_rm"): "101101000",
    ("seminars.register_participants", "kol_rsd"): "101000000",
    ("accounts.invite_user", None): "101100000",
    ("indicators.set_chart_baseline", "kol"): "101000000",
    ("programmes.add_programme", None): "100000000",
    ("programmes.view_status_overview", None): "111100000",
    ("programmes.rate_status", "kol"): "101000000",
    ("accounts.deactivate_user", None): "100100000",
    ("accounts.view_audit_trail", None): "100000000",
    ("indicators.upload_team_data", None): "100001110",
    # Sustainment: read inside the LKT; the national plan by its lead, a team's plan by the
    # team; approval by the team's formal leader only (the cast has none: see
    # tests/test_sustainment_plans.py for the leader's yes).
    ("programmes.view_sustainment", "kol"): "111111100",
    ("programmes.view_sustainment", "adhd"): "110100010",
    ("programmes.change_sustainment", "kol"): "101000000",
    ("teams.change_sustainment_plan", "kol_rm"): "100001000",
    ("teams.change_sustainment_plan", "kol_rsd"): "100000100",
    ("teams.approve_sustainment_plan", "kol_rm"): "000000000",
    # The driver diagram: everyone in the programme reads it (the coordinator of Midtjylland
    # reads KOL's, which has a team there, not ADHD's); the lead and the expert group edit it.
    ("learning.view_diagram", "kol"): "111111100",
    ("learning.view_diagram", "adhd"): "110000010",
    ("learning.view_diagram", "kol_rsd"): "111111100",
    ("learning.change_diagram", "kol"): "101010000",
    ("learning.change_diagram", "adhd"): "100000000",
}


@pytest.mark.parametrize(("permission", "target"), list(EXPECTED), ids=lambda v: str(v))
def test_the_matrix_answers_as_the_roles_describe(cast, permission, target) -> None:
    obj = resolve(cast, target)
    answers = "".join(
        "1" if holds(getattr(cast, person), permission, obj) else "0" for person in PEOPLE
    )
    assert answers == EXPECTED[(permission, target)], dict(zip(PEOPLE, answers, strict=True))


def holds(user, permission: str, obj) -> bool:
    if permission == "teams.add_team_member":  # asked of the matrix: has_perm says yes to admins
        return may_add_team_member(user, obj)
    if permission == "teams.approve_sustainment_plan":  # likewise: no yes for administrators
        return may_approve_sustainment_plan(user, obj)
    return user.has_perm(permission, obj)


def resolve(cast, target: str | None):
    """A cast member's object, or for "person→team" the membership about to be made."""
    if target is None:
        return None
    if "→" in target:
        person, team = target.split("→")
        return TeamMember(team=getattr(cast, team), user=getattr(cast, person))
    return getattr(cast, target)


ADDING = [target for permission, target in EXPECTED if permission == "teams.add_team_member"]


@pytest.mark.parametrize("target", ADDING)
def test_the_member_picker_offers_exactly_whom_the_matrix_lets_add(cast, target) -> None:
    person, team = target.split("→")
    member = resolve(cast, target)
    for adder in PEOPLE:
        user = getattr(cast, adder)
        offered = team_member_candidates(user, member.team, User.objects.all())
        assert offered.filter(pk=member.user.pk).exists() == may_add_team_member(user, member), (
            adder,
            person,
            team,
        )


def test_every_permission_in_the_matrix_is_tested() -> None:
    assert {permission for permission, _ in EXPECTED} == set(MATRIX)


def test_an_anonymous_visitor_holds_no_permission(cast) -> None:
    anonymous = AnonymousUser()
    assert not any(anonymous.has_perm(name, cast.kol) for name in MATRIX)


def test_a_deactivated_administrator_holds_nothing(cast) -> None:
    cast.administrator.is_active = False
    cast.administrator.save()
    assert not cast.administrator.has_perm("programmes.change_programme", cast.kol)


def test_the_role_matrix_names_the_models_and_the_local_lead_role_as_the_apps_define_them() -> None:
    """accounts/roles.py names what it may not import; the names must match the real ones."""
    from accounts import roles
    from programmes.models import Programme
    from teams.models import ImprovementTeam, TeamMember

    assert Programme._meta.label == roles.PROGRAMME
    assert ImprovementTeam._meta.label == roles.TEAM
    assert roles.LOCAL_LEAD == TeamMember.Role.LOCAL_LEAD
    assert roles.FORMAL_LEADER == TeamMember.Role.FORMAL_LEADER
