"""Journey 4: each role starts on its home page and follows one item of its to-do list.

The team member follows "missing month", registers it, and the item is gone; the coordinator
follows "invitation not accepted" to the user list, the person accepts, and the item is gone; the
national lead follows a late team to the programme's status page, then decides the proposal
waiting for them, and that item is gone; the local project lead follows the missing monthly
report, gives it, and the item is gone; the expert group member follows "teams not yet rated",
rates one team with a reason, and that team is no longer named; the steering group member goes
from the overview on the home page to an LKT's status page.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from indicators.definitions import proposal_add
from indicators.models import IndicatorProposal, Measurement
from indicators.services import Entry, measurements_record_many
from people.services import user_invite
from teams.models import ImprovementTeam, ProgressScore, Rater, TeamMember
from tests import factories as f
from tests.e2e.conftest import PASSWORD, log_in
from tests.e2e.test_journey_member import fill_indicator

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(hip_fracture):
    """Kolding-Vejle active, with data for every month but the last; a member and a lead."""
    world = hip_fracture
    team = world.kolding_vejle
    ImprovementTeam.objects.filter(pk=team.pk).update(status=ImprovementTeam.Status.ACTIVE)
    measurements_record_many(
        entries=[
            Entry(team, indicator, month, numerator=Decimal(15), denominator=Decimal(20))
            for indicator in (world.indicators.surgery, world.indicators.rehab)
            for month in world.months[:-1]
        ],
        by=world.coordinator,
    )
    world.member = f.TeamMemberFactory(
        team=team, user__email="fysioterapeut@kolding.example.dk", user__first_name="Lone",
        user__password=PASSWORD,
    ).user  # fmt: skip
    world.lead = f.ProgrammeLeadFactory(
        programme=world.programme, user__email="projektleder@rsyd.example.dk",
        user__first_name="Jens", user__password=PASSWORD,
    ).user  # fmt: skip
    return world


def todo_section(page, title: str):
    return page.get_by_role("region", name=title)


def test_a_team_member_registers_the_missing_month_from_the_home_page(page, axe, world) -> None:
    last = world.months[-1]
    enter = reverse("indicators:enter_month", args=[world.kolding_vejle.pk, f"{last:%Y-%m}"])
    log_in(page, world.member.email)
    axe.check(page)
    section = todo_section(page, "Dit forbedringsteam")
    item = section.locator(f'a[href="{enter}"]')
    assert "Hoftebrud Kolding-Vejle" in item.inner_text()
    item.click()
    page.get_by_role("heading", name=re.compile("Data for Hoftebrud Kolding-Vejle")).wait_for()
    axe.check(page)
    fill_indicator(page, world.indicators.surgery.name, numerator="18", denominator="20")
    fill_indicator(page, world.indicators.rehab.name, numerator="19", denominator="20")
    page.get_by_role("button", name=re.compile("Gem data for")).click()
    page.get_by_text("er gemt.").wait_for()
    assert Measurement.objects.filter(team=world.kolding_vejle, period_start=last).count() == 2
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mit arbejde").click()
    section = todo_section(page, "Dit forbedringsteam")
    section.wait_for()
    assert section.locator(f'a[href="{enter}"]').count() == 0
    axe.check(page)
    axe.assert_clean()


def test_a_coordinator_follows_an_invitation_until_it_is_accepted(
    page, axe, world, live_server, browser
) -> None:
    user_invite(
        by=world.coordinator, email="ny@kolding.example.dk", first_name="Nanna",
        last_name="Berg", target=world.kolding_vejle, role=TeamMember.Role.MEMBER,
        site_url=live_server.url + "/",
    )  # fmt: skip
    log_in(page, world.coordinator.email)
    axe.check(page)
    section = todo_section(page, "Regional tovholder")
    section.get_by_role("link", name="1 invitation er ikke accepteret endnu.").click()
    page.get_by_text("Nanna Berg").first.wait_for()
    axe.check(page)

    # The person accepts in their own browser.
    link = re.search(r"https?://\S+/brugere/invitation/\S+/", mail.outbox[-1].body).group(0)
    other = browser.new_context(base_url=live_server.url, locale="da-DK")
    invited = other.new_page()
    invited.goto(link)
    invited.get_by_label("Vælg en adgangskode").fill("Kolding-Hoftebrud-2026!")
    invited.get_by_label("Gentag adgangskoden").fill("Kolding-Hoftebrud-2026!")
    invited.get_by_role("button", name="Gem adgangskode og log ind").click()
    invited.wait_for_url(lambda url: "/invitation/" not in url)
    other.close()

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mit arbejde").click()
    todo_section(page, "Regional tovholder").wait_for()
    assert page.get_by_text("invitation er ikke accepteret").count() == 0
    axe.assert_clean()


@pytest.mark.clock
def test_a_national_lead_follows_a_late_team_and_decides_the_waiting_proposal(
    page, axe, world, clock
) -> None:
    today = clock.today()
    clock.move_to(dt.datetime(today.year, today.month, 20, 10, 0))  # last month's deadline passed
    expert = f.ExpertMemberFactory(group__programme=world.programme).user
    proposal = proposal_add(
        indicator=world.indicators.surgery, reason="Den nationale kliniske retningslinje",
        by=expert, target=Decimal(95),
    )  # fmt: skip
    log_in(page, world.lead.email)
    axe.check(page)
    section = todo_section(page, "National projektledelse")
    item = section.get_by_role("link", name=re.compile("Hoftebrud Kolding-Vejle"))
    assert "mangler data" in item.first.inner_text()
    item.first.click()
    page.wait_for_url(re.compile(reverse("status:programme", args=[world.programme.pk])))
    page.get_by_role("heading", name=re.compile("Sammenhængende Hoftebrudsforløb")).first.wait_for()
    axe.check(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mit arbejde").click()
    section = todo_section(page, "National projektledelse")
    waiting = re.compile("ændringsforslag til indikatorerne venter på din beslutning")
    item = section.get_by_role("link", name=waiting)
    assert "Sammenhængende Hoftebrudsforløb: 1 ændringsforslag" in item.inner_text()
    item.click()
    page.get_by_role("heading", name="Ændringsforslag til indikatorerne").wait_for()
    axe.check(page)
    page.get_by_label("Bemærkning (valgfri)").fill("Vi venter på den reviderede retningslinje.")
    page.get_by_role("button", name="Afvis").click()
    page.get_by_text("Forslaget er afvist. Indikatoren er uændret.").wait_for()
    proposal.refresh_from_db()
    assert proposal.status == IndicatorProposal.Status.DECLINED
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mit arbejde").click()
    section = todo_section(page, "National projektledelse")
    section.wait_for()
    assert section.get_by_text(waiting).count() == 0
    assert section.get_by_role("link", name=re.compile("Hoftebrud Kolding-Vejle")).count() >= 1
    axe.check(page)
    axe.assert_clean()


@pytest.mark.clock
def test_a_local_lead_gives_the_missing_monthly_report_from_the_home_page(
    page, axe, world, clock
) -> None:
    today = clock.today()
    clock.move_to(dt.datetime(today.year, today.month, 20, 10, 0))  # last month's report owed
    last = clock.month(-1)
    lead = f.TeamMemberFactory(
        team=world.kolding_vejle, role=TeamMember.Role.LOCAL_LEAD,
        user__email="sygeplejerske@kolding.example.dk", user__password=PASSWORD,
    ).user  # fmt: skip
    log_in(page, lead.email)
    axe.check(page)
    section = todo_section(page, "Dit forbedringsteam")
    item = section.get_by_role("link", name=re.compile("Månedsrapport for .* mangler"))
    assert "Hoftebrud Kolding-Vejle" in item.inner_text()
    item.click()
    page.locator("#id_own-score").wait_for()
    axe.check(page)
    assert page.locator("#id_own-month").input_value() == last.isoformat()
    page.locator("#id_own-score").select_option("2.0")
    page.locator("#id_own-comment").fill("Teamet er i gang med de første test.")
    page.get_by_role("button", name="Gem teamets vurdering").click()
    page.get_by_text("er gemt.").first.wait_for()
    page.locator("#id_note-month").select_option(last.isoformat())
    page.locator("#id_note-tried").fill("Tjekliste ved indlæggelse.")
    page.locator("#id_note-learned").fill("Den tager to minutter.")
    page.locator("#id_note-next_steps").fill("Alle vagter i næste måned.")
    page.get_by_role("button", name="Gem noten").click()
    page.get_by_text("Månedsnoten er gemt.").wait_for()
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mit arbejde").click()
    todo_section(page, "Dit forbedringsteam").wait_for()
    assert page.get_by_text(re.compile("Månedsrapport for .* mangler")).count() == 0
    axe.check(page)
    axe.assert_clean()


@pytest.mark.clock
def test_an_expert_rates_a_team_not_yet_rated_from_the_home_page(page, axe, world, clock) -> None:
    today = clock.today()
    clock.move_to(dt.datetime(today.year, today.month, 20, 10, 0))  # last month's rating owed
    last = clock.month(-1)
    odense = f.TeamFactory(
        programme=world.programme, region=world.rsd, name="Hoftebrud Odense",
        status=ImprovementTeam.Status.ACTIVE,
    )  # fmt: skip
    expert = f.ExpertMemberFactory(
        group__programme=world.programme, user__email="ekspert@example.dk",
        user__first_name="Erik", user__password=PASSWORD,
    ).user  # fmt: skip
    unrated = re.compile("mangler ekspertgruppens vurdering")
    log_in(page, expert.email)
    axe.check(page)
    section = todo_section(page, "Ekspertgruppe")
    item = section.get_by_role("link", name=unrated)
    text = item.inner_text()
    assert "2 teams" in text
    assert "Hoftebrud Kolding-Vejle" in text
    assert odense.name in text
    item.click()
    page.wait_for_url(re.compile(rf"maaned={last:%Y-%m}"))
    heading = "Månedsrapporter for Sammenhængende Hoftebrudsforløb"
    page.get_by_role("heading", name=heading).wait_for()
    axe.check(page)
    teams = page.get_by_role("region", name="Teams")
    teams.get_by_role("link", name="Hoftebrud Kolding-Vejle").click()
    page.locator("#id_expert-score").wait_for()
    axe.check(page)
    assert page.locator("#id_expert-month").input_value() == last.isoformat()
    page.locator("#id_expert-score").select_option("2.5")
    page.locator("#id_expert-comment").fill("Tjeklisten er afprøvet, men data viser ingen effekt.")
    page.get_by_role("button", name="Gem ekspertgruppens vurdering").click()
    page.get_by_text("er gemt.").first.wait_for()
    score = ProgressScore.objects.get(team=world.kolding_vejle, month=last, rater=Rater.EXPERT)
    assert (score.score, score.set_by) == (Decimal("2.5"), expert)
    assert score.comment == "Tjeklisten er afprøvet, men data viser ingen effekt."

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mit arbejde").click()
    section = todo_section(page, "Ekspertgruppe")
    item = section.get_by_role("link", name=unrated)
    text = item.inner_text()
    assert "1 team mangler" in text
    assert odense.name in text
    assert "Kolding-Vejle" not in text
    axe.check(page)
    axe.assert_clean()


def test_the_steering_group_goes_from_the_overview_to_an_lkt(page, axe, world) -> None:
    log_in(page, world.steering.email)
    overview = page.get_by_role("region", name="Nationalt overblik: igangværende LKT'er")
    overview.wait_for()
    axe.check(page)
    assert page.get_by_text("Du er ikke tilknyttet et program endnu").count() == 0
    overview.get_by_role("link", name="Sammenhængende Hoftebrudsforløb").click()
    page.wait_for_url(re.compile(reverse("status:programme", args=[world.programme.pk])))
    axe.check(page)
    axe.assert_clean()
