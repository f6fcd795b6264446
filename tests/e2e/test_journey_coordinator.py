"""Journey 1: a regional coordinator of the lead region builds a cross-sector team, invites a
member to it, plans a seminar for the programme and invites the team."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from seminars.models import Seminar, SeminarInvitation
from teams.models import ImprovementTeam, TeamMember
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

TEAM = "Hoftebrud Odense-Svendborg"


def test_a_coordinator_builds_a_team_invites_a_member_and_plans_a_seminar(
    page, axe, hip_fracture, clock
) -> None:
    world = hip_fracture
    log_in(page, world.coordinator.email)
    axe.check(page)

    # The programme, from the main menu.
    nav = page.get_by_role("navigation", name="Hovedmenu")
    nav.get_by_role("link", name="Programmer").click()
    axe.check(page)
    page.get_by_role("link", name=world.programme.name).click()
    page.get_by_role("heading", name=world.programme.name, level=1).wait_for()
    axe.check(page)

    # A cross-sector team: a hospital and two municipalities of Region Syddanmark.
    page.get_by_role("link", name="Nyt team").click()
    page.get_by_role("heading", name=re.compile("Nyt team")).wait_for()
    axe.check(page)
    page.get_by_label("Teamets navn").fill(TEAM)
    for organisation in ("Odense Universitetshospital", "Odense Kommune", "Svendborg Kommune"):
        page.get_by_role("checkbox", name=organisation).check()
    # Another region's organisations are not offered.
    assert page.get_by_role("checkbox", name="Aarhus Kommune").count() == 0
    page.get_by_role("button", name="Gem team").click()
    page.get_by_text(f"Teamet “{TEAM}” er oprettet.").wait_for()
    axe.check(page)
    team = ImprovementTeam.objects.get(programme=world.programme, name=TEAM)
    assert team.region == world.rsd
    assert {o.name for o in team.organisations.all()} == {
        "Odense Universitetshospital",
        "Odense Kommune",
        "Svendborg Kommune",
    }

    # A member for the team, invited by e-mail.
    nav.get_by_role("link", name="Brugere").click()
    axe.check(page)
    page.get_by_role("link", name="Invitér en person").click()
    axe.check(page)
    page.get_by_label("E-mailadresse").fill("sygeplejerske@ouh.example.dk")
    page.get_by_label("Fornavn").fill("Mette")
    page.get_by_label("Efternavn").fill("Skov")
    page.get_by_label("Team eller ekspertgruppe").select_option(
        label=f"{world.programme.name} – {TEAM} (Region Syddanmark)"
    )
    page.get_by_label("Rolle").select_option(label="Teammedlem")
    page.get_by_role("button", name="Invitér").click()
    page.get_by_text("Invitationen er sendt til sygeplejerske@ouh.example.dk").wait_for()
    axe.check(page)
    assert TeamMember.objects.filter(team=team, user__email="sygeplejerske@ouh.example.dk").exists()
    (invitation_mail,) = mail.outbox
    assert invitation_mail.to == ["sygeplejerske@ouh.example.dk"]
    assert re.search(r"/brugere/invitation/[^/\s]+/", invitation_mail.body)

    # A seminar for the programme, planned from the programme's page.
    page.goto(f"/programmer/{world.programme.pk}/")
    page.get_by_role("link", name="Planlæg seminar").click()
    axe.check(page)
    page.get_by_label("Type").select_option(label="Læringsseminar")
    page.get_by_label("Nummer").fill("1")
    in_two_months = clock.today() + dt.timedelta(days=60)
    page.get_by_label(re.compile(r"^\s*Dato\b")).fill(in_two_months.isoformat())
    page.get_by_label("Starttidspunkt").fill("09:30")
    page.get_by_label("Sluttidspunkt").fill("16:00")
    page.get_by_label("Sted").fill("Comwell Kolding")
    page.get_by_role("button", name="Gem seminar").click()
    page.get_by_text("er planlagt.").wait_for()
    axe.check(page)
    seminar = Seminar.objects.get(programme=world.programme)

    # … and the new team invited to it.
    page.get_by_text("Invitér teams").click()
    page.get_by_role("checkbox", name=re.compile(TEAM)).check()
    page.get_by_role("button", name="Gem invitationer").click()
    page.get_by_text("Invitationerne er gemt: 1 inviteret").wait_for()
    axe.check(page)
    invited = page.locator("#invited")
    assert invited.get_by_role("link", name=TEAM).is_visible()
    assert list(
        SeminarInvitation.objects.filter(seminar=seminar).values_list("team", flat=True)
    ) == [team.pk]

    axe.assert_clean()
