"""One date style per language, through Django's formats (lkt_portal/formats/<language>)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, time_format

from seminars.models import Seminar
from tests.factories import SeminarFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Patterns a template may still spell out: machine formats (URLs, comparisons), the weekday, and
# the month grid's two-line column headings ("dec" over "26").
MACHINE = {"Y-m", "Ymd", "c", "l", "D", "Y", "M", "y"}
NAMED = re.compile(r"^[A-Z_]+_FORMAT$")


@pytest.mark.parametrize(
    ("language", "long", "short", "month"),
    [
        ("da", "1. december 2026", "1. dec. 2026", "december 2026"),
        ("en", "1 December 2026", "1 Dec 2026", "December 2026"),
    ],
)
def test_each_language_has_one_date_style(language, long, short, month) -> None:
    day = dt.date(2026, 12, 1)
    with translation.override(language):
        assert date_format(day, "DATE_FORMAT") == long
        assert date_format(day, "SHORT_DATE_FORMAT") == short
        assert date_format(day, "YEAR_MONTH_FORMAT") == month


@pytest.mark.parametrize(("language", "time"), [("da", "09.30"), ("en", "09:30")])
def test_each_language_has_one_time_style(language, time) -> None:
    with translation.override(language):
        assert time_format(dt.time(9, 30), "TIME_FORMAT") == time


def test_danish_short_months_are_the_dictionarys_abbreviations() -> None:
    with translation.override("da"):
        shown = [date_format(dt.date(2024, m, 2), "SHORT_DATE_FORMAT") for m in (9, 10, 5)]
    assert shown == ["2. sept. 2024", "2. okt. 2024", "2. maj 2024"]


def test_templates_name_a_format_instead_of_spelling_a_date() -> None:
    spelled = []
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            for pattern in re.findall(r'\|(?:date|time):"([^"]*)"', path.read_text()):
                if pattern not in MACHINE and not NAMED.match(pattern) and pattern != "H:i:s":
                    spelled.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert spelled == []


@pytest.fixture
def closing(cast, clock) -> Seminar:
    start = clock.now().astimezone(ZoneInfo("Europe/Copenhagen")) + dt.timedelta(days=40)
    start = start.replace(hour=9, minute=30, second=0, microsecond=0)
    return SeminarFactory(
        programme=cast.kol,
        kind=Seminar.Kind.CLOSING,
        number=1,
        title="Afslutningsseminar",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
    )


def _english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


@pytest.mark.django_db
@pytest.mark.clock
def test_an_english_seminar_page_shows_english_dates(client, cast, closing) -> None:
    client.force_login(cast.member)
    _english(client)
    page = client.get(reverse("seminars:detail", args=[closing.pk])).content.decode()
    local = closing.starts_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    expected = f"{local:%A} {local.day} {local:%B} {local.year}, at 09:30"
    assert expected in page
    assert f"{local.day}. {local:%B}" not in page


@pytest.mark.django_db
@pytest.mark.clock
def test_a_danish_seminar_page_shows_danish_dates(client, cast, closing) -> None:
    client.force_login(cast.member)
    page = client.get(reverse("seminars:detail", args=[closing.pk])).content.decode()
    local = closing.starts_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    with translation.override("da"):
        long = date_format(local, "DATE_FORMAT")
    assert f"{long}, kl. 09.30" in page
    assert re.search(r"\d+\. [a-zæø]+ \d{4}", long)


@pytest.mark.django_db
@pytest.mark.clock
def test_the_english_calendar_does_not_repeat_the_kind_beside_a_danish_title(
    client, cast, closing
) -> None:
    client.force_login(cast.member)
    _english(client)
    page = client.get(reverse("seminars:calendar")).content.decode()
    assert "Afslutningsseminar" in page
    assert "Closing seminar 1" not in page


@pytest.mark.django_db
def test_a_title_that_does_not_say_the_kind_gets_it_as_a_badge(cast) -> None:
    seminar = SeminarFactory(
        programme=cast.kol, kind=Seminar.Kind.LEARNING, number=2, title="Spredning"
    )
    with translation.override("en"):
        assert seminar.kind_badge == "Learning seminar 2"
    with translation.override("da"):
        assert seminar.kind_badge == "Læringsseminar 2"
