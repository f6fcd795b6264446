"""Whole numbers for counts, numbers without trailing zeros, all of a month's errors at once."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.months import add_months
from indicators.forms import PeriodForm
from indicators.importer.checking import check_rows
from indicators.importer.rows import parse_rows
from indicators.importer.table import read_table
from indicators.models import Indicator, Measurement
from indicators.services import measurement_record
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def team():
    return TeamFactory(programme__start_date=dt.date(2024, 1, 1))


def _indicator(team, measure: str, name: str = "") -> Indicator:
    return IndicatorFactory(
        programme=team.programme, measure=measure, **({"name": name} if name else {})
    )


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


@pytest.mark.parametrize(
    ("measure", "figures", "field", "message"),
    [
        (
            Indicator.Measure.COUNT,
            {"value": Decimal("12.5")},
            "value",
            "Antal skal være et helt tal.",
        ),
        (
            Indicator.Measure.PROPORTION,
            {"numerator": Decimal("7.5"), "denominator": 10},
            "numerator",
            "Tælleren skal være et helt tal.",
        ),
        (
            Indicator.Measure.RATE,
            {"numerator": 3, "denominator": Decimal("100.25")},
            "denominator",
            "Nævneren skal være et helt tal.",
        ),
    ],
)
def test_it_refuses_a_fraction_of_a_count(team, measure, figures, field, message) -> None:
    indicator = _indicator(team, measure)
    with pytest.raises(ValidationError) as error:
        measurement_record(
            team=team, indicator=indicator, period_start=dt.date(2024, 3, 1), by=None, **figures
        )

    assert _messages(error.value)[field] == [message]
    assert not Measurement.objects.exists()


def test_a_measured_value_may_have_decimals(team) -> None:
    indicator = _indicator(team, Indicator.Measure.VALUE)
    saved = measurement_record(
        team=team,
        indicator=indicator,
        period_start=dt.date(2024, 3, 1),
        value=Decimal("12.5"),
        by=None,
    )
    assert saved.value == Decimal("12.5")


def test_a_count_written_with_zero_decimals_is_whole(team) -> None:
    indicator = _indicator(team, Indicator.Measure.COUNT)
    saved = measurement_record(
        team=team,
        indicator=indicator,
        period_start=dt.date(2024, 3, 1),
        value=Decimal("36.000"),
        by=None,
    )
    assert saved.value == 36


def test_the_upload_refuses_a_fraction_of_a_count_with_the_same_rule(team, cast) -> None:
    aero = TeamFactory(programme=cast.kol, name="Ærø Kommune")
    TeamMemberFactory(team=aero, user=cast.member)
    IndicatorFactory(
        programme=cast.kol, name="Antal genindlæggelser", measure=Indicator.Measure.COUNT
    )
    month = cast.kol.start_date.replace(day=1).strftime("%Y-%m")
    text = (
        "team;indikator;periode;tæller;nævner;værdi;kommentar\r\n"
        f"Ærø Kommune;Antal genindlæggelser;{month};;;12,5;"
    )

    rows = check_rows(parse_rows(read_table(text.encode(), "data.csv")), cast.member)

    assert "Antal skal være et helt tal." in rows[0].errors


def test_the_month_form_shows_numbers_without_trailing_zeros(team) -> None:
    share = _indicator(team, Indicator.Measure.PROPORTION, "Andel")
    level = _indicator(team, Indicator.Measure.VALUE, "Niveau")
    month = dt.date(2024, 3, 1)
    existing = {
        share.pk: MeasurementFactory(
            team=team,
            indicator=share,
            period_start=month,
            numerator=Decimal("36.0000"),
            denominator=Decimal("100.0000"),
            value=None,
        ),
        level.pk: MeasurementFactory(
            team=team,
            indicator=level,
            period_start=month,
            numerator=None,
            denominator=None,
            value=Decimal("12.5000"),
        ),
    }

    html = str(PeriodForm(indicators=[share, level], existing=existing))

    assert f'name="num_{share.pk}" value="36"' in html
    assert f'name="den_{share.pk}" value="100"' in html
    assert f'name="val_{level.pk}" value="12,5"' in html
    assert "0000" not in html


# --- The month in the browser ------------------------------------------------------------------


@pytest.fixture
def kol(cast, clock):
    last_month = clock.month(-1)
    cast.kol.start_date = add_months(last_month, -13)
    cast.kol.end_date = add_months(last_month, 10)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol, name="Andel tjekket", measure=Indicator.Measure.PROPORTION
    )
    rate = IndicatorFactory(
        programme=cast.kol, name="Fald pr. sengedag", measure=Indicator.Measure.RATE
    )
    count = IndicatorFactory(
        programme=cast.kol, name="Genindlæggelser", measure=Indicator.Measure.COUNT
    )
    other = IndicatorFactory(programme=cast.kol, name="Ventetid", measure=Indicator.Measure.VALUE)
    url = reverse("indicators:enter_month", args=[cast.kol_rm.pk, last_month.strftime("%Y-%m")])
    return cast, url, share, rate, count, other


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page)[0]


@pytest.mark.clock
def test_every_error_of_a_month_is_shown_at_once(client, kol) -> None:
    cast, url, share, rate, count, other = kol
    client.force_login(cast.local_lead)

    response = client.post(
        url,
        {
            f"num_{share.pk}": "16",
            f"den_{share.pk}": "15",
            f"num_{rate.pk}": "4",
            f"val_{count.pk}": "12,5",
            f"val_{other.pk}": "tolv",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Tælleren (16) er større end nævneren (15)" in page
    assert "Angiv nævneren." in page
    assert "Antal skal være et helt tal." in page
    assert "Indtast et tal" in page
    assert not Measurement.objects.exists()


@pytest.mark.clock
def test_invalid_inputs_are_outlined_and_described(client, kol) -> None:
    cast, url, share, rate, count, other = kol
    client.force_login(cast.local_lead)

    page = client.post(
        url, {f"num_{share.pk}": "16", f"den_{share.pk}": "15", f"val_{other.pk}": "tolv"}
    ).content.decode()

    for name in (f"num_{share.pk}", f"val_{other.pk}"):
        tag = _input(page, name)
        assert "is-invalid" in tag
        assert 'aria-invalid="true"' in tag
        assert f'aria-describedby="id_{name}_error"' in tag
        assert f'id="id_{name}_error"' in page
    untouched = _input(page, f"den_{share.pk}")
    assert "is-invalid" not in untouched and "aria-invalid" not in untouched


@pytest.mark.clock
def test_a_saved_month_shows_its_numbers_without_trailing_zeros(client, kol) -> None:
    cast, url, share, rate, count, other = kol
    client.force_login(cast.local_lead)
    client.post(url, {f"val_{count.pk}": "36", f"val_{other.pk}": "12,5"})

    page = client.get(url).content.decode()

    assert 'value="36"' in _input(page, f"val_{count.pk}")
    assert 'value="12,5"' in _input(page, f"val_{other.pk}")


@pytest.mark.parametrize(("language", "shown"), [("da", "12,5 → 13,25"), ("en", "12.5 → 13.25")])
def test_an_uploaded_correction_shows_numbers_as_the_language_writes_them(
    client, cast, language, shown
) -> None:
    aero = TeamFactory(programme=cast.kol, name="Ærø Kommune")
    TeamMemberFactory(team=aero, user=cast.member)
    waiting = IndicatorFactory(programme=cast.kol, name="Ventetid", measure=Indicator.Measure.VALUE)
    month = cast.kol.start_date.replace(day=1)
    MeasurementFactory(
        team=aero,
        indicator=waiting,
        period_start=month,
        numerator=None,
        denominator=None,
        value=Decimal("12.5000"),
    )
    client.force_login(cast.member)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    text = (
        "team;indikator;periode;tæller;nævner;værdi;kommentar\r\n"
        f"Ærø Kommune;Ventetid;{month:%Y-%m};;;13,25;"
    )
    client.post(reverse("indicators:upload"), {"file": SimpleUploadedFile("d.csv", text.encode())})

    page = client.get(reverse("indicators:upload_preview")).content.decode()

    assert shown in page
