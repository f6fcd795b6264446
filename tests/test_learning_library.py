"""The learning library: per change idea who tested it and what they decided, the indicators'
verdicts in adopting and other teams, the feed and its search, the handout PDF, and
"det vil vi også prøve"."""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from core.months import add_months
from indicators.models import Measurement
from programmes.models import ChangeIdea
from teams.models import PDSACycle, PDSADecision, PDSAState
from tests import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "a\r\nb",
    "x" * 20_000,
    "lunge & !rehab | :* ( ' \" %_\\",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u202e\ufeff",
    "-1",
]


# Session, user and roles (7), ideas and their indicators, teams, cycle counts, the verdicts
# (one query, three when computed on the fly), the latest cycles, the person's teams, and the
# permission lookups of the menu.
QUERIES = 20


def cycle(team, idea=None, *, decision="", title="Henvisning ved udskrivelse", **fields):
    """A cycle of `team`: decided when a decision is given, else studied."""
    state = PDSAState.DECIDED if decision else fields.pop("state", PDSAState.STUDIED)
    return PDSACycle.objects.create(
        team=team,
        change_idea=idea,
        title=title,
        state=state,
        decision=decision,
        prediction=fields.pop("prediction", "Vi forventer, at 8 af 10 patienter bliver henvist."),
        study=fields.pop("study", "9 af 10 blev henvist; to skulle have hjælp til transport."),
        started_on=fields.pop("started_on", add_months(team.programme.start_date, 1)),
        **fields,
    )


@pytest.fixture
def world(cast, clock):
    """KOL from a year ago with an idea linked to an indicator and the cast's two teams."""
    cast.kol.start_date = clock.month(-14)
    cast.kol.end_date = clock.month(12)
    cast.kol.save()
    indicator = f.IndicatorFactory(programme=cast.kol, name="Henvist til rehabilitering")
    idea = ChangeIdea.objects.create(programme=cast.kol, title="Henvisning ved udskrivelse")
    idea.indicators.add(indicator)
    return cast, idea, indicator


def page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"programmes:{name}", args=args), params)


@pytest.mark.clock
def test_it_shows_per_idea_which_teams_tested_it_their_cycles_and_decisions(client, world):
    cast, idea, _ = world
    cycle(cast.kol_rm, idea, decision=PDSADecision.ADAPT)
    cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT)
    cycle(cast.kol_rsd, idea, decision=PDSADecision.ABANDON)
    cycle(cast.kol_rsd, idea, state=PDSAState.PLANNED, study="", prediction="")
    cycle(cast.adhd_rsd, None, decision=PDSADecision.ADOPT)  # another LKT: not counted

    response = page(client, cast.expert, "learning", cast.kol.pk)

    text = re.sub(r"\s+", " ", response.content.decode())
    assert "Afprøvet af 2 teams i 4 cyklusser" in text
    assert "Indfør (adopt): 1" in text and "Tilpas (adapt): 1" in text
    assert "Opgiv (abandon): 1" in text
    assert "Lungemedicin AUH" in text and "Lungemedicin OUH" in text
    assert "BUP Odense" not in text
    assert "Den siger ikke, at idéen er årsag til forskellen" in text


@pytest.mark.clock
def test_it_compares_the_verdicts_in_teams_that_adopted_the_idea_with_the_others(
    client, world, clock
):
    cast, idea, indicator = world
    cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT)
    # The adopting team: a year of steady values, then one far above (higher is better).
    months = [clock.month(-n) for n in range(13, 0, -1)]
    values = [50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 52, 99]
    for month, value in zip(months, values, strict=True):
        Measurement.objects.create(
            team=cast.kol_rm,
            indicator=indicator,
            period_start=month,
            numerator=Decimal(value),
            denominator=Decimal(100),
        )
    # The other team (Lungemedicin OUH) has no data: too few to judge.

    response = page(client, cast.member, "learning", cast.kol.pk)

    text = re.sub(r"\s+", " ", response.content.decode())
    assert re.search(r"Team, der har indført idéen \(1\): <span[^>]*>Forbedring: 1<", text)
    assert re.search(r"Øvrigt team \(1\): <span[^>]*>For få data[^<]*: 1<", text)


