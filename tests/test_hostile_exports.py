"""Text stored before the portal refused control characters still exports: CSV and Excel."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Measurement
from programmes.models import Programme, StatusRating
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

# Word pastes a vertical tab for a manual line break; the others are as hostile (PostgreSQL
# itself refuses NUL, so no NUL can be stored).
HOSTILE = "Før\x0bmøde \x1b[31m\x7f=1+1 \x08slut"


@pytest.fixture
def stored(cast) -> Measurement:
    indicator = IndicatorFactory(programme=cast.kol, name="Andel med KOL-plan")
    measurement = MeasurementFactory(team=cast.kol_rm, indicator=indicator)
    # Written past every validator, as data from before the rules were.
    Measurement.objects.filter(pk=measurement.pk).update(comment=HOSTILE)
    return measurement


@pytest.mark.parametrize("scope", ["team", "programme", "region"])
def test_it_exports_a_stored_vertical_tab_to_excel(client, cast, stored, scope) -> None:
    pk = {"team": cast.kol_rm.pk, "programme": cast.kol.pk, "region": cast.regions["rm"].pk}
    client.force_login(cast.steering)

    response = client.get(
        reverse(f"indicators:export_{scope}", args=[pk[scope]]), {"format": "xlsx"}
    )

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    comment = next(sheet.iter_rows(min_row=2, values_only=True))[10]
    assert comment == "Førmøde [31m=1+1 slut"


def test_the_csv_export_drops_the_control_characters_too(client, cast, stored) -> None:
    client.force_login(cast.steering)

    response = client.get(reverse("indicators:export_team", args=[cast.kol_rm.pk]))

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Førmøde [31m=1+1 slut" in body
    assert not any(ch in body for ch in "\x0b\x1b\x7f\x08")


@pytest.mark.clock
def test_the_status_overview_exports_a_stored_vertical_tab_to_excel(client, cast) -> None:
    StatusRating.objects.create(
        programme=cast.kol, colour=StatusRating.Colour.GREEN, reason="ok", rated_by=cast.lead
    )
    StatusRating.objects.filter(programme=cast.kol).update(reason="=cmd|\x0b'/c calc'!A1")
    Programme.objects.filter(pk=cast.kol.pk).update(name="KOL\x0b\x01")
    client.force_login(cast.steering)

    response = client.get(reverse("status:export"), {"format": "xlsx"})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "KOL")
    reason = row[header.index("projektledelsens begrundelse")]
    assert reason.value == "=cmd|'/c calc'!A1" and reason.data_type == "s"  # text, not a formula
