"""POST and PATCH of a team's PDSA cycles through the API: the page's form rules and words, the
services' history with the token's person, the role matrix (403 reader, 404 outside)."""

from __future__ import annotations

import json

import pytest

from accounts.tokens import token_create
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus
from teams.models import PDSACycle
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def bearer(user, scope: str = "write") -> dict[str, str]:
    _token, secret = token_create(user=user, name="script", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def url(team, cycle=None) -> str:
    base = f"/api/v1/teams/{team.pk}/pdsa-cycles"
    return base if cycle is None else f"{base}/{cycle.pk}"


def send(client, method: str, path: str, body, auth, **headers):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    call = getattr(client, method)
    return call(path, data=raw, content_type="application/json", **auth, **headers)


@pytest.fixture
def idea(cast) -> ChangeIdea:
    return ChangeIdea.objects.create(
        programme=cast.kol, title="Opringning efter 48 timer", status=ChangeIdeaStatus.PACKAGE
    )


@pytest.mark.clock
def test_a_member_creates_a_cycle_with_history_under_their_name(client, cast, clock, idea):
    share = IndicatorFactory(programme=cast.kol)
    body = {
        "title": "Ring til fem patienter",
        "change_idea": idea.pk,
        "indicators": [share.pk],
        "prediction": "Vi forventer, at fire af fem kan nås.",
    }

    response = send(client, "post", url(cast.kol_rm), body, bearer(cast.local_lead))

    assert response.status_code == 201, response.content
    answer = response.json()
    cycle = PDSACycle.objects.get(pk=answer["id"])
    assert (answer["team"], answer["change_idea"], answer["indicators"]) == (
        cast.kol_rm.pk,
        idea.pk,
        [share.pk],
    )
    assert answer["state"] == "planned" and answer["started_on"] == clock.today().isoformat()
    assert cycle.created_by == cast.local_lead
    assert [v.history_user for v in cycle.history.all()] == [cast.local_lead]


def test_a_patch_changes_only_what_is_sent(client, cast, idea):
    share = IndicatorFactory(programme=cast.kol)
    auth = bearer(cast.local_lead)
    created = send(
        client,
        "post",
        url(cast.kol_rm),
        {"title": "Ring", "change_idea": idea.pk, "indicators": [share.pk], "who": "Sygeplejerske"},
        auth,
    ).json()
    cycle = PDSACycle.objects.get(pk=created["id"])

    response = send(
        client,
        "patch",
        url(cast.kol_rm, cycle),
        {"state": "studied", "study": "Fire af fem blev nået, som forudsagt."},
        auth,
    )

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["state"] == "studied" and answer["study"].startswith("Fire af fem")
    assert (answer["title"], answer["who"], answer["change_idea"], answer["indicators"]) == (
        "Ring",
        "Sygeplejerske",
        idea.pk,
        [share.pk],
    )
    assert cycle.history.count() == 2


def test_the_forms_rules_answer_422_with_the_pages_words(client, cast, idea):
    body = {"title": "Ring", "change_idea": idea.pk, "own_idea": "Og vores egen"}

    response = send(client, "post", url(cast.kol_rm), body, bearer(cast.local_lead))

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == [
        {
            "loc": ["body", "own_idea"],
            "msg": "Vælg en idé fra forandringspakken eller skriv teamets egen, ikke begge.",
        }
    ]
    assert not PDSACycle.objects.exists()


def test_the_messages_speak_the_accept_language(client, cast):
    auth = bearer(cast.local_lead)
    danish = send(client, "post", url(cast.kol_rm), {"state": "planned"}, auth)
    english = send(
        client, "post", url(cast.kol_rm), {"state": "planned"}, auth, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert danish.json()["errors"] == [{"loc": ["body", "title"], "msg": "Dette felt er påkrævet."}]
    assert english.json()["errors"] == [
        {"loc": ["body", "title"], "msg": "This field is required."}
    ]


def test_a_decision_before_the_study_is_refused(client, cast):
    response = send(
        client,
        "post",
        url(cast.kol_rm),
        {"title": "Ring", "state": "decided", "decision": "adopt"},
        bearer(cast.local_lead),
    )
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["errors"]} >= {("body", "decision")}


def test_ideas_indicators_and_ramps_of_another_programme_or_team_are_refused(client, cast):
    foreign_idea = ChangeIdea.objects.create(
        programme=cast.adhd, title="Andet", status=ChangeIdeaStatus.PACKAGE
    )
    foreign_indicator = IndicatorFactory(programme=cast.adhd)
    other_teams = PDSACycle.objects.create(
        team=cast.kol_rsd, title="Deres", started_on="2025-01-01"
    )
    body = {
        "title": "Ring",
        "change_idea": foreign_idea.pk,
        "indicators": [foreign_indicator.pk],
        "builds_on": other_teams.pk,
    }
    response = send(client, "post", url(cast.kol_rm), body, bearer(cast.local_lead))
    assert response.status_code == 422
    fields = {e["loc"][-1] for e in response.json()["errors"]}
    assert fields == {"change_idea", "indicators", "builds_on"}


@pytest.mark.parametrize("who", ["steering", "lead", "expert", "coordinator", "member"])
def test_readers_and_other_teams_may_not_write(client, cast, who):
    # All of them may read KOL's cycles; none is a member of Lungemedicin AUH.
    response = send(client, "post", url(cast.kol_rm), {"title": "x"}, bearer(getattr(cast, who)))
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not PDSACycle.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "nobody"])
def test_outside_the_programme_the_team_is_not_found(client, cast, who):
    response = send(client, "post", url(cast.kol_rm), {"title": "x"}, bearer(getattr(cast, who)))
    assert response.status_code == 404


def test_another_teams_cycle_is_not_found_under_this_team(client, cast):
    theirs = PDSACycle.objects.create(team=cast.kol_rsd, title="Deres", started_on="2025-01-01")
    response = send(
        client, "patch", url(cast.kol_rm, theirs), {"title": "x"}, bearer(cast.local_lead)
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Deres"


def test_a_read_token_may_not_write(client, cast):
    response = send(
        client, "post", url(cast.kol_rm), {"title": "x"}, bearer(cast.local_lead, "read")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"title": "a\x00b"},
        {"title": "x" * 20_000},
        {"title": "Ring", "plan": "x" * 20_000},
        {"title": "Ring", "started_on": "2025-02-30"},
        {"title": "Ring", "started_on": "0001-01-01"},
        {"title": "Ring", "started_on": "2025-03-01", "ended_on": "2025-01-01"},
        {"title": "Ring", "state": "done"},
        {"title": "Ring", "indicators": ["x"]},
        {"title": "Ring", "indicators": [10**30]},
        {"title": "Ring", "change_idea": -1},
        {"title": "Ring", "builds_on": 10**30},
        {"title": ["nested", {"x": 1}]},
        {"title": "Ring", "unknown": 1, "state": None, "who": "\r\n\x07"},
        {},
    ],
)
def test_hostile_bodies_are_4xx_never_500(client, cast, body):
    response = send(client, "post", url(cast.kol_rm), body, bearer(cast.local_lead))
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == PROBLEM
    assert not PDSACycle.objects.exists() or response.status_code < 300


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        ("{", "application/json", 400),
        ("title=x", "application/x-www-form-urlencoded", 415),
        ("title,x", "text/csv", 415),
    ],
)
def test_unreadable_or_non_json_bodies_are_refused(client, cast, raw, content_type, status):
    response = client.post(
        url(cast.kol_rm), data=raw, content_type=content_type, **bearer(cast.local_lead)
    )
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert not PDSACycle.objects.exists()
