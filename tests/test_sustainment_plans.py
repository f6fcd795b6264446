"""Sustainment plans: the national plan and the teams' plans, approval by the team's formal
leader only, back to draft after an edit, the review log and the review dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.months import add_months
from programmes.models import SustainmentReview
from teams.models import SustainmentLogEntry, SustainmentPlan, TeamMember
from teams.sustainment import sustainment_plan_approve, sustainment_plan_save, team_plan_of
from tests import factories as f

pytestmark = pytest.mark.django_db

FULL = {
    "criteria": "Mindst 85 % mobiliseret inden 24 timer, målt kvartalsvis",
    "roles": "Kvalitetskoordinatoren trækker data; afdelingsledelsen følger op",
    "anchoring": "Afdelingens kvalitetsråd",
    "resources": "To timer om måneden til data",
}


@pytest.fixture
def leader(cast):
    return f.TeamMemberFactory(
        team=cast.kol_rm, role=TeamMember.Role.FORMAL_LEADER, user__email="leder@example.dk"
    ).user


def written_plan(team, **sections) -> SustainmentPlan:
    plan = team_plan_of(team)
    sustainment_plan_save(plan=plan, by=None, **(FULL | sections))
    return team_plan_of(team)


def test_the_formal_leader_approves_and_who_and_when_are_recorded(cast, leader, client) -> None:
    written_plan(cast.kol_rm)
    client.force_login(leader)

    response = client.post(reverse("teams:approve_sustainment_plan", args=[cast.kol_rm.pk]))

    assert response.status_code == 302
    plan = SustainmentPlan.objects.get(team=cast.kol_rm)
    assert plan.state == "approved"
    assert plan.approved_by == leader
    assert plan.approved_at is not None


@pytest.mark.parametrize("who", ["administrator", "local_lead", "lead", "member", "steering"])
def test_nobody_but_the_formal_leader_approves(cast, leader, client, who) -> None:
    plan = written_plan(cast.kol_rm)
    client.force_login(getattr(cast, who))

    response = client.post(reverse("teams:approve_sustainment_plan", args=[cast.kol_rm.pk]))

    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        sustainment_plan_approve(plan=plan, by=getattr(cast, who))
    assert SustainmentPlan.objects.get(team=cast.kol_rm).state == "draft"


def test_the_formal_leader_of_another_team_does_not_approve(cast, leader) -> None:
    other = f.TeamMemberFactory(team=cast.kol_rsd, role=TeamMember.Role.FORMAL_LEADER).user
    plan = written_plan(cast.kol_rm)
    with pytest.raises(PermissionDenied):
        sustainment_plan_approve(plan=plan, by=other)


def test_a_plan_with_an_empty_section_is_not_approved(cast, leader, client) -> None:
    written_plan(cast.kol_rm, anchoring="  ")
    client.force_login(leader)

    response = client.post(
        reverse("teams:approve_sustainment_plan", args=[cast.kol_rm.pk]), follow=True
    )

    assert "forankring" in response.content.decode()
    assert SustainmentPlan.objects.get(team=cast.kol_rm).state == "draft"


def test_an_edit_after_approval_returns_the_plan_to_draft_with_a_message(
    cast, leader, client
) -> None:
    plan = written_plan(cast.kol_rm)
    sustainment_plan_approve(plan=plan, by=leader)
    client.force_login(cast.local_lead)

    response = client.post(
        reverse("teams:sustainment", args=[cast.kol_rm.pk]),
        FULL | {"anchoring": "Sundhedsklyngen"},
        follow=True,
    )

    plan = SustainmentPlan.objects.get(team=cast.kol_rm)
    assert (plan.state, plan.approved_by, plan.approved_at) == ("draft", None, None)
    assert plan.anchoring == "Sundhedsklyngen"
    assert "udkast igen" in response.content.decode()


def test_saving_an_approved_plan_unchanged_keeps_it_approved(cast, leader, client) -> None:
    sustainment_plan_approve(plan=written_plan(cast.kol_rm), by=leader)
    client.force_login(cast.local_lead)

    client.post(reverse("teams:sustainment", args=[cast.kol_rm.pk]), FULL)

    assert SustainmentPlan.objects.get(team=cast.kol_rm).state == "approved"


def test_the_same_plan_posted_twice_makes_one_plan(cast, client) -> None:
    client.force_login(cast.local_lead)
    url = reverse("teams:sustainment", args=[cast.kol_rm.pk])
    client.post(url, FULL)
    client.post(url, FULL)
    assert SustainmentPlan.objects.filter(team=cast.kol_rm).count() == 1


def test_the_national_lead_writes_the_national_plan(cast, client) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:sustainment", args=[cast.kol.pk])

    client.post(url, FULL)
    client.post(url, FULL)

    plan = SustainmentPlan.objects.get(programme=cast.kol, team__isnull=True)
    assert plan.anchoring == FULL["anchoring"]


@pytest.mark.parametrize(
    "text",
    ["\x00\x01kontrol", "a" * 20000, "Linje 1\r\nLinje 2", "0101901234"],
    ids=["control", "long", "crlf", "cpr"],
)
def test_hostile_plan_text_is_answered_with_a_message_or_cleaned(cast, client, text) -> None:
    client.force_login(cast.local_lead)

    response = client.post(
        reverse("teams:sustainment", args=[cast.kol_rm.pk]), FULL | {"criteria": text}
    )

    assert response.status_code in (200, 302)
    plan = SustainmentPlan.objects.filter(team=cast.kol_rm).first()
    if response.status_code == 200:
        assert response.context["form"].errors["criteria"]
        assert plan is None
    else:
        assert "\x00" not in plan.criteria and "\r" not in plan.criteria


def test_the_review_log_takes_a_line_and_refuses_a_future_date(cast, client, clock) -> None:
    client.force_login(cast.local_lead)
    url = reverse("teams:add_sustainment_log", args=[cast.kol_rm.pk])

    client.post(url, {"held_on": clock.today().isoformat(), "note": "Gevinsterne holder"})
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    refused = client.post(url, {"held_on": future, "note": "For tidligt"}, follow=True)
    client.post(url, {"held_on": "2027-02-31", "note": "Umulig dato"})
    client.post(url, {"held_on": clock.today().isoformat(), "note": ""})

    assert list(SustainmentLogEntry.objects.values_list("note", flat=True)) == [
        "Gevinsterne holder"
    ]
    assert "fremtiden" in refused.content.decode()


@pytest.mark.clock
def test_the_national_lead_plans_moves_holds_and_removes_review_dates(cast, client, clock) -> None:
    client.force_login(cast.lead)
    add = reverse("programmes:add_sustainment_review", args=[cast.kol.pk])
    day = add_months(clock.month(), 4)

    client.post(add, {"due_on": day.isoformat()})
    twice = client.post(add, {"due_on": day.isoformat()}, follow=True)
    client.post(add, {"due_on": "99999-12-01"})

    review = SustainmentReview.objects.get(programme=cast.kol)
    assert "allerede" in twice.content.decode()
    edit = reverse("programmes:edit_sustainment_review", args=[cast.kol.pk, review.pk])
    client.post(
        edit,
        {"due_on": day.isoformat(), "held_on": clock.today().isoformat(), "note": "Holder"},
    )
    review.refresh_from_db()
    assert (review.held_on, review.note) == (clock.today(), "Holder")
    future = client.post(
        edit, {"due_on": day.isoformat(), "held_on": day.isoformat(), "note": "Nej"}
    )
    assert future.status_code == 200 and "held_on" in future.context["form"].errors
    client.post(reverse("programmes:remove_sustainment_review", args=[cast.kol.pk, review.pk]))
    assert not SustainmentReview.objects.filter(programme=cast.kol).exists()


def test_an_approval_is_refused_for_a_plan_not_yet_written(cast, leader) -> None:
    with pytest.raises(ValidationError):
        sustainment_plan_approve(plan=team_plan_of(cast.kol_rm), by=leader)


def test_the_plan_state_shows_on_the_team_and_programme_pages(cast, leader, client) -> None:
    sustainment_plan_approve(plan=written_plan(cast.kol_rm), by=leader)
    client.force_login(cast.member)

    team_page = client.get(reverse("teams:detail", args=[cast.kol_rm.pk])).content.decode()
    programme_page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()
    plans_page = client.get(reverse("programmes:sustainment", args=[cast.kol.pk])).content.decode()

    assert "Plan godkendt" in team_page
    assert reverse("teams:sustainment", args=[cast.kol_rm.pk]) in team_page
    assert "1 af 2 teams har en godkendt plan" in programme_page
    assert "Plan godkendt" in plans_page and "Ingen plan" in plans_page


def test_the_programme_plans_page_reads_the_teams_in_a_fixed_number_of_queries(
    cast, client, django_assert_max_num_queries
) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:sustainment", args=[cast.kol.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(6):
        team = f.TeamFactory(programme=cast.kol, region=cast.regions["rm"], name=f"Team {n}")
        written_plan(team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_formal_leader_sees_the_plan_to_approve_on_the_home_page(cast, leader, client) -> None:
    written_plan(cast.kol_rm, roles="")
    client.force_login(leader)
    assert "Godkend fastholdelsesplanen" not in client.get(reverse("home")).content.decode()

    written_plan(cast.kol_rm)
    page = client.get(reverse("home")).content.decode()

    assert "Godkend fastholdelsesplanen for Lungemedicin AUH" in page
    client.force_login(cast.local_lead)
    assert "Godkend fastholdelsesplanen" not in client.get(reverse("home")).content.decode()
