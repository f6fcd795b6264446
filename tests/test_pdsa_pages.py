"""The PDSA pages: the team's list (filters, hostile query strings, constant queries), the form
(Plan, Do, Study, Act; the rules in Danish and English; hostile input) and the cycles on the
team's charts with the prediction and the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.months import add_months
from learning.pdsa_services import cycle_create
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus
from teams.models import PDSACycle
from tests.factories import IndicatorFactory, MeasurementFactory

DAY = dt.date(2025, 3, 3)


def list_url(team) -> str:
    return reverse("teams:pdsa_list", args=[team.pk])


def create_url(team) -> str:
    return reverse("teams:pdsa_create", args=[team.pk])


def edit_url(cycle) -> str:
    return reverse("teams:pdsa_edit", args=[cycle.team_id, cycle.pk])


def form_data(**changes) -> dict:
    data = {
        "title": "Opringning efter 48 timer",
        "state": "planned",
        "started_on": "2025-03-03",
        "prediction": "Vi forventer, at fire af fem patienter kan nås.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def idea(cast) -> ChangeIdea:
    return ChangeIdea.objects.create(programme=cast.kol, title="Opringning efter udskrivelse")


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_state_decision_idea_indicators_and_the_ramp(client, cast, idea) -> None:
    share = IndicatorFactory(programme=cast.kol, name="Andel ringet op")
    first = cycle_create(
        team=cast.kol_rm,
        by=None,
        title="Én patient",
        change_idea=idea,
        indicators=[share],
        study="Det virkede",
        state="decided",
        decision="adapt",
        started_on=DAY,
    )
    cycle_create(team=cast.kol_rm, by=None, title="Én vagt", builds_on=first, started_on=DAY)
    client.force_login(cast.member)  # another team of the same programme reads it

    page = client.get(list_url(cast.kol_rm)).text

    assert "Én patient" in page and "Én vagt" in page
    assert "Besluttet" in page and "Tilpas (adapt)" in page and "Planlagt" in page
    assert "Opringning efter udskrivelse" in page and "Andel ringet op" in page
    assert "bygger på cyklus" in page


def test_the_filters_narrow_by_state_idea_and_indicator(client, cast, idea) -> None:
    share = IndicatorFactory(programme=cast.kol)
    cycle_create(team=cast.kol_rm, by=None, title="Alfa", change_idea=idea, started_on=DAY)
    cycle_create(team=cast.kol_rm, by=None, title="Beta", indicators=[share], started_on=DAY)
    cycle_create(team=cast.kol_rm, by=None, title="Gamma", state="running", started_on=DAY)
    client.force_login(cast.local_lead)

    def titles(query: dict) -> set[str]:
        page = client.get(list_url(cast.kol_rm), query).text
        return {t for t in ("Alfa", "Beta", "Gamma") if f">{t}</a>" in page}

    assert titles({}) == {"Alfa", "Beta", "Gamma"}
    assert titles({"tilstand": "running"}) == {"Gamma"}
    assert titles({"ide": idea.pk}) == {"Alfa"}
    assert titles({"indikator": share.pk}) == {"Beta"}
    assert titles({"tilstand": "planned", "indikator": share.pk}) == {"Beta"}


@pytest.mark.parametrize(
    "value", ["9" * 30, "-1", "\x0b<script>", "æøå" * 2_000, "1 OR 1=1", "running\r\nx"]
)
@pytest.mark.parametrize("name", ["tilstand", "ide", "indikator", "page"])
def test_hostile_query_strings_give_a_page_not_an_error(client, cast, name, value) -> None:
    cycle_create(team=cast.kol_rm, by=None, title="Alfa", started_on=DAY)
    client.force_login(cast.local_lead)

    response = client.get(list_url(cast.kol_rm), {name: value})

    assert response.status_code == 200


def test_another_programmes_idea_is_no_filter_here(client, cast) -> None:
    other = ChangeIdea.objects.create(programme=cast.adhd, title="ADHD-idé")
    cycle_create(
        team=cast.adhd_rsd, by=None, title="ADHD-cyklus", change_idea=other, started_on=DAY
    )
    client.force_login(cast.local_lead)

    page = client.get(list_url(cast.kol_rm), {"ide": other.pk}).text

    assert "ADHD-idé" not in page and "ADHD-cyklus" not in page


def test_the_list_queries_do_not_grow_with_the_cycles(
    client, cast, idea, django_assert_max_num_queries
) -> None:
    share = IndicatorFactory(programme=cast.kol)

    def add(n: int, earlier=None) -> PDSACycle:
        return cycle_create(
            team=cast.kol_rm,
            by=None,
            title=f"Cyklus {n}",
            change_idea=idea,
            indicators=[share],
            builds_on=earlier,
            started_on=DAY,
        )

    add(0, add(1))
    client.force_login(cast.member)
    with CaptureQueriesContext(connection) as small:
        assert client.get(list_url(cast.kol_rm)).status_code == 200
    earlier = None
    for n in range(2, 22):
        earlier = add(n, earlier)
    (inspired := add(99)).inspired_by = cycle_create(
        team=cast.kol_rsd, by=None, title="Andet team", started_on=DAY
    )
    inspired.save()

    with django_assert_max_num_queries(len(small)):
        page = client.get(list_url(cast.kol_rm)).text
    assert "Cyklus 21" in page


# --- The form --------------------------------------------------------------------------------


def test_a_team_member_creates_a_cycle_with_idea_and_indicators(client, cast, idea) -> None:
    share, rate = IndicatorFactory(programme=cast.kol), IndicatorFactory(programme=cast.kol)
    client.force_login(cast.local_lead)

    response = client.post(
        create_url(cast.kol_rm),
        form_data(change_idea=idea.pk, indicators=[share.pk, rate.pk], who="Sygeplejerske"),
    )

    cycle = PDSACycle.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("teams:pdsa_detail", args=[cast.kol_rm.pk, cycle.pk])
    assert (cycle.team, cycle.change_idea, cycle.who) == (cast.kol_rm, idea, "Sygeplejerske")
    assert set(cycle.indicators.all()) == {share, rate}
    assert cycle.history.get().history_user == cast.local_lead


def test_the_form_offers_only_the_programmes_indicators_and_ideas(client, cast, idea) -> None:
    foreign = IndicatorFactory(programme=cast.adhd, name="ADHD-indikator")
    foreign_idea = ChangeIdea.objects.create(programme=cast.adhd, title="ADHD-idé")
    client.force_login(cast.local_lead)

    page = client.get(create_url(cast.kol_rm)).text
    response = client.post(
        create_url(cast.kol_rm), form_data(indicators=[foreign.pk], change_idea=foreign_idea.pk)
    )

    assert "ADHD-indikator" not in page and "ADHD-idé" not in page
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"indicators", "change_idea"}
    assert not PDSACycle.objects.exists()


def test_a_ramp_builds_only_on_the_teams_own_cycles(client, cast) -> None:
    theirs = cycle_create(team=cast.kol_rsd, by=None, title="Andet team", started_on=DAY)
    client.force_login(cast.local_lead)

    response = client.post(create_url(cast.kol_rm), form_data(builds_on=theirs.pk))

    assert "builds_on" in response.context["form"].errors
    assert not PDSACycle.objects.filter(team=cast.kol_rm).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("da", "Beslut først, når cyklussen er studeret"),
        ("en", "Decide only once the cycle has been studied"),
    ],
)
def test_a_decision_before_the_study_is_refused_in_the_chosen_language(
    client, cast, language, message
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(cast.local_lead)

    response = client.post(create_url(cast.kol_rm), form_data(state="decided", decision="adopt"))

    assert response.status_code == 200
    assert message in response.text
    assert not PDSACycle.objects.exists()


def test_the_whole_cycle_in_the_browser(client, cast, idea) -> None:
    client.force_login(cast.local_lead)
    client.post(create_url(cast.kol_rm), form_data(change_idea=idea.pk))
    cycle = PDSACycle.objects.get()

    studied = client.post(
        edit_url(cycle),
        form_data(change_idea=idea.pk, state="studied", do="Ringede", study="Fire af fem nået"),
    )
    undecided = client.post(
        edit_url(cycle), form_data(change_idea=idea.pk, state="decided", study="Fire af fem nået")
    )
    decided = client.post(
        edit_url(cycle),
        form_data(
            change_idea=idea.pk,
            state="decided",
            do="Ringede",
            study="Fire af fem nået",
            decision="adopt",
            act="Indføres på hele afsnittet",
        ),
    )

    cycle.refresh_from_db()
    assert (studied.status_code, undecided.status_code, decided.status_code) == (302, 200, 302)
    assert "Vælg en beslutning" in undecided.text
    assert (cycle.state, cycle.decision, cycle.do) == ("decided", "adopt", "Ringede")
    detail = client.get(reverse("teams:pdsa_detail", args=[cast.kol_rm.pk, cycle.pk])).text
    assert "Indføres på hele afsnittet" in detail and "Indfør (adopt)" in detail


def test_the_teams_own_idea_is_proposed_to_the_change_package(client, cast) -> None:
    client.force_login(cast.local_lead)

    client.post(create_url(cast.kol_rm), form_data(own_idea="Pjece om åndenød", propose_idea="on"))

    idea = ChangeIdea.objects.get()
    assert (idea.title, idea.status, idea.proposed_by_team) == (
        "Pjece om åndenød",
        ChangeIdeaStatus.PROPOSED,
        cast.kol_rm,
    )
    assert PDSACycle.objects.get().change_idea == idea


def test_an_idea_from_the_package_and_an_own_idea_at_once_are_refused(client, cast, idea) -> None:
    client.force_login(cast.local_lead)

    response = client.post(
        create_url(cast.kol_rm), form_data(change_idea=idea.pk, own_idea="Også min egen")
    )
    proposing_nothing = client.post(create_url(cast.kol_rm), form_data(propose_idea="on"))

    assert "own_idea" in response.context["form"].errors
    assert "propose_idea" in proposing_nothing.context["form"].errors
    assert not PDSACycle.objects.exists()


HOSTILE = {
    "control characters": "Cyklus\x0b\x07\x1b[31m",
    "CR/LF": "Cyklus\r\nBcc: alle@example.dk",
    "NUL": "navn\x00null",
    "huge text": "æ" * 20_000,
    "huge number": "9" * 30,
    "negative number": "-12",
    "impossible date": "2025-02-30",
    "far date": "0001-01-01",
}
FIELDS = [
    "title", "state", "change_idea", "own_idea", "indicators", "prediction", "who", "where",
    "started_on", "ended_on", "plan", "do", "observations", "study", "act", "decision",
    "builds_on", "propose_idea",
]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_in_any_field_is_refused_or_cleaned_never_an_error(
    client, cast, field, value
) -> None:
    client.force_login(cast.local_lead)

    response = client.post(create_url(cast.kol_rm), form_data(**{field: value}))

    assert response.status_code in (200, 302)
    for cycle in PDSACycle.objects.all():  # what was kept holds the model's rules
        cycle.full_clean()
        assert "\x00" not in cycle.title + cycle.study + cycle.plan
        assert len(cycle.study) <= 4000 and len(cycle.title) <= 200


def test_the_same_form_posted_twice_gives_no_error(client, cast) -> None:
    client.force_login(cast.local_lead)
    cycle = cycle_create(team=cast.kol_rm, by=None, title="Alfa", started_on=DAY)

    answers = [client.post(edit_url(cycle), form_data(title="Beta")).status_code for _ in "12"]
    answers += [client.post(create_url(cast.kol_rm), form_data()).status_code for _ in "12"]

    assert answers == [302, 302, 302, 302]
    assert PDSACycle.objects.filter(title="Beta").count() == 1


def test_a_member_of_another_team_may_read_but_not_write(client, cast) -> None:
    cycle = cycle_create(team=cast.kol_rm, by=None, title="Alfa", started_on=DAY)
    client.force_login(cast.member)

    detail = client.get(reverse("teams:pdsa_detail", args=[cast.kol_rm.pk, cycle.pk]))
    edit = client.post(edit_url(cycle), form_data(title="Overtaget"))

    assert detail.status_code == 200
    assert reverse("teams:pdsa_edit", args=[cast.kol_rm.pk, cycle.pk]) not in detail.text
    assert edit.status_code == 403
    cycle.refresh_from_db()
    assert cycle.title == "Alfa"


def test_a_cycle_is_not_reached_through_another_team(client, cast) -> None:
    cycle = cycle_create(team=cast.kol_rsd, by=None, title="Alfa", started_on=DAY)
    client.force_login(cast.local_lead)

    response = client.get(reverse("teams:pdsa_detail", args=[cast.kol_rm.pk, cycle.pk]))

    assert response.status_code == 404


def test_the_team_page_shows_the_newest_five_cycles_and_links_to_all(client, cast) -> None:
    cycles = [
        cycle_create(
            team=cast.kol_rm, by=None, title=f"Cyklus {n}", started_on=DAY + dt.timedelta(n)
        )
        for n in range(7)
    ]
    client.force_login(cast.local_lead)

    page = client.get(reverse("teams:detail", args=[cast.kol_rm.pk])).text

    assert list_url(cast.kol_rm) in page and create_url(cast.kol_rm) in page
    shown = [c for c in cycles if reverse("teams:pdsa_detail", args=[c.team_id, c.pk]) in page]
    assert shown == cycles[2:]


# --- The charts ------------------------------------------------------------------------------


@pytest.mark.clock
@pytest.mark.parametrize(
    ("language", "prediction", "decision", "notes"),
    [
        ("da", "Forudsigelse:", "Beslutning: Indfør (adopt)", "Markeringer:"),
        ("en", "Prediction:", "Decision: Adopt", "Notes:"),
    ],
)
def test_a_cycle_on_the_chart_shows_its_prediction_and_decision(
    client, cast, clock, language, prediction, decision, notes
) -> None:
    cast.kol.start_date = add_months(clock.month(-1), -8)
    cast.kol.end_date = add_months(clock.month(-1), 12)
    cast.kol.save()
    share = IndicatorFactory(programme=cast.kol, name="Andel ringet op")
    for i in range(8):
        MeasurementFactory(
            team=cast.kol_rm,
            indicator=share,
            period_start=add_months(cast.kol.start_date, i),
            numerator=5 + i,
            denominator=15,
        )
    cycle_create(
        team=cast.kol_rm,
        by=None,
        title="Tjekliste",
        indicators=[share],
        prediction="Vi forventer, at flere bliver ringet op.",
        study="Flere blev ringet op",
        state="decided",
        decision="adopt",
        started_on=add_months(cast.kol.start_date, 4),
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(cast.member)

    page = client.get(reverse("indicators:team_results", args=[cast.kol_rm.pk])).text

    title = page[page.index('<g class="spc-annotation"><title>') :]
    title = title[: title.index("</title>")]
    desc = page[page.index("-desc") :]
    desc = desc[: desc.index("</desc>")]
    for text in (title, desc):
        assert "PDSA: Tjekliste" in text
        assert f"{prediction} Vi forventer, at flere bliver ringet op." in text
        assert decision in text
        assert ".." not in text
    assert notes in desc
