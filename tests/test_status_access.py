"""The status pages follow the data pages' rule: a national lead reads their own LKT's results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_another_lkts_pages_are_404_for_a_national_lead(client, cast) -> None:
    client.force_login(cast.lead)  # national lead of KOL, not of ADHD
    indicator = IndicatorFactory(programme=cast.adhd)

    for url in (
        reverse("status:programme", args=[cast.adhd.pk]),
        reverse("status:programme_pdf", args=[cast.adhd.pk]),
        reverse("status:ratings", args=[cast.adhd.pk]),
        reverse("status:indicator", args=[indicator.pk]),
        reverse("indicators:chart_changes", args=[indicator.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("status:programme", args=[cast.kol.pk])).status_code == 200


def test_a_region_page_shows_a_national_lead_only_their_lkts_teams(client, cast) -> None:
    url = reverse("status:region", args=[cast.regions["rsd"].pk])
    client.force_login(cast.lead)
    page = client.get(url).content.decode()
    assert cast.kol_rsd.name in page
    assert cast.adhd_rsd.name not in page

    client.force_login(cast.coordinator)  # coordinators read every region's teams, as on /data/
    assert cast.adhd_rsd.name in client.get(url).content.decode()
