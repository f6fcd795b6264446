"""The PDSA services and the cycle's rules: a cycle's idea and indicators belong to its team's
programme, its dates are in order, a decision comes only after the study, a ramp stays in the
team; every write leaves one history version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learning.pdsa_services import cycle_create, cycle_try_too, cycle_update
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus, DiagramRevision
from teams.models import PDSACycle
from tests.factories import IndicatorFactory

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def idea(cast) -> ChangeIdea:
    return ChangeIdea.objects.create(programme=cast.kol, title="Opringning efter 48 timer")


def test_it_creates_a_cycle_with_indicators_and_one_history_version(cast, idea) -> None:
    share, rate = IndicatorFactory(programme=cast.kol), IndicatorFactory(programme=cast.kol)

    cycle = cycle_create(
        team=cast.kol_rm,
        by=cast.local_lead,
        title="Ring til fem patienter",
        change_idea=idea,
        indicators=[share, rate],
        prediction="Vi forventer, at fire af fem kan nås.",
        started_on=DAY,
    )

    cycle.refresh_from_db()
    assert set(cycle.indicators.all()) == {share, rate}
    assert cycle.created_by == cast.local_lead
    assert cycle.state == PDSACycle.State.PLANNED
    versions = list(cycle.history.all())
    assert len(versions) == 1
    assert versions[0].history_user == cast.local_lead
    assert {i.indicator_id for i in versions[0].indicators.all()} == {share.pk, rate.pk}


def test_it_refuses_an_indicator_of_another_programme_and_writes_nothing(cast) -> None:
    foreign = IndicatorFactory(programme=cast.adhd)

    with pytest.raises(ValidationError) as error:
        cycle_create(
            team=cast.kol_rm, by=cast.local_lead, title="X", indicators=[foreign], started_on=DAY
        )

    assert "indicators" in error.value.message_dict
    assert not PDSACycle.objects.exists()


def test_it_refuses_a_change_idea_of_another_programme(cast) -> None:
    other = ChangeIdea.objects.create(programme=cast.adhd, title="Anden idé")

    with pytest.raises(ValidationError) as error:
        cycle_create(team=cast.kol_rm, by=None, title="X", change_idea=other, started_on=DAY)

    assert "change_idea" in error.value.message_dict


def test_it_refuses_an_end_before_the_start(cast) -> None:
    with pytest.raises(ValidationError) as error:
        cycle_create(
            team=cast.kol_rm, by=None, title="X", started_on=DAY, ended_on=DAY - dt.timedelta(1)
        )

    assert "ended_on" in error.value.message_dict


def test_the_database_refuses_an_end_before_the_start_too(cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PDSACycle.objects.create(
            team=cast.kol_rm, title="X", started_on=DAY, ended_on=DAY - dt.timedelta(1)
        )


def test_a_decision_comes_only_after_the_study(cast) -> None:
    cycle = cycle_create(team=cast.kol_rm, by=None, title="X", started_on=DAY)

    with pytest.raises(ValidationError) as error:
        cycle_update(cycle=cycle, by=None, state=PDSACycle.State.DECIDED, decision="adopt")

    assert "decision" in error.value.message_dict
    cycle.refresh_from_db()
    assert cycle.decision == ""
    assert cycle.state == PDSACycle.State.PLANNED


def test_a_decided_cycle_needs_a_decision_and_a_decision_makes_it_decided(cast) -> None:
    cycle = cycle_create(team=cast.kol_rm, by=None, title="X", started_on=DAY, study="Fire af fem")

    with pytest.raises(ValidationError) as no_decision:
        cycle_update(cycle=cycle, by=None, state=PDSACycle.State.DECIDED)
    with pytest.raises(ValidationError) as not_decided:
        cycle_update(cycle=cycle, by=None, state=PDSACycle.State.STUDIED, decision="adopt")

    assert "decision" in no_decision.value.message_dict
    assert "state" in not_decided.value.message_dict


def test_studied_needs_a_study(cast) -> None:
    cycle = cycle_create(team=cast.kol_rm, by=None, title="X", started_on=DAY)

    with pytest.raises(ValidationError) as error:
        cycle_update(cycle=cycle, by=None, state=PDSACycle.State.STUDIED)

    assert "study" in error.value.message_dict


def test_the_whole_cycle_plan_do_study_act_with_a_version_per_step(cast, idea) -> None:
    cycle = cycle_create(team=cast.kol_rm, by=cast.local_lead, title="X", started_on=DAY)
    cycle_update(cycle=cycle, by=cast.local_lead, state="running", do="Ringede til fem")
    cycle_update(cycle=cycle, by=cast.local_lead, state="studied", study="Fire af fem nået")
    cycle_update(cycle=cycle, by=cast.local_lead, state="decided", decision="adopt", act="Indføres")

    cycle.refresh_from_db()
    assert (cycle.state, cycle.decision) == ("decided", "adopt")
    assert [v.state for v in cycle.history.order_by("history_date")] == [
        "planned",
        "running",
        "studied",
        "decided",
    ]


def test_a_ramp_builds_on_the_teams_own_cycle_only(cast) -> None:
    own = cycle_create(team=cast.kol_rm, by=None, title="Én patient", started_on=DAY)
    other = cycle_create(team=cast.kol_rsd, by=None, title="Andet team", started_on=DAY)

    ramp = cycle_create(team=cast.kol_rm, by=None, title="Én vagt", builds_on=own, started_on=DAY)
    with pytest.raises(ValidationError) as error:
        cycle_create(team=cast.kol_rm, by=None, title="Y", builds_on=other, started_on=DAY)
    with pytest.raises(ValidationError) as itself:
        cycle_update(cycle=own, by=None, builds_on=own)

    assert ramp.builds_on == own
    assert "builds_on" in error.value.message_dict
    assert "builds_on" in itself.value.message_dict


def test_a_ramp_never_leads_back_to_where_it_began(cast) -> None:
    first = cycle_create(team=cast.kol_rm, by=None, title="Én patient", started_on=DAY)
    second = cycle_create(team=cast.kol_rm, by=None, title="Fem", builds_on=first, started_on=DAY)
    third = cycle_create(team=cast.kol_rm, by=None, title="Alle", builds_on=second, started_on=DAY)

    for earlier in (second, third):  # A → B → A, and A → B → C → A
        with pytest.raises(ValidationError) as loop:
            cycle_update(cycle=first, by=None, builds_on=earlier)
        assert "kun fremad" in loop.value.message_dict["builds_on"][0]
    first.refresh_from_db()
    assert first.builds_on is None
    # Building further on the end of the ramp is fine.
    fourth = cycle_create(team=cast.kol_rm, by=None, title="Vagt", builds_on=third, started_on=DAY)
    assert fourth.builds_on == third


def test_it_refuses_fields_that_are_not_the_teams_to_write(cast) -> None:
    with pytest.raises(TypeError):
        cycle_create(team=cast.kol_rm, by=None, title="X", started_on=DAY, team_id=3)


def test_it_proposes_the_teams_own_idea_to_the_change_package(cast) -> None:
    cycle = cycle_create(
        team=cast.kol_rm,
        by=cast.local_lead,
        title="Pjece ved udskrivelse",
        own_idea="Pjece om åndenød",
        propose_idea=True,
        started_on=DAY,
    )

    idea = cycle.change_idea
    assert idea is not None
    assert cycle.own_idea == ""
    assert (idea.title, idea.status, idea.proposed_by_team) == (
        "Pjece om åndenød",
        ChangeIdeaStatus.PROPOSED,
        cast.kol_rm,
    )
    assert DiagramRevision.objects.filter(programme=cast.kol).count() == 1


def test_proposing_needs_an_own_idea(cast) -> None:
    with pytest.raises(ValidationError) as error:
        cycle_create(team=cast.kol_rm, by=None, title="X", propose_idea=True, started_on=DAY)

    assert "own_idea" in error.value.message_dict
    assert not ChangeIdea.objects.exists()


@pytest.mark.clock
def test_try_too_plans_another_teams_cycle_for_our_team(cast, clock, idea) -> None:
    share = IndicatorFactory(programme=cast.kol)
    theirs = cycle_create(
        team=cast.kol_rsd,
        by=cast.member,
        title="Opringning",
        change_idea=idea,
        indicators=[share],
        prediction="Vi forventer, at færre genindlægges.",
        study="Færre genindlagt",
        state="decided",
        decision="adopt",
        started_on=DAY,
    )

    ours = cycle_try_too(source_cycle=theirs, team=cast.kol_rm, by=cast.local_lead)

    assert ours.team == cast.kol_rm
    assert (ours.state, ours.inspired_by, ours.change_idea) == ("planned", theirs, idea)
    assert list(ours.indicators.all()) == [share]
    assert ours.started_on == clock.today()
    assert ours.prediction == ""


@pytest.mark.clock
def test_try_too_plans_an_idea_of_the_package(cast, clock, idea) -> None:
    ours = cycle_try_too(idea=idea, team=cast.kol_rm, by=cast.local_lead)

    assert (ours.title, ours.change_idea, ours.inspired_by) == (idea.title, idea, None)
    assert ours.started_on == clock.today()


def test_try_too_refuses_our_own_cycle_another_programme_and_a_declined_idea(cast, idea) -> None:
    own = cycle_create(team=cast.kol_rm, by=None, title="Egen", started_on=DAY)
    elsewhere = cycle_create(team=cast.adhd_rsd, by=None, title="ADHD", started_on=DAY)
    declined = ChangeIdea.objects.create(
        programme=cast.kol, title="Nej", status=ChangeIdeaStatus.DECLINED
    )

    for kwargs in ({"source_cycle": own}, {"source_cycle": elsewhere}, {"idea": declined}, {}):
        with pytest.raises(ValidationError):
            cycle_try_too(team=cast.kol_rm, by=None, **kwargs)  # type: ignore[arg-type]

    assert PDSACycle.objects.filter(team=cast.kol_rm).count() == 1