@pytest.mark.clock
def test_the_library_takes_the_same_queries_however_many_ideas_cycles_and_teams(
    client, world, django_assert_max_num_queries
):
    cast, idea, indicator = world

    def grow(n: int) -> None:
        for i in range(n):
            team = f.TeamFactory(programme=cast.kol, region=cast.regions["rm"])
            new = ChangeIdea.objects.create(programme=cast.kol, title=f"Idé {team.pk}")
            new.indicators.add(indicator, f.IndicatorFactory(programme=cast.kol))
            cycle(team, new, decision=PDSADecision.ADOPT)
            cycle(team, idea, title=f"Cyklus {i}")

    grow(2)
    client.force_login(cast.local_lead)
    client.get(reverse("programmes:learning", args=[cast.kol.pk]))  # sessions, caches
    for url in ("learning", "learning_feed"):
        with django_assert_max_num_queries(QUERIES):
            assert client.get(reverse(f"programmes:{url}", args=[cast.kol.pk])).status_code == 200
    grow(12)
    for url in ("learning", "learning_feed"):
        with django_assert_max_num_queries(QUERIES):
            response = client.get(reverse(f"programmes:{url}", args=[cast.kol.pk]))
            assert response.status_code == 200
    assert "Idé" in response.content.decode()


@pytest.mark.clock
def test_the_feed_finds_cycles_by_the_words_of_their_study_and_filters_by_idea(client, world):
    cast, idea, _ = world
    other = ChangeIdea.objects.create(programme=cast.kol, title="Skriftlig handleplan")
    cycle(cast.kol_rm, idea, study="Transporten var den store hindring.", title="Første forsøg")
    cycle(cast.kol_rsd, other, title="Handleplan på stuegang", study="Patienterne tog planen med.")
    cycle(cast.kol_rsd, other, state=PDSAState.PLANNED, study="", title="Endnu ikke studeret")

    found = page(client, cast.member, "learning_feed", cast.kol.pk, q="transporten")
    by_idea = page(client, cast.member, "learning_feed", cast.kol.pk, idea=other.pk)
    everything = page(client, cast.member, "learning_feed", cast.kol.pk)

    assert "Første forsøg" in found.content.decode()
    assert "Handleplan på stuegang" not in found.content.decode()
    assert "Handleplan på stuegang" in by_idea.content.decode()
    assert "Første forsøg" not in by_idea.content.decode()
    assert "Endnu ikke studeret" not in everything.content.decode()
    assert "Første forsøg" in everything.content.decode()


@pytest.mark.clock
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_query_string_is_no_server_error(client, world, hostile):
    cast, idea, _ = world
    cycle(cast.kol_rm, idea)
    expected = 400 if "\x00" in hostile else 200  # the portal refuses a NUL anywhere (400)
    for params in ({"q": hostile}, {"idea": hostile}, {"page": hostile, "q": hostile[:50]}):
        for name in ("learning_feed", "learning"):
            response = page(client, cast.member, name, cast.kol.pk, **params)
            assert response.status_code == expected
    assert page(client, cast.member, "learning_feed", cast.kol.pk, idea=2**70).status_code == 200


def _decompressed(pdf: bytes) -> bytes:
    texts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            texts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(texts)


@pytest.mark.clock
def test_the_handout_is_a_pdf_with_danish_letters_and_long_texts(client, world):
    cast, idea, _ = world
    long_study = "Første uge på afdelingen: sygeplejerskerne øvede inhalationsteknik. " * 250
    for n in range(12):
        cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT, study=long_study, title=f"Uge {n}")
    cycle(cast.kol_rsd, idea, title="Ålborg-forsøget: " + "æøå ÆØÅ " * 10 + "x" * 100)

    response = page(client, cast.member, "learning_pdf", cast.kol.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="laering-kol-' in response["Content-Disposition"]
    content = _decompressed(response.content)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", content))
    assert pages >= 2  # the long studies run over several pages
    # The text maps back to æ, ø, å, Æ, Ø, Å (the fonts' ToUnicode tables), so it can be read,
    # searched and copied.
    for letter in "æøåÆØÅ":
        assert f"{ord(letter):04X}".encode() in content.upper()


@pytest.mark.clock
def test_the_pages_are_in_english_when_chosen(client, world):
    cast, idea, _ = world
    cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT)
    client.force_login(cast.member)
    client.cookies["django_language"] = "en"
    library = client.get(reverse("programmes:learning", args=[cast.kol.pk]))
    feed = client.get(reverse("programmes:learning_feed", args=[cast.kol.pk]))
    assert "Learning library" in library.content.decode()
    assert "does not say" in library.content.decode()
    assert "What other teams have learned" in feed.content.decode()


# --- "Det vil vi også prøve" --------------------------------------------------------------------


def try_cycle(client, user, source, **data):
    client.force_login(user)
    url = reverse("programmes:learning_try_cycle", args=[source.team.programme_id, source.pk])
    return client.post(url, data)


