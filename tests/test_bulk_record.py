"""Writing many measurements at once: same rules, history kept, all or nothing, few queries."""

from __future__ import annotations

import datetime as dt

import pytest

from core.months import add_months
from indicators.models import Indicator, Measurement
from indicators.services import Entry, EntryRefused, measurements_record_many
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def setup():
    team = TeamFactory(programme__start_date=dt.date(2024, 1, 1))
    share = IndicatorFactory(programme=team.programme, measure=Indicator.Measure.PROPORTION)
    return team, share, UserFactory()


def _entries(team, indicator, months: int, numerator: int = 3) -> list[Entry]:
    return [
        Entry(
            team=team,
            indicator=indicator,
            period_start=add_months(dt.date(2024, 1, 1), i),
            numerator=numerator,
            denominator=10,
        )
        for i in range(months)
    ]


def test_it_writes_many_rows_with_history_in_few_queries(setup, django_assert_max_num_queries):
    team, share, user = setup
    # 8, and 6 more for refreshing the series summaries (fixed, however many indicators).
    with django_assert_max_num_queries(8 + 6):
        written = measurements_record_many(entries=_entries(team, share, 24), by=user)

    assert written["new"] == 24
    assert Measurement.objects.count() == 24
    assert Measurement.history.filter(history_user=user, history_type="+").count() == 24


def test_it_corrects_existing_rows_and_keeps_the_old_values(setup) -> None:
    team, share, user = setup
    MeasurementFactory(
        team=team, indicator=share, period_start=dt.date(2024, 1, 1), numerator=1, denominator=10
    )

    written = measurements_record_many(entries=_entries(team, share, 2, numerator=5), by=user)

    assert (written["new"], written["correction"]) == (1, 1)
    corrected = Measurement.objects.get(period_start=dt.date(2024, 1, 1))
    assert corrected.numerator == 5
    assert [h.numerator for h in corrected.history.order_by("history_date")] == [1, 5]


def test_one_refused_row_writes_nothing_and_is_named(setup) -> None:
    team, share, user = setup
    entries = _entries(team, share, 5)
    entries[3] = Entry(
        team=team, indicator=share, period_start=dt.date(2024, 4, 1), numerator=11, denominator=10
    )

    with pytest.raises(EntryRefused) as error:
        measurements_record_many(entries=entries, by=user)

    assert error.value.index == 3
    assert "større end nævneren" in " ".join(error.value.messages)
    assert Measurement.objects.count() == 0


def _stored(team) -> tuple[list[tuple], list[tuple]]:
    """The measurements and their history rows, without ids and times that differ by design."""
    rows = list(
        Measurement.objects.filter(team=team)
        .order_by("indicator__name", "period_start")
        .values_list(
            "indicator__name",
            "period_start",
            "numerator",
            "denominator",
            "value",
            "comment",
            "registered_by",
        )
    )
    history = list(
        Measurement.history.filter(team_id=team.pk)
        .order_by("indicator__name", "period_start", "history_id")
        .values_list(
            "indicator__name",
            "period_start",
            "numerator",
            "denominator",
            "value",
            "comment",
            "registered_by",
            "history_user",
            "history_type",
            "history_change_reason",
        )
    )
    return rows, history


def _history_of_both_paths(copy: bool) -> tuple[list[tuple], list[tuple], list]:
    team = TeamFactory(programme__start_date=dt.date(2024, 1, 1))
    share = IndicatorFactory(
        programme=team.programme, name="Andel", measure=Indicator.Measure.PROPORTION
    )
    count = IndicatorFactory(
        programme=team.programme, name="Antal", measure=Indicator.Measure.COUNT
    )
    first, second = UserFactory(), UserFactory()
    MeasurementFactory(
        team=team, indicator=share, period_start=dt.date(2024, 1, 1), numerator=1, denominator=10
    )
    results = [
        measurements_record_many(entries=_entries(team, share, 3), by=first, copy=copy),
        measurements_record_many(
            entries=[
                *_entries(team, share, 2, numerator=4),
                Entry(team=team, indicator=count, period_start=dt.date(2024, 2, 1), value=7),
                Entry(
                    team=team,
                    indicator=count,
                    period_start=dt.date(2024, 3, 1),
                    value=2,
                    comment='Ny; linje\nmed "citat" og \\ tab\t.',
                ),
            ],
            by=second,
            copy=copy,
        ),
    ]
    rows, history = _stored(team)
    # Users differ between the two runs: name them by their part.
    people = {first.pk: "first", second.pk: "second", None: None}
    swap = lambda row: tuple(people.get(v, v) if i in (6, 7) else v for i, v in enumerate(row))  # noqa: E731
    return [swap(r) for r in rows], [swap(h) for h in history], results


def test_copy_writes_the_same_rows_and_history_as_the_plain_path(setup) -> None:
    plain = _history_of_both_paths(copy=False)
    fast = _history_of_both_paths(copy=True)

    assert fast == plain
    rows, history, results = fast
    assert [dict(r) for r in results] == [
        {"new": 2, "correction": 1},
        {"new": 2, "correction": 2},
    ]
    assert [h[-2] for h in history if h[0] == "Andel"] == ["+", "~", "~", "+", "~", "+"]
    assert (
        "Antal",
        dt.date(2024, 3, 1),
        None,
        None,
        2,
        'Ny; linje\nmed "citat" og \\ tab\t.',
        "second",
    ) == rows[-1]


def test_copy_leaves_rows_that_say_what_is_stored_alone(setup) -> None:
    team, share, user = setup
    measurements_record_many(entries=_entries(team, share, 3), by=user, copy=True)

    again = measurements_record_many(entries=_entries(team, share, 3), by=user, copy=True)

    assert dict(again) == {"new": 0, "correction": 0}
    assert Measurement.history.count() == 3
