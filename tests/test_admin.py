"""Every model has an admin, and every admin page opens for a superuser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.tokens import calendar_feed_create, token_create
from indicators.definitions import proposal_accept
from indicators.models import ChartChange, IndicatorProposal
from indicators.services import upload_preview_keep
from indicators.summaries import refresh_summaries
from programmes.models import (
    ChangeIdea,
    DiagramRevision,
    Driver,
    ImprovementGoal,
    StatusRating,
)
from programmes.services import programme_change_status
from seminars.materials import material_add
from seminars.models import Registration
from teams.models import MonthlyNote, PDSACycle, ProgressScore, SustainmentPlan
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
    # Historical* models (django-simple-history) are read through their model's history page.
    return [
        m
        for label in DOMAIN_APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    ]


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
    primary = Driver.objects.create(programme=programme, title="Sikker overgang")
    secondary = Driver.objects.create(
        programme=programme, parent=primary, title="Plan ved udskrivelse"
    )
    idea = ChangeIdea.objects.create(programme=programme, driver=secondary, title="Tjekliste")
    idea.indicators.add(measurement.indicator)
    DiagramRevision.objects.create(programme=programme, summary="Idé tilføjet", snapshot={})
    PDSACycle.objects.create(
        team=team,
        title="Tjekliste ved udskrivelse",
        change_idea=idea,
        started_on=dt.date(2024, 3, 4),
    ).indicators.add(measurement.indicator)
    plan = SustainmentPlan.objects.create(
        programme=programme, team=team, anchoring="Kvalitetsrådet"
    )
    plan.log.create(held_on=dt.date(2026, 7, 1), note="Gevinsterne holder")
    programme.sustainment_reviews.create(due_on=dt.date(2026, 7, 1))
    programme_change_status(programme=programme, status="paused", by=None, reason="Test")
    Invitation.objects.create(
        user=member.user,
        invited_to=str(team),
        token_hash="0" * 64,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    token_create(user=member.user, name="Datavarehus", scope="read", days=30)
    calendar_feed_create(user=member.user)
    ProgressScore.objects.create(team=team, month=dt.date(2024, 3, 1), rater="team", score="1.5")
    MonthlyNote.objects.create(
        team=team, month=dt.date(2024, 3, 1), tried="Tjekliste", learned="Virker", next_steps="Mere"
    )
    ChartChange.objects.create(
        indicator=measurement.indicator,
        kind="baseline",
        period_start=dt.date(2024, 6, 1),
        reason="Baseline før kick-off",
    )
    StatusRating.objects.create(programme=programme, colour="yellow", reason="Data mangler")
    proposal = IndicatorProposal.objects.create(
        indicator=measurement.indicator, changes={"target": [None, "90"]}, reason="Målet mangler"
    )
    proposal_accept(proposal=proposal, by=None)
    refresh_summaries([measurement.indicator_id])
    upload_preview_keep(user=member.user, filename="data.csv", rows=[])
    material_add(
        seminar=seminar,
        upload=SimpleUploadedFile("program.pdf", b"%PDF-1.4\n%%EOF\n"),
        kind="programme",
        title="Program",
        by=None,
    )
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


def test_a_measurements_history_page_opens(filled_admin) -> None:
    from indicators.models import Measurement

    measurement = Measurement.objects.first()
    response = filled_admin.get(
        reverse("admin:indicators_measurement_history", args=[measurement.pk])
    )
    assert response.status_code == 200
