"""Indicators in the portal: created and edited by the lead and the expert group, versioned,
drawn on the charts when their definition changes, proposals accepted or declined, deactivated
once they have data and deleted only without."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.months import add_months
from indicators.definitions import indicator_update
from indicators.models import Indicator, IndicatorProposal, IndicatorVersion, SeriesSummary
from indicators.summaries import refresh_summaries, signature
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def last_month(clock) -> dt.date:
    return clock.month(-1)


@pytest.fixture
def kol(cast, last_month):
    """KOL running for the last 14 months; one indicator with a year of a team's data and one
    without data."""
    cast.kol.start_date = add_months(last_month, -13)
    cast.kol.end_date = add_months(last_month, 10)
    cast.kol.save()
    measured = IndicatorFactory(
        programme=cast.kol,
        name="Andel med inhalationstjek",
        definition="Andel af indlagte med inhalationstjek",
        better_direction="up",
        target=90,
    )
    for i in range(12):
        MeasurementFactory(
            team=cast.kol_rm,
            indicator=measured,
            period_start=add_months(cast.kol.start_date, i),
            numerator=5 + i % 3,
            denominator=10,
        )
    refresh_summaries([measured.pk])
    fresh = IndicatorFactory(programme=cast.kol, name="Ny indikator uden data")
    return cast, measured, fresh


def _fields(indicator: Indicator | None = None, **changes) -> dict:
    """Every field of the indicator form, as a browser would post it."""
    data = {
        "name": "Handleplan ved udskrivelse",
        "definition": "Andel udskrevne med skriftlig handleplan",
        "kind": "process",
        "measure": "proportion",
        "numerator_definition": "Udskrevne med handleplan",
        "denominator_definition": "Alle udskrevne",
        "unit": "%",
        "multiplier": "100",
        "better_direction": "up",
        "target": "80",
        "frequency": "monthly",
        "data_source": "portal",
        "national_goal": "Bedre sammenhæng",
    }
    if indicator is not None:
        data |= {
            name: "" if getattr(indicator, name) is None else str(getattr(indicator, name))
            for name in data
        }
        target = indicator.target
        data["target"] = "" if target is None else str(Decimal(str(target))).replace(".", ",")
    return data | changes


def test_the_lead_creates_an_indicator_with_every_field(client, kol) -> None:
    cast, _, _ = kol
    client.force_login(cast.lead)

    response = client.post(
        reverse("indicators:indicator_create", args=[cast.kol.pk]),
        _fields(target="82,5", multiplier="1000", kind="outcome", data_source="database"),
    )

    created = Indicator.objects.get(name="Handleplan ved udskrivelse")
    assert response.status_code == 302
    assert created.programme == cast.kol
    assert created.target == Decimal("82.5")
    assert created.multiplier == 1000
    assert (created.kind, created.data_source, created.national_goal) == (
        "outcome",
        "database",
        "Bedre sammenhæng",
    )
    assert created.numerator_definition == "Udskrevne med handleplan"
    others = cast.kol.indicators.exclude(pk=created.pk).values_list("order", flat=True)
    assert created.order > max(others)  # last in the programme's order


def test_an_expert_creates_an_indicator_too(client, kol) -> None:
    cast, _, _ = kol
    client.force_login(cast.expert)

    client.post(reverse("indicators:indicator_create", args=[cast.kol.pk]), _fields())

    assert Indicator.objects.filter(programme=cast.kol, name="Handleplan ved udskrivelse").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("multiplier", "0", "større end eller lig 1."),
        ("multiplier", "-100", "større end eller lig 1."),
        ("multiplier", "99999999999999999999", "mindre end eller lig 1000000"),
        ("multiplier", "hundrede", "Indtast et heltal"),
        ("target", "9" * 30, "cifre"),
        ("target", "abc", "Indtast et tal"),
        ("target", "NaN", "Indtast et tal"),
        ("name", "Navn\r\nmed linjeskift", "Navn"),
        ("name", "Navn\x00", "Navn"),
        ("name", "", "Dette felt er påkrævet"),
        ("name", "x" * 20_000, "højst have 200 tegn"),
        ("measure", "percent", "Marker en gyldig valgmulighed"),
    ],
)
def test_hostile_input_is_refused_with_a_message_and_nothing_is_written(
    client, kol, field, value, message
) -> None:
    cast, _, _ = kol
    client.force_login(cast.lead)
    before = Indicator.objects.count()

    response = client.post(
        reverse("indicators:indicator_create", args=[cast.kol.pk]), _fields(**{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Indicator.objects.count() == before


def test_a_long_definition_keeps_its_lines_and_loses_its_control_characters(client, kol) -> None:
    cast, _, _ = kol
    client.force_login(cast.lead)
    text = "Første linje\r\nAnden\x07 linje " + "x" * 20_000

    client.post(
        reverse("indicators:indicator_create", args=[cast.kol.pk]), _fields(definition=text)
    )

    stored = Indicator.objects.get(name="Handleplan ved udskrivelse").definition
    assert stored.startswith("Første linje\nAnden linje ")
    assert len(stored) == len("Første linje\nAnden linje ") + 20_000


def test_the_same_form_posted_twice_makes_one_indicator(client, kol) -> None:
    cast, _, _ = kol
    client.force_login(cast.lead)
    url = reverse("indicators:indicator_create", args=[cast.kol.pk])

    client.post(url, _fields())
    second = client.post(url, _fields())

    assert Indicator.objects.filter(name="Handleplan ved udskrivelse").count() == 1
    assert "Programmet har allerede en indikator med navnet" in second.content.decode()


def test_the_leads_change_of_the_target_is_versioned_and_the_summary_follows(
    client, kol, django_capture_on_commit_callbacks
) -> None:
    cast, measured, _ = kol
    client.force_login(cast.lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicators:indicator_edit", args=[measured.pk]),
            _fields(measured, target="95"),
        )

    assert response.status_code == 302
    measured.refresh_from_db()
    assert measured.target == Decimal("95")
    version = IndicatorVersion.objects.get(indicator=measured)
    assert version.changes == {"target": ["90", "95"]}
    assert version.changed_by == cast.lead
    summary = SeriesSummary.objects.get(indicator=measured, team__isnull=True)
    assert summary.signature == signature(measured, lkt=True)
    assert "95" in summary.signature


def test_an_edit_that_changes_nothing_makes_no_version(client, kol) -> None:
    cast, measured, _ = kol
    client.force_login(cast.lead)

    client.post(reverse("indicators:indicator_edit", args=[measured.pk]), _fields(measured))

    assert not IndicatorVersion.objects.exists()


def test_the_measure_stays_once_teams_have_data(client, kol) -> None:
    cast, measured, fresh = kol
    client.force_login(cast.lead)
    url = reverse("indicators:indicator_edit", args=[measured.pk])

    form = client.get(url).content.decode()
    client.post(url, _fields(measured, measure="count"))
    client.post(
        reverse("indicators:indicator_edit", args=[fresh.pk]), _fields(fresh, measure="count")
    )

    assert "Kan ikke ændres, når teams har registreret data" in form
    measured.refresh_from_db()
    fresh.refresh_from_db()
    assert (measured.measure, fresh.measure) == ("proportion", "count")


def test_the_service_refuses_a_new_measure_once_teams_have_data(kol) -> None:
    _, measured, _ = kol

    with pytest.raises(ValidationError, match="Måltypen kan ikke ændres"):
        indicator_update(indicator=measured, by=None, measure="count", unit="")

    measured.refresh_from_db()
    assert (measured.measure, measured.unit) == ("proportion", "%")


def test_a_refused_edit_leaves_the_indicator_as_it_was(client, kol) -> None:
    cast, measured, _ = kol
    client.force_login(cast.lead)

    client.post(
        reverse("indicators:indicator_edit", args=[measured.pk]),
        _fields(measured, target="95", multiplier="-1"),
    )

    measured.refresh_from_db()
    assert measured.target == Decimal("90")
    assert not IndicatorVersion.objects.exists()


def test_an_indicator_with_data_is_deactivated_not_deleted(client, kol) -> None:
    cast, measured, _ = kol
    client.force_login(cast.lead)

    client.post(reverse("indicators:indicator_delete", args=[measured.pk]))
    assert Indicator.objects.filter(pk=measured.pk).exists()

    client.post(reverse("indicators:indicator_deactivate", args=[measured.pk]))
    measured.refresh_from_db()
    assert not measured.is_active
    assert measured.measurements.count() == 12
    page = client.get(reverse("indicators:team_results", args=[cast.kol_rm.pk])).content.decode()
    assert "Andel med inhalationstjek" not in page

    client.post(reverse("indicators:indicator_activate", args=[measured.pk]))
    measured.refresh_from_db()
    assert measured.is_active


def test_an_indicator_without_data_is_deleted(client, kol) -> None:
    cast, _, fresh = kol
    client.force_login(cast.lead)

    response = client.post(reverse("indicators:indicator_delete", args=[fresh.pk]))

    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=fresh.pk).exists()


def test_an_expert_edits_an_indicator_without_data_directly(client, kol) -> None:
    cast, _, fresh = kol
    client.force_login(cast.expert)

    client.post(reverse("indicators:indicator_edit", args=[fresh.pk]), _fields(fresh, unit="‰"))

    fresh.refresh_from_db()
    assert fresh.unit == "‰"
    assert not IndicatorProposal.objects.exists()


def _propose(client, cast, measured, **changes) -> IndicatorProposal:
    client.force_login(cast.expert)
    response = client.post(
        reverse("indicators:indicator_edit", args=[measured.pk]),
        _fields(measured, reason="Målet bør følge den nationale standard", **changes),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return IndicatorProposal.objects.get(indicator=measured)


def test_an_experts_change_of_an_indicator_with_data_is_a_proposal(client, kol) -> None:
    cast, measured, _ = kol

    proposal = _propose(client, cast, measured, target="95")

    measured.refresh_from_db()
    assert measured.target == Decimal("90")
    assert proposal.changes == {"target": ["90", "95"]}
    assert proposal.proposed_by == cast.expert
    assert proposal.status == "pending"


def test_the_same_proposal_posted_twice_is_kept_once(client, kol) -> None:
    cast, measured, _ = kol
    _propose(client, cast, measured, target="95")

    again = client.post(
        reverse("indicators:indicator_edit", args=[measured.pk]),
        _fields(measured, target="95", reason="Igen"),
    )

    assert "Du har allerede foreslået netop denne ændring" in again.content.decode()
    assert IndicatorProposal.objects.count() == 1


def test_a_proposal_needs_a_reason_and_a_change(client, kol) -> None:
    cast, measured, _ = kol
    client.force_login(cast.expert)
    url = reverse("indicators:indicator_edit", args=[measured.pk])

    no_reason = client.post(url, _fields(measured, target="95", reason=""))
    no_change = client.post(url, _fields(measured, reason="Fordi"))

    assert "Dette felt er påkrævet" in no_reason.content.decode()
    assert "Forslaget ændrer intet" in no_change.content.decode()
    assert not IndicatorProposal.objects.exists()


def test_an_accepted_proposal_changes_the_indicator_and_is_drawn_on_its_charts(
    client, kol, last_month
) -> None:
    cast, measured, _ = kol
    proposal = _propose(
        client, cast, measured, target="95", definition="Andel med inhalationstjek ved udskrivelse"
    )
    chart = reverse("indicators:team_results", args=[cast.kol_rm.pk])
    client.force_login(cast.lead)
    assert "Definition ændret" not in client.get(chart).content.decode()

    response = client.post(
        reverse("indicators:proposal_accept", args=[proposal.pk]), {"note": "Enig"}
    )

    assert response.status_code == 302
    measured.refresh_from_db()
    proposal.refresh_from_db()
    assert measured.target == Decimal("95")
    assert measured.definition == "Andel med inhalationstjek ved udskrivelse"
    assert (proposal.status, proposal.decided_by, proposal.decision_note) == (
        "accepted",
        cast.lead,
        "Enig",
    )
    version = IndicatorVersion.objects.get(indicator=measured)
    assert version.proposal == proposal
    assert version.month == last_month
    assert version.changes["target"] == ["90", "95"]
    for url in (chart, reverse("indicators:programme_results", args=[cast.kol.pk])):
        page = client.get(url).content.decode()
        assert '<g class="spc-annotation"><title>Definition ændret</title>' in page, url
    detail = client.get(reverse("indicators:indicator_detail", args=[measured.pk]))
    assert "Accepteret" in detail.content.decode()


def test_a_declined_proposal_is_kept_and_changes_nothing(client, kol) -> None:
    cast, measured, _ = kol
    proposal = _propose(client, cast, measured, target="95")
    client.force_login(cast.lead)

    client.post(reverse("indicators:proposal_decline", args=[proposal.pk]), {"note": "Nej tak"})

    measured.refresh_from_db()
    proposal.refresh_from_db()
    assert measured.target == Decimal("90")
    assert proposal.status == "declined"
    assert not IndicatorVersion.objects.exists()
    page = client.get(reverse("indicators:proposal_list", args=[cast.kol.pk])).content.decode()
    assert "Afvist" in page
    assert "Nej tak" in page
    assert "Målet bør følge den nationale standard" in page


def test_a_proposal_is_decided_once(client, kol) -> None:
    cast, measured, _ = kol
    proposal = _propose(client, cast, measured, target="95")
    client.force_login(cast.lead)

    client.post(reverse("indicators:proposal_accept", args=[proposal.pk]))
    again = client.post(reverse("indicators:proposal_decline", args=[proposal.pk]), follow=True)

    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert "Forslaget er allerede accepteret" in again.content.decode()
    assert IndicatorVersion.objects.count() == 1


def test_an_expert_may_not_decide_on_a_proposal(client, kol) -> None:
    cast, measured, _ = kol
    proposal = _propose(client, cast, measured, target="95")

    response = client.post(reverse("indicators:proposal_accept", args=[proposal.pk]))

    assert response.status_code == 403
    measured.refresh_from_db()
    assert measured.target == Decimal("90")


def test_a_hostile_decision_note_is_refused_and_nothing_is_decided(client, kol) -> None:
    cast, measured, _ = kol
    proposal = _propose(client, cast, measured, target="95")
    client.force_login(cast.lead)

    client.post(reverse("indicators:proposal_accept", args=[proposal.pk]), {"note": "x" * 20_000})

    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_the_indicator_list_query_count_does_not_grow(
    client, kol, django_assert_max_num_queries
) -> None:
    cast, measured, _ = kol
    for n in range(15):
        indicator = IndicatorFactory(programme=cast.kol, name=f"Ekstra {n}")
        indicator.proposals.create(changes={"unit": ["%", "‰"]}, reason="r")
    for status in ("pending", "pending", "declined"):
        measured.proposals.create(changes={"unit": ["%", "‰"]}, reason="r", status=status)
    client.force_login(cast.lead)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("indicators:indicator_list", args=[cast.kol.pk]))

    page = response.content.decode()
    assert "Ekstra 14" in page
    # The measured indicator's twelve months of data do not multiply its two pending proposals.
    assert page.count("2 forslag afventer") == 1
    assert page.count("1 forslag afventer") == 15


def test_the_proposal_list_query_count_does_not_grow(
    client, kol, django_assert_max_num_queries
) -> None:
    cast, measured, _ = kol
    for n in range(15):
        indicator = IndicatorFactory(programme=cast.kol, name=f"Ekstra {n}")
        indicator.proposals.create(
            changes={"target": [None, "5"]}, reason=f"Grund {n}", proposed_by=cast.expert
        )
    client.force_login(cast.lead)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("indicators:proposal_list", args=[cast.kol.pk]))

    assert "Grund 14" in response.content.decode()
