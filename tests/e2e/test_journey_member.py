"""Journey 2: an invited team member sets a password from the
e-mail, registers a month of data in the browser, uploads a file with one bad row (sees the
row's message; nothing is written), uploads the corrected file, and sees the chart grow."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format

from indicators.models import Measurement
from indicators.services import Entry, measurements_record_many
from people.services import user_invite
from teams.models import TeamMember
from tests import factories as f

pytestmark = pytest.mark.e2e

TEAM = "Hoftebrud Odense-Svendborg"
EMAIL = "sygeplejerske@ouh.example.dk"
NEW_PASSWORD = "Hoftebrud-Odense-2025!"
HEADER = "team;indikator;periode;tæller;nævner;værdi;kommentar"


@pytest.fixture
def invited(hip_fracture, live_server):
    """The team with three months of data, and its new member's invitation in the outbox."""
    world = hip_fracture
    team = f.TeamFactory(
        programme=world.programme,
        region=world.rsd,
        name=TEAM,
        organisations=[world.orgs.ouh, world.orgs.odense, world.orgs.svendborg],
    )
    measurements_record_many(
        entries=[
            Entry(team, indicator, month, numerator=Decimal(n), denominator=Decimal(20))
            for indicator in (world.indicators.surgery, world.indicators.rehab)
            for month, n in zip(world.months[:3], (14, 15, 17), strict=True)
        ],
        by=world.coordinator,
    )
    user_invite(
        by=world.coordinator,
        email=EMAIL,
        first_name="Mette",
        last_name="Skov",
        target=team,
        role=TeamMember.Role.MEMBER,
        site_url=live_server.url + "/",
    )
    return world, team


def test_an_invited_member_registers_a_month_uploads_a_file_and_sees_the_chart_change(
    page, axe, invited
) -> None:
    world, team = invited
    surgery, rehab = world.indicators.surgery, world.indicators.rehab
    (invitation,) = mail.outbox
    link = re.search(r"https?://\S+/brugere/invitation/\S+/", invitation.body).group(0)

    # The invitation: choose a password, and be logged in.
    page.goto(link)
    axe.check(page)
    page.get_by_label("Vælg en adgangskode").fill(NEW_PASSWORD)
    page.get_by_label("Gentag adgangskoden").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Gem adgangskode og log ind").click()
    page.get_by_text("Velkommen til LKT-portalen, Mette!").wait_for()
    axe.check(page)

    # The team's charts before: three months plotted per indicator.
    my_teams = page.get_by_role("region", name="Mine teams")
    my_teams.get_by_role("link", name="Resultater").click()
    axe.check(page)
    assert plotted(page, surgery.name) == (3, 3)

    # A month in the browser: the latest month, offered first.
    latest, upload_month = world.months[-1], world.months[-2]
    page.get_by_role("link", name="Registrér data").first.click()
    page.get_by_role("heading", name=re.compile(f"Data for {TEAM}")).wait_for()
    axe.check(page)
    fill_indicator(page, surgery.name, numerator="18", denominator="20")
    fill_indicator(page, rehab.name, numerator="19", denominator="20")
    page.get_by_role("button", name=re.compile("Gem data for")).click()
    with translation.override("da"):
        month = date_format(latest, "YEAR_MONTH_FORMAT")  # "november 2026"
    page.get_by_text(f"Data for {month} er gemt.").wait_for()
    axe.check(page)
    assert Measurement.objects.filter(team=team, period_start=latest).count() == 2

    page.get_by_role("link", name="Resultater").first.click()
    axe.check(page)
    assert plotted(page, surgery.name) == (4, 4)

    # A file with one bad row: its message, and nothing written.
    before = Measurement.objects.count()
    month = upload_month.strftime("%Y-%m")
    good = f"{TEAM};{surgery.name};{month};16;20;;"
    menu = page.get_by_role("navigation", name="Hovedmenu")
    menu.get_by_role("link", name="Upload data").click()
    upload(page, axe, good, f"{TEAM};{rehab.name};{month};22;20;;")  # 22 of 20 patients
    page.get_by_text("1 række har fejl. Intet kan gemmes.").wait_for()
    errors = page.get_by_role("alert")
    assert errors.get_by_role("link", name="Række 3").is_visible()
    assert errors.get_by_text("Tælleren (22) er større end nævneren (20).").is_visible()
    assert page.get_by_role("button", name=re.compile(r"^Gem \d")).count() == 0
    assert Measurement.objects.count() == before

    # The corrected file: previewed, confirmed, written.
    page.get_by_role("link", name="Upload en rettet fil").click()
    upload(page, axe, good, f"{TEAM};{rehab.name};{month};20;20;;")
    page.get_by_text("Alle 2 rækker kan gemmes. Intet er gemt endnu.").wait_for()
    assert Measurement.objects.count() == before
    page.get_by_role("button", name="Gem 2 rækker").click()
    page.get_by_text("Data er gemt: 2 nye tal og 0 rettelser.").wait_for()
    axe.check(page)
    assert Measurement.objects.count() == before + 2

    # The chart has grown by the uploaded month.
    menu.get_by_role("link", name="Mit arbejde").click()
    page.get_by_role("region", name="Mine teams").get_by_role("link", name="Resultater").click()
    page.get_by_role("heading", name=f"Resultater for {TEAM}").wait_for()
    axe.check(page)
    assert plotted(page, surgery.name) == (5, 5)
    assert plotted(page, rehab.name) == (5, 5)

    axe.assert_clean()


def fill_indicator(page, indicator: str, *, numerator: str, denominator: str) -> None:
    group = page.get_by_role("group", name=re.compile(re.escape(indicator)))
    group.get_by_label("Tæller").fill(numerator)
    group.get_by_label("Nævner").fill(denominator)


def plotted(page, indicator: str) -> tuple[int, int]:
    """The points drawn in the indicator's chart, and the count its screen-reader summary says."""
    section = page.get_by_role("region", name=re.compile(re.escape(indicator)))
    points = section.locator("svg .spc-point").count()
    summary = section.locator("figcaption .visually-hidden").text_content() or ""
    said = re.search(r"(\d+) målinger", summary)
    return points, int(said.group(1)) if said else 0


def upload(page, axe, *rows: str) -> None:
    """On the upload page: a CSV file as Danish Excel writes it, checked by the portal."""
    page.get_by_role("heading", name="Upload data fra en fil").wait_for()
    axe.check(page)
    body = "\r\n".join((HEADER, *rows)).encode("utf-8")
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(
        files=[{"name": "hoftebrud.csv", "mimeType": "text/csv", "buffer": body}]
    )
    page.get_by_role("button", name="Kontrollér filen").click()
    page.get_by_role("heading", name="Kontrollér data, før de gemmes").wait_for()
    axe.check(page)
