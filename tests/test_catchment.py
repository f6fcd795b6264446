"""Cross-sector teams: the municipalities must lie in the catchment area of the team's hospital.

The catchment areas are real data (demo/data/places.toml), read into `Organisation.catchment`.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from demo.loader import Loader
from programmes.models import Organisation, Region
from teams.models import ImprovementTeam
from teams.services import team_create
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places() -> Loader:
    """The real regions, hospitals, municipalities and catchment areas of the demo data."""
    loader = Loader(today=timezone.localdate(), now=timezone.now(), out=None)
    loader.load_places()
    return loader


@pytest.fixture
def hip_fracture(places: Loader):
    rm = Region.objects.get(code="RM")
    return ProgrammeFactory(name="Hoftebrud", lead_region=rm, is_cross_sector=True), rm


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def test_the_demo_data_gives_each_hospital_its_catchment(places) -> None:
    assert {m.name for m in org("Hospitalsenheden Horsens").catchment.all()} == {"Horsens Kommune"}
    randers = {m.name for m in org("Regionshospitalet Randers").catchment.all()}
    assert randers == {"Randers Kommune", "Norddjurs Kommune"}
    assert all(
        m.kind == "municipality" for h in Organisation.objects.all() for m in h.catchment.all()
    )


def test_horsens_hospital_with_norddjurs_is_refused_with_a_clear_message(hip_fracture) -> None:
    programme, rm = hip_fracture
    chosen = [org("Hospitalsenheden Horsens"), org("Norddjurs Kommune")]

    with pytest.raises(ValidationError) as refused:
        team_create(programme=programme, by=None, name="Horsens", region=rm, organisations=chosen)

    assert refused.value.message_dict["organisations"] == [
        "Norddjurs Kommune ligger ikke i optageområdet for Hospitalsenheden Horsens "
        "(optageområdet: Horsens Kommune)."
    ]
    assert not ImprovementTeam.objects.exists()


def test_a_department_answers_for_its_hospitals_catchment(hip_fracture) -> None:
    programme, rm = hip_fracture
    department = Organisation.objects.create(
        name="Ortopædkirurgi, Horsens",
        kind="department",
        region=rm,
        parent=org("Hospitalsenheden Horsens"),
    )
    with pytest.raises(ValidationError):
        team_create(
            programme=programme, by=None, name="Horsens", region=rm,
            organisations=[department, org("Norddjurs Kommune")],
        )  # fmt: skip
    team = team_create(
        programme=programme, by=None, name="Horsens", region=rm,
        organisations=[department, org("Horsens Kommune")],
    )  # fmt: skip
    assert team.pk


def test_randers_hospital_with_norddjurs_is_accepted(hip_fracture) -> None:
    programme, rm = hip_fracture
    chosen = [org("Regionshospitalet Randers"), org("Randers Kommune"), org("Norddjurs Kommune")]
    team = team_create(
        programme=programme, by=None, name="Randers", region=rm, organisations=chosen
    )
    assert team.organisations.count() == 3


def test_the_region_itself_is_never_offered_as_an_organisation(client, cast, places) -> None:
    client.force_login(cast.administrator)
    response = client.get(
        reverse("teams:create", args=[cast.kol.pk]), {"region": Region.objects.get(code="RM").pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aarhus Universitetshospital" in page
    assert f'value="{org("Region Midtjylland").pk}"' not in page