@pytest.mark.clock
def test_a_member_tries_another_teams_cycle_and_lands_on_the_new_cycles_edit_page(
    client, world, clock
):
    cast, idea, _ = world
    source = cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT)

    response = try_cycle(client, cast.member, source, team=cast.kol_rsd.pk)

    new = PDSACycle.objects.get(team=cast.kol_rsd)
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:pdsa_edit", args=[cast.kol_rsd.pk, new.pk])
    assert new.state == PDSAState.PLANNED
    assert new.change_idea == idea
    assert new.inspired_by == source
    assert new.created_by == cast.member
    assert new.started_on == clock.today()
    assert new.decision == "" and new.study == ""


@pytest.mark.clock
def test_posting_the_same_try_twice_gives_one_planned_cycle(client, world):
    cast, idea, _ = world
    source = cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT)

    first = try_cycle(client, cast.member, source, team=cast.kol_rsd.pk)
    second = try_cycle(client, cast.member, source, team=cast.kol_rsd.pk)

    assert PDSACycle.objects.filter(team=cast.kol_rsd).count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.clock
def test_a_person_on_two_teams_chooses_which_team_tries_the_idea(client, world):
    cast, idea, _ = world
    f.TeamMemberFactory(team=cast.kol_rm, user=cast.member)
    client.force_login(cast.member)

    library = client.get(reverse("programmes:learning", args=[cast.kol.pk])).content.decode()
    response = client.post(
        reverse("programmes:learning_try_idea", args=[cast.kol.pk, idea.pk]),
        {"team": cast.kol_rm.pk},
    )

    assert '<select class="form-select form-select-sm w-auto" name="team"' in library
    new = PDSACycle.objects.get()
    assert new.team == cast.kol_rm and new.change_idea == idea and new.inspired_by is None
    assert response["Location"] == reverse("teams:pdsa_edit", args=[cast.kol_rm.pk, new.pk])


@pytest.mark.clock
@pytest.mark.parametrize("team", ["adhd_rsd", "kol_rm", None])
def test_a_member_cannot_try_for_a_team_that_is_not_their_own(client, world, team):
    cast, idea, _ = world
    source = cycle(cast.kol_rm, idea, decision=PDSADecision.ADOPT)
    data = {"team": getattr(cast, team).pk} if team else {}

    response = try_cycle(client, cast.member, source, **data)

    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:learning_feed", args=[cast.kol.pk])
    assert not PDSACycle.objects.exclude(pk=source.pk).exists()
    client.get(response["Location"])  # the message is shown on the way back
    followed = client.get(reverse("programmes:learning_feed", args=[cast.kol.pk]))
    assert followed.status_code == 200


@pytest.mark.clock
def test_a_cycle_or_idea_of_another_programme_or_not_yet_studied_is_not_found(client, world):
    cast, idea, _ = world
    elsewhere = cycle(cast.adhd_rsd, None, decision=PDSADecision.ADOPT)
    planned = cycle(cast.kol_rm, idea, state=PDSAState.PLANNED, study="")
    adhd_idea = ChangeIdea.objects.create(programme=cast.adhd, title="Psykoedukation")
    client.force_login(cast.member)

    foreign = client.post(
        reverse("programmes:learning_try_cycle", args=[cast.kol.pk, elsewhere.pk]),
        {"team": cast.kol_rsd.pk},
    )
    unstudied = try_cycle(client, cast.member, planned, team=cast.kol_rsd.pk)
    other_idea = client.post(
        reverse("programmes:learning_try_idea", args=[cast.kol.pk, adhd_idea.pk]),
        {"team": cast.kol_rsd.pk},
    )

    assert foreign.status_code == unstudied.status_code == other_idea.status_code == 404
    assert PDSACycle.objects.filter(team=cast.kol_rsd).count() == 0


@pytest.mark.clock
def test_the_library_is_linked_from_the_programme_and_team_pages_and_the_menu(client, world):
    cast, _, _ = world
    client.force_login(cast.member)
    url = reverse("programmes:learning", args=[cast.kol.pk])

    programme_page = client.get(reverse("programmes:detail", args=[cast.kol.pk])).content.decode()
    team_page = client.get(reverse("teams:detail", args=[cast.kol_rsd.pk])).content.decode()
    menu = client.get(reverse("programmes:learning_index"))

    assert url in programme_page and url in team_page
    assert menu.status_code == 302 and menu["Location"] == url


@pytest.mark.clock
def test_the_handout_shares_the_pdf_rate_limit(client, world, settings):
    cast, _, _ = world
    caches["ratelimit"].clear()
    settings.LKT_RATE_LIMITS = {**settings.LKT_RATE_LIMITS, "pdf": (1, 60)}
    client.force_login(cast.member)
    url = reverse("programmes:learning_pdf", args=[cast.kol.pk])

    answers = [client.get(url).status_code for _ in range(2)]
    caches["ratelimit"].clear()

    assert answers == [200, 429]
