"""The variation and assurance icons beside the charts and on the status pages, each with its
accessible name (a <title> the svg is labelled by)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.months import add_months
from indicators.models import Indicator
from tests.factories import IndicatorFactory, MeasurementFactory
from tests.test_status_pages import MONTHS, make_lkt

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def labelled_icons(page: str) -> list[str]:
    """The accessible names of the page's icons, read through their aria-labelledby."""
    titles = dict(re.findall(r'<title id="(spc-icon-\d+)">([^<]+)</title>', page))
    ids = re.findall(r'<svg class="spc-icon [^"]*" role="img" aria-labelledby="([^"]+)"', page)
    return [titles[i] for i in ids]


def test_the_team_results_show_variation_and_assurance_icons(client, cast, clock) -> None:
    cast.kol.start_date = clock.month(-20)
    cast.kol.end_date = clock.month(10)
    cast.kol.save()
    share = IndicatorFactory(
        programme=cast.kol,
        name="Andel med tjek",
        measure=Indicator.Measure.PROPORTION,
        better_direction="up",
        target=99,
    )
    # Ten months near 40 %, then ten near 90 %: a long run above the centre line.
    for i, numerator in enumerate([4, 5] * 5 + [9, 10] * 5):
        MeasurementFactory(
            team=cast.kol_rsd,
            indicator=share,
            period_start=add_months(cast.kol.start_date, i),
            numerator=numerator,
            denominator=10,
        )
    client.force_login(cast.member)

    url = reverse("indicators:team_results", args=[cast.kol_rsd.pk])
    page = client.get(url, {"kort": "spc"}).content.decode()

    assert labelled_icons(page) == [
        "Særlig årsag – forbedring (høj)",
        "Målet nås kun nogle gange",  # 99 % lies between the limits of the last months
    ]


def test_the_status_overview_shows_the_variation_icons(client, cast, clock) -> None:
    cache.clear()
    start = clock.month(-MONTHS)
    make_lkt("Alfa", cast.regions["rm"], start=start, trend="up", kinds=("outcome",))
    make_lkt("Beta", cast.regions["rsd"], start=start, trend="flat", kinds=("outcome",))
    client.force_login(cast.steering)

    page = client.get(reverse("status:overview")).content.decode()

    names = labelled_icons(page)
    assert "Særlig årsag – forbedring (høj)" in names
    assert "Almindelig årsag – tilfældig variation" in names
