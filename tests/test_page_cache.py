"""The learning library and the programme's results page are rendered once per version of the
programme's data (indicators/page_cache.py): a write shows at once, each person keeps their own
buttons and CSRF token, nothing crosses programmes, and a page once rendered costs a few
queries however large the programme."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from indicators.services import measurement_record
from indicators.summaries import refresh_summaries
from learning.diagram_services import idea_add
from learning.pdsa_services import cycle_update
from programmes.models import ChangeIdea
from teams.models import PDSACycle, PDSADecision, PDSAState
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

# Once rendered: the person, the programme and the version of its data (session and roles
# come from the cache); the library also looks up the person's own teams (their buttons).
HIT_QUERIES = 3


@pytest.fixture
def world(cast, clock):
    """KOL from 14 months ago with an indicator and an idea aimed at it."""
    cache.clear()
    cast.kol.start_date = clock.month(-14)
    cast.kol.end_date = clock.month(12)
    cast.kol.save()
    indicator = f.IndicatorFactory(programme=cast.kol, name="Henvist til rehabilitering")
    idea = ChangeIdea.objects.create(programme=cast.kol, title="Henvisning ved udskrivelse")
    idea.indicators.add(indicator)
    return cast, idea, indicator


def text_of(client: Client, name: str, *args: int, **extra: str) -> str:
    response = client.get(reverse(name, args=args), **extra)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def library(client: Client, cast) -> str:
    return text_of(client, "programmes:learning", cast.kol.pk)


def studied(team, idea) -> PDSACycle:
    return PDSACycle.objects.create(
        team=team,
        change_idea=idea,
        title="Henvisning på stuegang",
        state=PDSAState.STUDIED,
        study="8 af 10 blev henvist.",
        started_on=team.programme.start_date,
    )


def test_a_decision_shows_at_once_on_a_library_already_rendered(client, world):
    cast, idea, _ = world
    cycle = studied(cast.kol_rm, idea)
    client.force_login(cast.steering)
    assert "Indfør (adopt): 0" in library(client, cast)

    cycle_update(cycle=cycle, by=cast.local_lead, state=PDSAState.DECIDED, decision="adopt")

    assert "Indfør (adopt): 1" in library(client, cast)


def test_a_new_idea_shows_at_once_on_a_library_already_rendered(client, world):
    cast, _, indicator = world
    client.force_login(cast.lead)
    assert "Udskrivningssamtale" not in library(client, cast)

    idea_add(programme=cast.kol, by=cast.lead, indicators=[indicator], title="Udskrivningssamtale")

    assert "Udskrivningssamtale" in library(client, cast)


def test_a_renamed_team_shows_at_once_even_when_renamed_outside_the_portals_forms(client, world):
    cast, idea, _ = world
    studied(cast.kol_rm, idea)
    client.force_login(cast.steering)
    assert "Lungemedicin AUH" in library(client, cast)

    cast.kol_rm.name = "Lungeklinikken Aarhus"
    cast.kol_rm.save()

    text = library(client, cast)
    assert "Lungeklinikken Aarhus" in text and "Lungemedicin AUH" not in text


def test_new_measurements_move_the_verdicts_at_once(client, world, clock):
    cast, idea, indicator = world
    cycle = studied(cast.kol_rm, idea)
    cycle_update(cycle=cycle, by=cast.local_lead, state=PDSAState.DECIDED, decision="adopt")
    client.force_login(cast.steering)
    assert re.search(r"indført idéen \(1\): <span[^>]*>For få data[^<]*: 1<", library(client, cast))

    # A year of steady values, then one far above (higher is better): an improvement.
    values = [50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 52, 99]
    for n, value in enumerate(values):
        measurement_record(
            team=cast.kol_rm,
            indicator=indicator,
            period_start=clock.month(n - len(values)),
            numerator=Decimal(value),
            denominator=Decimal(100),
            by=cast.local_lead,
        )

    assert re.search(r"indført idéen \(1\): <span[^>]*>Forbedring: 1<", library(client, cast))


def test_each_person_gets_their_own_try_buttons_and_csrf_token(world):
    cast, idea, _ = world
    studied(cast.kol_rm, idea)
    steering, member = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    steering.force_login(cast.steering)
    member.force_login(cast.member)

    assert "Det vil vi også prøve" not in library(steering, cast)
    page = library(member, cast)
    assert "Det vil vi også prøve" not in library(steering, cast)  # after the member's render

    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens and "lkt-library-csrf-token" not in page
    response = member.post(
        reverse("programmes:learning_try_idea", args=[cast.kol.pk, idea.pk]),
        {"team": cast.kol_rsd.pk, "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == 302
    assert PDSACycle.objects.filter(team=cast.kol_rsd, state=PDSAState.PLANNED).exists()


def test_a_library_never_shows_another_programmes_ideas(client, world):
    cast, _, _ = world
    ChangeIdea.objects.create(programme=cast.adhd, title="Skærmfri aften")
    client.force_login(cast.steering)

    assert "Skærmfri aften" in text_of(client, "programmes:learning", cast.adhd.pk)
    assert "Skærmfri aften" not in library(client, cast)


def test_a_rendered_library_costs_the_same_few_queries_however_large(
    client, world, django_assert_max_num_queries
):
    cast, idea, indicator = world
    client.force_login(cast.member)

    def grow(n: int) -> None:
        for _ in range(n):
            team = f.TeamFactory(programme=cast.kol, region=cast.regions["rm"])
            new = ChangeIdea.objects.create(programme=cast.kol, title=f"Idé {team.pk}")
            new.indicators.add(indicator)
            cycle = studied(team, new)
            cycle.decision, cycle.state = PDSADecision.ADAPT, PDSAState.DECIDED
            cycle.save()

    for n in (2, 10):
        grow(n)
        library(client, cast)
        with django_assert_max_num_queries(HIT_QUERIES + 1):
            assert "Det vil vi også prøve" in library(client, cast)


def completeness(client: Client, cast) -> str:
    text = text_of(client, "indicators:programme_results", cast.kol.pk)
    found = re.search(r"Lungemedicin AUH</a></td><td>[^<]*</td>.*?(\d+ / \d+) \(", text)
    assert found, text
    return found.group(1)


def test_a_new_measurement_shows_at_once_on_the_results_page_and_its_parts(client, world, clock):
    cast, _, indicator = world
    refresh_summaries([indicator.pk])  # as every write does; the part's ETag names them
    client.force_login(cast.steering)
    before = completeness(client, cast)
    part = reverse("indicators:programme_results_part", args=[cast.kol.pk, indicator.pk, "lkt"])
    etag = client.get(part, headers={"HX-Request": "true"})["ETag"]

    measurement_record(
        team=cast.kol_rm,
        indicator=indicator,
        period_start=clock.month(-2),
        numerator=7,
        denominator=10,
        by=cast.local_lead,
    )

    registered, expected = before.split(" / ")
    assert completeness(client, cast) == f"{int(registered) + 1} / {expected}"
    fresh = client.get(part, headers={"HX-Request": "true", "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_the_results_page_shows_a_new_team_at_once_and_each_kind_of_chart(client, world):
    cast, _, _ = world
    client.force_login(cast.steering)
    run = text_of(client, "indicators:programme_results", cast.kol.pk)
    f.TeamFactory(programme=cast.kol, region=cast.regions["rm"], name="Lungemedicin RH")

    assert "Lungemedicin RH" in text_of(client, "indicators:programme_results", cast.kol.pk)
    spc = text_of(client, "indicators:programme_results", cast.kol.pk, data={"kort": "spc"})
    assert "Lungemedicin RH" not in run
    assert 'href="?kort=spc" aria-current="true"' in spc
    assert "?kort=spc" in spc.split("Datakomplethed", 1)[1]  # the later parts ask for spc too


def test_a_rendered_results_page_costs_the_same_few_queries_however_large(
    client, world, django_assert_max_num_queries, clock
):
    cast, _, indicator = world
    client.force_login(cast.steering)
    part = reverse("indicators:programme_results_part", args=[cast.kol.pk, indicator.pk, "teams"])
    for n in (1, 8):
        for _ in range(n):
            team = f.TeamFactory(programme=cast.kol, region=cast.regions["rsd"])
            measurement_record(
                team=team,
                indicator=indicator,
                period_start=clock.month(-3),
                numerator=3,
                denominator=10,
                by=None,
            )
        text_of(client, "indicators:programme_results", cast.kol.pk)
        client.get(part, headers={"HX-Request": "true"})
        with django_assert_max_num_queries(HIT_QUERIES):
            text_of(client, "indicators:programme_results", cast.kol.pk)
        with django_assert_max_num_queries(HIT_QUERIES):
            assert client.get(part, headers={"HX-Request": "true"}).status_code == 200


def test_a_kept_part_is_not_found_once_its_indicator_is_retired_or_of_another_programme(
    client, world
):
    cast, _, indicator = world
    refresh_summaries([indicator.pk])
    client.force_login(cast.steering)
    other = f.IndicatorFactory(programme=cast.adhd)

    def part(programme, shown) -> int:
        url = reverse("indicators:programme_results_part", args=[programme.pk, shown.pk, "lkt"])
        return client.get(url, headers={"HX-Request": "true"}).status_code

    assert (part(cast.kol, indicator), part(cast.adhd, other)) == (200, 200)
    assert part(cast.kol, other) == 404
    indicator.is_active = False
    indicator.save()
    assert part(cast.kol, indicator) == 404


def test_a_renamed_region_shows_at_once_on_the_results_page(client, world):
    cast, _, _ = world
    client.force_login(cast.steering)
    assert "Region Syddanmark" in text_of(client, "indicators:programme_results", cast.kol.pk)

    cast.regions["rsd"].name = "Region Syd"
    cast.regions["rsd"].save()

    text = text_of(client, "indicators:programme_results", cast.kol.pk)
    assert "Region Syd<" in text and "Region Syddanmark" not in text
