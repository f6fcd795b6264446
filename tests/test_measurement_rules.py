"""Measurements: refused with a clear Danish message when impossible, and unique per period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Indicator, Measurement
from indicators.services import measurement_record
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def team():
    return TeamFactory(programme__start_date=dt.date(2024, 1, 1))


@pytest.fixture
def proportion(team):
    return IndicatorFactory(programme=team.programme, measure=Indicator.Measure.PROPORTION)


def _messages(error: ValidationError) -> str:
    return " ".join(m for msgs in error.message_dict.values() for m in msgs)


def test_it_records_and_then_corrects_a_period(team, proportion) -> None:
    user = UserFactory()
    first = measurement_record(
        team=team,
        indicator=proportion,
        period_start=dt.date(2024, 3, 1),
        numerator=7,
        denominator=10,
        by=user,
    )
    second = measurement_record(
        team=team,
        indicator=proportion,
        period_start=dt.date(2024, 3, 1),
        numerator=8,
        denominator=10,
        by=user,
    )

    assert first.pk == second.pk
    assert Measurement.objects.get().numerator == 8


def test_it_rejects_a_numerator_above_the_denominator(team, proportion) -> None:
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team,
            indicator=proportion,
            period_start=dt.date(2024, 3, 1),
            numerator=11,
            denominator=10,
            by=None,
        )

    assert "Tælleren (11) er større end nævneren (10)" in _messages(error.value)
    assert not Measurement.objects.exists()


def test_it_rejects_a_negative_count(team) -> None:
    count = IndicatorFactory(programme=team.programme, measure=Indicator.Measure.COUNT)
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team, indicator=count, period_start=dt.date(2024, 3, 1), value=-1, by=None
        )

    assert "negativt" in _messages(error.value)


def test_it_rejects_a_negative_numerator(team, proportion) -> None:
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team,
            indicator=proportion,
            period_start=dt.date(2024, 3, 1),
            numerator=-2,
            denominator=10,
            by=None,
        )

    assert "negativ" in _messages(error.value)


@pytest.mark.parametrize("period", [dt.date(2023, 12, 1), dt.date(2026, 2, 1)])
def test_it_rejects_a_period_outside_the_programme(team, proportion, period) -> None:
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team,
            indicator=proportion,
            period_start=period,
            numerator=1,
            denominator=2,
            by=None,
        )

    assert "uden for programmets periode" in _messages(error.value)


def test_it_rejects_an_indicator_of_another_programme(team) -> None:
    foreign = IndicatorFactory()
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team,
            indicator=foreign,
            period_start=dt.date(2024, 3, 1),
            numerator=1,
            denominator=2,
            by=None,
        )

    assert "hører ikke til teamets program" in _messages(error.value)


def test_it_rejects_a_cpr_number_in_the_comment(team, proportion) -> None:
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team,
            indicator=proportion,
            period_start=dt.date(2024, 3, 1),
            numerator=1,
            denominator=2,
            comment="Se 0102031234",
            by=None,
        )

    assert "CPR-nummer" in _messages(error.value)


def test_the_database_keeps_one_measurement_per_team_indicator_and_period() -> None:
    first = MeasurementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasurementFactory(
            team=first.team, indicator=first.indicator, period_start=first.period_start
        )


def test_the_database_refuses_a_negative_denominator() -> None:
    measurement = MeasurementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=measurement.pk).update(denominator=-1)


def test_the_database_refuses_a_period_not_on_the_first() -> None:
    measurement = MeasurementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=measurement.pk).update(period_start=dt.date(2024, 3, 2))


def test_the_database_refuses_both_a_fraction_and_a_value() -> None:
    measurement = MeasurementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=measurement.pk).update(value=3)
