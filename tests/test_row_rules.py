"""The bulk writes' quick verdict (`RowRules`) never accepts a row the model refuses, and refused
rows keep the model's words in the upload's check and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.months import add_months
from indicators.importer.checking import check_rows, model_messages
from indicators.importer.rows import Row
from indicators.models import Indicator, Measurement, period_error
from indicators.row_rules import RowRules, plain
from indicators.services import Entry
from tests.factories import IndicatorFactory, ProgrammeFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

finite = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=60).map(Decimal),
    st.integers(min_value=-5, max_value=60).map(lambda n: Decimal(n).quantize(Decimal("0.0001"))),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4),
    st.integers(min_value=-(10**16), max_value=10**16).map(Decimal),
    st.sampled_from(
        [Decimal("1E+5"), Decimal("0E-7"), Decimal("9999999999"), Decimal("99999999999.5")]
    ),
)


# The model's `clean` compares numbers, which a NaN refuses to do: the readers never give one.
decimals = st.one_of(finite, st.decimals(allow_nan=True, allow_infinity=True))


@given(number=decimals)
@SETTINGS
def test_a_plain_number_is_one_every_decimal_field_takes(number) -> None:
    field = Measurement._meta.get_field("numerator")
    if plain(number):
        assert number is None or field.clean(number, None) == number
    if number is not None and not number.is_finite():
        assert not plain(number)


@pytest.fixture
def world(clock):
    today = clock.today()
    programme = ProgrammeFactory(
        start_date=dt.date(today.year - 1, 1, 1), end_date=dt.date(today.year + 1, 12, 31)
    )
    team = TeamFactory(programme=programme)
    measures = {
        measure: IndicatorFactory(programme=programme, measure=measure)
        for measure in Indicator.Measure.values
    }
    other_team = TeamFactory()
    return team, other_team, measures, programme


@given(
    measure=st.sampled_from(Indicator.Measure.values),
    own_team=st.booleans(),
    month_offset=st.integers(min_value=-30, max_value=50),
    day=st.sampled_from([1, 1, 1, 2, 15]),
    numerator=finite,
    denominator=finite,
    value=finite,
    comment=st.sampled_from(["", "", "ok", "a\x00b"]),
)
@SETTINGS
def test_a_row_it_accepts_the_model_accepts(
    world, measure, own_team, month_offset, day, numerator, denominator, value, comment
) -> None:
    team, other_team, measures, programme = world
    first = programme.start_date
    year, month = divmod(first.month - 1 + month_offset, 12)
    period = dt.date(first.year + year, month + 1, day)
    figures = {
        "team": team if own_team else other_team,
        "indicator": measures[measure],
        "period_start": period,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "comment": comment,
    }
    measurement = Measurement(**figures)
    try:
        measurement.full_clean(exclude=["registered_by"], validate_unique=False)
        model_accepts = True
    except ValidationError:
        model_accepts = False
    if RowRules().surely_valid(Entry(**figures)):
        assert model_accepts


def test_it_answers_a_plain_row_itself(world) -> None:
    team, _, measures, programme = world
    row = {"team": team, "period_start": programme.start_date, "comment": ""}
    share, count = measures["proportion"], measures["count"]
    assert RowRules().surely_valid(
        Entry(**row, indicator=share, numerator=Decimal(3), denominator=Decimal(4))
    )
    assert RowRules().surely_valid(Entry(**row, indicator=count, value=Decimal(7)))


def test_it_agrees_with_the_model_on_every_month_around_the_programme(world) -> None:
    team, _, measures, programme = world
    rules = RowRules()
    verdicts = set()
    for offset in range(-30, 50):
        figures = {
            "team": team,
            "indicator": measures["proportion"],
            "period_start": add_months(programme.start_date, offset),
            "numerator": Decimal(3),
            "denominator": Decimal(4),
            "value": None,
            "comment": "",
        }
        try:
            Measurement(**figures).full_clean(exclude=["registered_by"], validate_unique=False)
            model_accepts = True
        except ValidationError:
            model_accepts = False
        assert rules.surely_valid(Entry(**figures)) == model_accepts, figures["period_start"]
        verdicts.add(model_accepts)
    assert verdicts == {True, False}


def test_it_remembers_figures_by_their_digits_not_their_value(world) -> None:
    team, _, measures, programme = world
    rules = RowRules()
    row = {"team": team, "period_start": programme.start_date, "comment": ""}
    count = measures["count"]
    assert rules.surely_valid(Entry(**row, indicator=count, value=Decimal("1")))
    # Equal to 1, but five decimals: the model's field refuses it.
    assert not rules.surely_valid(Entry(**row, indicator=count, value=Decimal("1.00000")))
    with pytest.raises(ValidationError):
        Measurement(**row, indicator=count, value=Decimal("1.00000")).full_clean(
            exclude=["registered_by"], validate_unique=False
        )


def test_it_asks_the_programme_once_per_month_and_answers_as_the_model(world) -> None:
    team, _, measures, programme = world
    rules = RowRules()
    for offset in range(-3, 40):
        period = dt.date(programme.start_date.year + offset // 12, offset % 12 + 1, 1)
        assert rules.period_error(programme, period) == period_error(programme, period)
    assert len(rules._periods) == 43


def _row(line: int, team, indicator, period: dt.date, **figures) -> Row:
    return Row(
        line=line,
        team_label=str(team.pk),
        indicator_label=str(indicator.pk),
        period_label=f"{period:%Y-%m}",
        period=period,
        **figures,
    )


BAD_FIGURES = [
    {"numerator": Decimal(5), "denominator": Decimal(2)},
    {"numerator": Decimal("1.5"), "denominator": Decimal(2)},
    {"numerator": None, "denominator": Decimal(2)},
    {"numerator": Decimal(1), "denominator": Decimal(2), "value": Decimal(3)},
    {"numerator": Decimal(1), "denominator": Decimal("12345678901.5")},
    {"numerator": Decimal(1), "denominator": Decimal(2), "comment": "tab\tog\x00"},
]


@pytest.mark.parametrize("language", ["da", "en"])
def test_refused_rows_in_a_large_check_get_the_models_own_words(world, cast, language) -> None:
    team, _, measures, programme = world
    share = measures[Indicator.Measure.PROPORTION]
    good = {"numerator": Decimal(1), "denominator": Decimal(2)}
    figures = [good] * 20
    for n, bad in enumerate(BAD_FIGURES):
        figures[n * 3] = bad
    rows = [
        _row(n + 2, team, share, add_months(programme.start_date, n), **f)
        for n, f in enumerate(figures)
    ]
    with translation.override(language):
        check_rows(rows, cast.administrator)
        for row in rows:
            try:
                Measurement(**vars(row.entry())).full_clean(
                    exclude=["registered_by"], validate_unique=False
                )
                expected: list[str] = []
            except ValidationError as error:
                expected = model_messages(error)
            assert [str(m) for m in row.errors] == [str(m) for m in expected]
    assert [row.line for row in rows if row.errors] == [n * 3 + 2 for n in range(len(BAD_FIGURES))]
