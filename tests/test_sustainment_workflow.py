"""The way into sustainment (fastholdelse): which status may follow which, the start date, the
measuring frequency and the planned review dates."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.months import add_months
from programmes.models import Programme, SustainmentReview
from programmes.services import programme_change_status
from tests import factories as f

pytestmark = pytest.mark.django_db

S = Programme.Status
# Written out by hand from issue 18: an ongoing LKT (active or paused) goes straight on to
# sustainment, a completed one too; sustainment may be ended (back to completed).
ALLOWED = {
    (S.PREPARING, S.ACTIVE),
    (S.PREPARING, S.PAUSED),
    (S.PREPARING, S.COMPLETED),
    (S.ACTIVE, S.PAUSED),
    (S.ACTIVE, S.COMPLETED),
    (S.ACTIVE, S.SUSTAINMENT),
    (S.PAUSED, S.PREPARING),
    (S.PAUSED, S.ACTIVE),
    (S.PAUSED, S.COMPLETED),
    (S.PAUSED, S.SUSTAINMENT),
    (S.COMPLETED, S.SUSTAINMENT),
    (S.COMPLETED, S.ACTIVE),
    (S.SUSTAINMENT, S.COMPLETED),
}
PAIRS = [(a, b) for a, b in itertools.product(S.values, S.values) if a != b]


@pytest.mark.clock
@pytest.mark.parametrize(("current", "new"), PAIRS)
def test_each_step_is_allowed_or_refused_as_the_workflow_says(clock, current, new) -> None:
    programme = f.ProgrammeFactory(status=current, start_date=add_months(clock.month(), -30))

    if (current, new) in ALLOWED:
        programme_change_status(programme=programme, status=new, by=None, reason="Besluttet")
        programme.refresh_from_db()
        assert programme.status == new
    else:
        with pytest.raises(ValidationError, match="kan ikke skifte"):
            programme_change_status(programme=programme, status=new, by=None, reason="Fejl")
        programme.refresh_from_db()
        assert programme.status == current
        assert not programme.sustainment_reviews.exists()


@pytest.mark.clock
def test_an_ongoing_lkt_goes_straight_to_sustainment_the_day_after_its_end(clock) -> None:
    clock.move_to("2026-12-10T10:00")
    programme = f.ProgrammeFactory(status=S.ACTIVE, start_date=dt.date(2025, 1, 1))  # ends 2027

    programme_change_status(programme=programme, status=S.SUSTAINMENT, by=None, reason="Slut")

    programme.refresh_from_db()
    assert programme.status == S.SUSTAINMENT
    assert programme.sustainment_start == dt.date(2027, 1, 2)
    assert programme.sustainment_frequency == "monthly"
    assert list(programme.sustainment_reviews.values_list("due_on", flat=True)) == [
        dt.date(2027, 7, 1),
        dt.date(2028, 1, 1),
        dt.date(2029, 1, 1),
    ]
    history = programme.status_changes.first()
    assert (history.from_status, history.to_status, history.reason) == (
        "active",
        "sustainment",
        "Slut",
    )


@pytest.mark.clock
def test_a_late_move_starts_on_the_day_of_the_change_with_the_chosen_frequency(clock) -> None:
    clock.move_to("2027-03-05T10:00")
    programme = f.ProgrammeFactory(status=S.COMPLETED, start_date=dt.date(2024, 9, 1))

    programme_change_status(
        programme=programme,
        status=S.SUSTAINMENT,
        by=None,
        reason="Fastholdes",
        sustainment_frequency="quarterly",
    )

    programme.refresh_from_db()
    assert programme.sustainment_start == dt.date(2027, 3, 5)
    assert programme.sustainment_frequency == "quarterly"


@pytest.mark.clock
def test_a_chosen_start_is_kept_and_a_second_entry_plans_no_review_twice(clock) -> None:
    clock.move_to("2026-12-10T10:00")
    programme = f.ProgrammeFactory(status=S.COMPLETED, start_date=dt.date(2024, 6, 1))
    programme.sustainment_reviews.create(due_on=dt.date(2026, 12, 1), note="Holdt tidligt")

    programme_change_status(
        programme=programme,
        status=S.SUSTAINMENT,
        by=None,
        reason="Ind",
        sustainment_start=dt.date(2026, 9, 1),
    )
    programme.refresh_from_db()
    assert programme.sustainment_start == dt.date(2026, 9, 1)
    programme_change_status(programme=programme, status=S.COMPLETED, by=None, reason="Ud")
    programme_change_status(programme=programme, status=S.SUSTAINMENT, by=None, reason="Ind")

    assert sorted(programme.sustainment_reviews.values_list("due_on", flat=True)) == [
        dt.date(2026, 12, 1),
        dt.date(2027, 6, 1),
        dt.date(2028, 6, 1),
    ]
    assert SustainmentReview.objects.filter(programme=programme).count() == 3


@pytest.mark.clock
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"sustainment_frequency": "weekly"}, "sustainment_frequency"),
        ({"sustainment_start": dt.date(2023, 1, 1)}, "sustainment_start"),
        ({"sustainment_start": dt.date(2999, 1, 1)}, "sustainment_start"),
    ],
)
def test_it_refuses_a_bad_frequency_or_start_and_writes_nothing(clock, fields, error) -> None:
    programme = f.ProgrammeFactory(status=S.ACTIVE, start_date=dt.date(2024, 1, 1))

    with pytest.raises(ValidationError) as raised:
        programme_change_status(
            programme=programme, status=S.SUSTAINMENT, by=None, reason="Ind", **fields
        )

    assert error in raised.value.message_dict
    programme.refresh_from_db()
    assert programme.status == S.ACTIVE
    assert programme.sustainment_start is None
    assert not programme.sustainment_reviews.exists()
    assert programme.status_changes.count() == 0


@pytest.mark.clock
def test_the_status_page_moves_an_active_lkt_into_sustainment(client, cast, clock) -> None:
    clock.move_to("2026-12-10T10:00")
    Programme.objects.filter(pk=cast.kol.pk).update(
        start_date=dt.date(2024, 11, 1), end_date=dt.date(2026, 11, 30)
    )
    client.force_login(cast.lead)
    url = reverse("programmes:status", args=[cast.kol.pk])
    page = client.get(url)
    assert 'value="sustainment"' in page.content.decode()

    response = client.post(
        url,
        {
            "status": "sustainment",
            "reason": "De to år er gået",
            "sustainment_start": "",
            "sustainment_frequency": "quarterly",
        },
    )

    assert response.status_code == 302
    cast.kol.refresh_from_db()
    assert (cast.kol.status, cast.kol.sustainment_start, cast.kol.sustainment_frequency) == (
        "sustainment",
        dt.date(2026, 12, 10),
        "quarterly",
    )
    assert cast.kol.sustainment_reviews.count() == 3


@pytest.mark.clock
@pytest.mark.parametrize(
    "start", ["31-02-2027", "2027-02-31", "99999-01-01", "-1", "x" * 20000, "2027\r\n-01-01"]
)
def test_the_status_page_answers_a_hostile_start_date_with_a_message(
    client, cast, clock, start
) -> None:
    client.force_login(cast.lead)
    url = reverse("programmes:status", args=[cast.kol.pk])

    response = client.post(
        url,
        {"status": "sustainment", "reason": "Ind", "sustainment_start": start, "x": "\x00"},
    )

    assert response.status_code == 200
    assert "sustainment_start" in response.context["form"].errors
    cast.kol.refresh_from_db()
    assert cast.kol.status == "active"
