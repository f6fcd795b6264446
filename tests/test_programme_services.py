"""Goals and the expert group are written through programmes/services.py, with their rules."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from programmes.models import ExpertMember, ImprovementGoal
from programmes.services import (
    expert_add,
    expert_change_role,
    goal_add,
    goal_remove,
    programme_update,
)
from tests.factories import ExpertMemberFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_goal_added_after_one_was_removed_goes_last_not_onto_an_existing_position() -> None:
    programme = ProgrammeFactory()
    first = goal_add(programme=programme, by=None, text="Første")
    goal_add(programme=programme, by=None, text="Andet")
    goal_remove(goal=first, by=None)

    third = goal_add(programme=programme, by=None, text="Tredje")

    assert list(programme.goals.values_list("text", "order")) == [("Andet", 2), ("Tredje", 3)]
    assert third.order == 3


def test_a_goal_without_text_is_refused_and_nothing_is_written() -> None:
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as caught:
        goal_add(programme=programme, by=None, text="")

    assert "text" in caught.value.message_dict
    assert not ImprovementGoal.objects.filter(programme=programme).exists()


@pytest.mark.django_db(transaction=True)
def test_two_goals_added_at_the_same_moment_get_different_positions() -> None:
    programme = ProgrammeFactory()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(text: str) -> None:
        try:
            barrier.wait(timeout=10)
            goal_add(programme=programme, by=None, text=text)
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(text,)) for text in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(programme.goals.values_list("order", flat=True)) == [1, 2]


def test_a_second_chair_is_refused_by_adding_and_by_changing_a_role() -> None:
    chair = ExpertMemberFactory(role=ExpertMember.Role.CHAIR)
    group = chair.group
    other = ExpertMemberFactory(group=group, role=ExpertMember.Role.CLINICAL)

    with pytest.raises(ValidationError) as on_add:
        expert_add(
            programme=group.programme,
            by=None,
            user=UserFactory(),
            role=ExpertMember.Role.CHAIR,
            sector=other.sector,
        )
    with pytest.raises(ValidationError) as on_change:
        expert_change_role(member=other, role=ExpertMember.Role.CHAIR, by=None)

    for caught in (on_add, on_change):
        assert "allerede en formand" in " ".join(caught.value.message_dict["role"])
    other.refresh_from_db()
    assert other.role == ExpertMember.Role.CLINICAL
    assert group.members.count() == 2


def test_the_chair_may_keep_being_chair_and_an_unknown_role_is_refused() -> None:
    chair = ExpertMemberFactory(role=ExpertMember.Role.CHAIR)

    assert expert_change_role(member=chair, role=ExpertMember.Role.CHAIR, by=None).role == "chair"
    with pytest.raises(ValidationError):
        expert_change_role(member=chair, role="king", by=None)


def test_a_programme_edit_is_checked_before_it_is_saved() -> None:
    programme = ProgrammeFactory()
    name = programme.name
    with pytest.raises(ValidationError):
        programme_update(programme=programme, by=None, end_date=programme.start_date)

    programme.refresh_from_db()
    assert programme.name == name
    assert programme_update(programme=programme, by=None, name="Nyt navn").name == "Nyt navn"


def test_a_person_already_in_the_expert_group_is_refused_with_a_message_naming_them() -> None:
    member = ExpertMemberFactory()
    with pytest.raises(ValidationError) as caught:
        expert_add(
            programme=member.group.programme,
            by=None,
            user=member.user,
            role=ExpertMember.Role.CLINICAL,
            sector=member.sector,
        )

    assert "allerede med i ekspertgruppen" in " ".join(caught.value.message_dict["user"])
    assert member.group.members.count() == 1
