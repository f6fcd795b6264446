"""Journey: a team member logs a PDSA cycle for a change idea with a prediction, studies it and
adopts it; a member of another team in the same LKT finds it in the learning library, presses
"Det vil vi også prøve" and lands on their own team's new planned cycle. axe-core checks every
page on the way."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from programmes.models import ChangeIdea
from teams.models import PDSACycle, PDSADecision, PDSAState
from tests import factories as f
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e

TITLE = "Genoptræningsplan udleveret ved udskrivelse"
PREDICTION = "Vi forventer, at 8 af 10 patienter får planen med hjem i første uge."
STUDY = "9 af 10 fik planen med; én blev udskrevet en søndag uden fysioterapeut."


@pytest.fixture
def learning_world(hip_fracture):
    world = hip_fracture
    idea = ChangeIdea.objects.create(
        programme=world.programme,
        title="Genoptræningsplan før udskrivelse",
        description="Fysioterapeuten udleverer og gennemgår planen inden udskrivelsen.",
    )
    idea.indicators.add(world.indicators.rehab)
    aarhus = f.TeamFactory(
        programme=world.programme,
        region=world.rm,
        name="Hoftebrud Aarhus",
        organisations=[world.orgs.auh, world.orgs.aarhus],
    )
    tester = f.TeamMemberFactory(
        team=world.kolding_vejle,
        user__email="fys@lillebaelt.example.dk",
        user__first_name="Lone",
        user__last_name="Dam",
        user__password=PASSWORD,
    ).user
    learner = f.TeamMemberFactory(
        team=aarhus,
        user__email="sygeplejerske@auh.example.dk",
        user__first_name="Jens",
        user__last_name="Kirk",
        user__password=PASSWORD,
    ).user
    return world, idea, aarhus, tester, learner


def test_a_team_adopts_an_idea_and_another_team_finds_it_in_the_library_and_tries_it_too(
    page, axe, learning_world, clock
):
    world, idea, aarhus, tester, learner = learning_world
    team = world.kolding_vejle

    # Lone's team plans a cycle of the idea, with a prediction.
    log_in(page, tester.email)
    page.goto(reverse("teams:pdsa_create", args=[team.pk]))
    axe.check(page)
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Forandringsidé fra forandringspakken").select_option(label=idea.title)
    page.get_by_label("Forudsigelse", exact=True).fill(PREDICTION)
    page.get_by_label("Startdato").fill(clock.today().isoformat())
    page.get_by_role("button", name="Gem cyklus").click()
    page.wait_for_url(re.compile(r"/pdsa/\d+/$"))
    cycle = PDSACycle.objects.get(team=team)
    assert cycle.state == PDSAState.PLANNED and cycle.prediction == PREDICTION
    axe.check(page)

    # … studies it and adopts it.
    page.goto(reverse("teams:pdsa_edit", args=[team.pk, cycle.pk]))
    page.get_by_label("Resultat mod forudsigelsen").fill(STUDY)
    page.get_by_label("Besluttet").check()
    page.get_by_label("Beslutning", exact=True).select_option(value=PDSADecision.ADOPT)
    page.get_by_role("button", name="Gem cyklus").click()
    page.wait_for_url(re.compile(r"/pdsa/\d+/$"))
    cycle.refresh_from_db()
    assert (cycle.state, cycle.decision, cycle.study) == (PDSAState.DECIDED, "adopt", STUDY)

    # Jens, on another team of the LKT, finds it in the learning library.
    page.context.clear_cookies()
    log_in(page, learner.email)
    page.get_by_role("link", name="Læring", exact=True).click()
    page.wait_for_url(f"**{reverse('programmes:learning', args=[world.programme.pk])}")
    axe.check(page)
    card = page.locator(f"#idea-{idea.pk}")
    assert "Afprøvet af 1 team i 1 cyklus" in re.sub(r"\s+", " ", card.inner_text())
    assert "Indfør (adopt): 1" in card.inner_text()
    page.get_by_role("link", name="Hvad andre teams har lært").first.click()
    page.get_by_label("Søg i cyklusserne").fill("fysioterapeut")
    page.get_by_role("button", name="Søg", exact=True).last.click()
    page.wait_for_url(re.compile(r"q=fysioterapeut"))
    axe.check(page)
    found = page.locator(f"#cycle-{cycle.pk}")
    assert TITLE in found.inner_text() and PREDICTION in found.inner_text()

    # "Det vil vi også prøve": a planned cycle for Jens's team, opened for editing.
    found.get_by_role("button", name=re.compile("Det vil vi også prøve")).click()
    page.wait_for_url(re.compile(r"/pdsa/\d+/rediger/$"))
    new = PDSACycle.objects.get(team=aarhus)
    assert page.url.endswith(reverse("teams:pdsa_edit", args=[aarhus.pk, new.pk]))
    assert (new.state, new.change_idea, new.inspired_by) == (PDSAState.PLANNED, idea, cycle)
    assert page.get_by_label("Titel").input_value() == TITLE
    axe.check(page)

    axe.assert_clean()
