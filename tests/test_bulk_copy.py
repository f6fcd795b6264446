"""The COPY path of `measurements_record_many`: text and numbers arrive as written, the history
rows are django-simple-history's, the summaries are those read back from the rows, and one
refused row writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator, Measurement, SeriesSummary
from indicators.services import Entry, EntryRefused, measurements_record_many
from indicators.summaries import summaries_for
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

START = dt.date(2024, 1, 1)
COMMENTS = ["\\N", "a\r\nb", "tab\\there", "back\\\\slash", "\t", "æøå “citat”"]


def _world():
    team = TeamFactory(programme__start_date=START)
    share = IndicatorFactory(programme=team.programme, measure=Indicator.Measure.PROPORTION)
    level = IndicatorFactory(programme=team.programme, measure=Indicator.Measure.VALUE)
    return team, share, level


def _entries(team, share, level) -> list[Entry]:
    entries = [
        Entry(
            team=team,
            indicator=level,
            period_start=dt.date(2024, n + 1, 1),
            value=Decimal(value),
            comment=comment,
        )
        for n, (comment, value) in enumerate(
            zip(COMMENTS, ["12.3456", "-0.0001", "1E+3", "0", "7", "99999.5"], strict=True)
        )
    ]
    entries += [
        Entry(
            team=team,
            indicator=share,
            period_start=dt.date(2024, n + 1, 1),
            numerator=num,
            denominator=den,
        )
        for n, (num, den) in enumerate([(1, 3), (Decimal("2.0000"), 7), (0, 0), (5, 5)])
    ]
    return entries


def _stored(team) -> tuple[list[tuple], list[tuple]]:
    fields = ["indicator__measure", "period_start", "numerator", "denominator", "value", "comment"]
    rows = list(Measurement.objects.filter(team=team).order_by(*fields[:2]).values_list(*fields))
    history = list(
        Measurement.history.filter(team_id=team.pk)
        .order_by(*fields[:2], "history_id")
        .values_list(*fields, "history_type", "history_change_reason")
    )
    return rows, history


def _written(copy: bool) -> tuple[list[tuple], list[tuple]]:
    team, share, level = _world()
    user = UserFactory()
    MeasurementFactory(team=team, indicator=share, period_start=START, numerator=2, denominator=3)
    measurements_record_many(entries=_entries(team, share, level), by=user, copy=copy)
    rows, history = _stored(team)
    assert set(
        Measurement.history.filter(team_id=team.pk, history_type="~").values_list(
            "history_user", flat=True
        )
    ) == {user.pk}
    return rows, history


def test_text_and_numbers_arrive_as_the_plain_path_writes_them() -> None:
    fast = _written(copy=True)

    assert fast == _written(copy=False)
    rows, history = fast
    assert [r[5] for r in rows if r[0] == "value"] == COMMENTS
    assert [r[4] for r in rows if r[0] == "value"][:3] == [
        Decimal("12.3456"),
        Decimal("-0.0001"),
        Decimal(1000),
    ]
    assert [h[6] for h in history if h[0] == "proportion"] == ["+", "~", "+", "+", "+"]


def test_the_summaries_are_those_of_the_rows_read_back() -> None:
    team, share, level = _world()
    measurements_record_many(entries=_entries(team, share, level), by=None, copy=True)
    stored = {(s.indicator_id, s.team_id): s for s in SeriesSummary.objects.filter(team=team)}
    SeriesSummary.objects.all().delete()  # now analysed on the fly, from the decimals

    for indicator in (share, level):
        indicator = Indicator.objects.select_related("programme").get(pk=indicator.pk)
        fresh = summaries_for([indicator], team_ids=[team.pk], lkt=False)[(indicator.pk, team.pk)]
        kept = stored[(indicator.pk, team.pk)]
        assert (kept.points, kept.sparkline, kept.verdict, kept.last_value) == (
            fresh.points,
            fresh.sparkline,
            fresh.verdict,
            fresh.last_value,
        )
        assert any(p is not None for p in kept.points)


@pytest.mark.parametrize("checked", [False, True])
def test_one_refused_row_writes_nothing_and_is_named_in_the_models_words(checked) -> None:
    team, share, level = _world()
    entries = _entries(team, share, level)
    refused = Entry(
        team=team, indicator=share, period_start=dt.date(2024, 9, 1), numerator=4, denominator=3
    )
    entries.insert(7, refused)

    with pytest.raises(EntryRefused) as error:
        measurements_record_many(entries=entries, by=None, copy=True, checked=checked)

    assert error.value.index == 7
    with pytest.raises(ValidationError) as model:
        Measurement(
            team=team,
            indicator=share,
            period_start=refused.period_start,
            numerator=Decimal(4),
            denominator=Decimal(3),
        ).clean()
    assert error.value.message_dict == model.value.message_dict
    assert not Measurement.objects.exists()
    assert not Measurement.history.exists()
