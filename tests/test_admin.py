"""Every model has an admin, and every admin page opens for a superuser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from programmes.models import ImprovementGoal
from programmes.services import programme_change_status
from seminars.models import Registration
from teams.models import PDSACycle
from tests.factories import (
    ExpertMemberFactory,
    MeasurementFactory,
    OrganisationFactory,
    ProgrammeLeadFactory,
    RegionalCoordinatorFactory,
    SeminarFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ["accounts", "programmes", "teams", "seminars", "indicators"]


def _domain_models() -> list:
    return [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models()]


def test_every_domain_model_is_in_the_admin() -> None:
    missing = [m.__name__ for m in _domain_models() if m not in admin.site._registry]
    assert missing == []


@pytest.fixture
def filled_admin(client):
    """One of everything, so that list, change and delete pages have a row to show."""
    ExpertMemberFactory()
    ProgrammeLeadFactory()
    RegionalCoordinatorFactory()
    member = TeamMemberFactory(team__organisations=[OrganisationFactory()])
    team, programme = member.team, member.team.programme
    measurement = MeasurementFactory(team=team)
    seminar = SeminarFactory(programme=programme)
    seminar.invited_teams.add(team)
    Registration.objects.create(seminar=seminar, user=member.user, team=team)
    ImprovementGoal.objects.create(programme=programme, text="Færre genindlæggelser")
    PDSACycle.objects.create(
        team=team,
        title="Tjekliste ved udskrivelse",
        indicator=measurement.indicator,
        started_on=dt.date(2024, 3, 4),
    )
    programme_change_status(programme=programme, status="paused", by=None, reason="Test")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", _domain_models(), ids=lambda m: m._meta.label)
def test_its_admin_pages_open(filled_admin, model) -> None:
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = filled_admin.get(reverse(f"{prefix}_changelist"))
    assert changelist.status_code == 200
    assert filled_admin.get(reverse(f"{prefix}_add")).status_code in (200, 403)

    obj = model.objects.first()
    assert obj is not None, f"no {model.__name__} to open"
    change = filled_admin.get(reverse(f"{prefix}_change", args=[obj.pk]))
    assert change.status_code == 200
    # Searching exercises search_fields, which break only at query time.
    assert filled_admin.get(reverse(f"{prefix}_changelist"), {"q": "a"}).status_code == 200


def test_the_admin_speaks_danish(filled_admin) -> None:
    response = filled_admin.get(reverse("admin:index"))
    page = response.content.decode()
    assert "Forbedringsteams" in page
    assert "Indikatorer og data" in page
    assert "Log ud" in page
