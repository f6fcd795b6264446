"""The programme model's database constraints and its status workflow, on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import ExpertMember, Programme, ProgrammeStatusChange, two_years_after
from programmes.services import programme_change_status, programme_create
from tests.factories import (
    ExpertMemberFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_it_defaults_the_end_date_to_two_years_after_the_start() -> None:
    programme = ProgrammeFactory(start_date=dt.date(2024, 8, 1), end_date=None)

    assert programme.end_date == dt.date(2026, 8, 1)


def test_two_years_after_a_leap_day_is_the_28th() -> None:
    assert two_years_after(dt.date(2024, 2, 29)) == dt.date(2026, 2, 28)


def test_the_database_refuses_an_end_before_the_start() -> None:
    programme = ProgrammeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(end_date=dt.date(2020, 1, 1))


def test_the_database_refuses_an_unknown_status() -> None:
    programme = ProgrammeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(status="finished")


def test_the_database_refuses_a_second_chair() -> None:
    chair = ExpertMemberFactory(role=ExpertMember.Role.CHAIR)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertMemberFactory(group=chair.group, role=ExpertMember.Role.CHAIR)


def test_co_chairs_may_be_several() -> None:
    first = ExpertMemberFactory(role=ExpertMember.Role.CO_CHAIR)
    ExpertMemberFactory(group=first.group, role=ExpertMember.Role.CO_CHAIR)

    assert first.group.members.filter(role=ExpertMember.Role.CO_CHAIR).count() == 2


def test_create_records_the_first_history_line_and_an_expert_group() -> None:
    lead = UserFactory()
    kl = OrganisationFactory(name="KL", kind="kl", region=None)

    programme = programme_create(
        by=lead,
        name="Sammenhængende Hoftebrudsforløb",
        slug="hoftebrud",
        lead_region=RegionFactory(name="Region Syddanmark", code="RSD"),
        co_lead=kl,
        is_cross_sector=True,
        start_date=dt.date(2024, 8, 1),
    )

    assert programme.lead_region.name == "Region Syddanmark"
    assert programme.expert_group.members.count() == 0
    (first,) = programme.status_changes.all()
    assert (first.from_status, first.to_status, first.changed_by) == ("", "preparing", lead)


def test_a_status_change_records_who_when_and_why() -> None:
    programme = ProgrammeFactory(status=Programme.Status.PREPARING)
    lead = UserFactory()

    change = programme_change_status(
        programme=programme, status="active", by=lead, reason="Kick-off er holdt."
    )

    programme.refresh_from_db()
    assert programme.status == "active"
    assert (change.from_status, change.to_status) == ("preparing", "active")
    assert change.changed_by == lead
    assert change.reason == "Kick-off er holdt."
    assert change.changed_at is not None


def test_it_refuses_a_status_change_without_a_reason() -> None:
    programme = ProgrammeFactory(status=Programme.Status.PREPARING)

    with pytest.raises(ValidationError) as error:
        programme_change_status(programme=programme, status="active", by=None, reason="  ")

    assert "begrundelse" in str(error.value)
    programme.refresh_from_db()
    assert programme.status == "preparing"
    assert not ProgrammeStatusChange.objects.filter(programme=programme).exists()


def test_it_refuses_a_step_the_workflow_does_not_allow() -> None:
    programme = ProgrammeFactory(status=Programme.Status.SUSTAINMENT)

    with pytest.raises(ValidationError) as error:
        programme_change_status(programme=programme, status="preparing", by=None, reason="Fejl")

    assert "kan ikke skifte" in str(error.value)
    programme.refresh_from_db()
    assert programme.status == "sustainment"


@pytest.mark.parametrize(
    ("path", "final"),
    [
        (["active", "completed", "sustainment"], "sustainment"),
        (["paused", "active", "paused", "completed"], "completed"),
    ],
)
def test_it_walks_the_workflow_and_keeps_every_step(path: list[str], final: str) -> None:
    programme = ProgrammeFactory(status=Programme.Status.PREPARING)
    for step in path:
        programme_change_status(programme=programme, status=step, by=None, reason=f"Til {step}")

    programme.refresh_from_db()
    assert programme.status == final
    steps = list(programme.status_changes.order_by("id").values_list("to_status", flat=True))
    assert steps == path


def test_the_database_refuses_a_history_line_without_a_reason() -> None:
    programme = ProgrammeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeStatusChange.objects.create(
            programme=programme, from_status="active", to_status="paused", reason=""
        )


def test_free_text_refuses_a_cpr_number() -> None:
    programme = ProgrammeFactory.build(
        lead_region=RegionFactory(), description="Patient 010203-1234 faldt"
    )
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "CPR-nummer" in str(error.value)
