"""The driver diagram and change package: model rules, the services and their revisions, the
pages for each role, their query counts, hostile input, and both languages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from learning import diagram_services as services
from programmes.models.changes import ChangeIdea, DiagramRevision, Driver
from tests.factories import IndicatorFactory
from tests.test_fuzz import HOSTILE, Walk

pytestmark = pytest.mark.django_db
REFUSED = {"control characters", "CR/LF", "NUL", "huge text"}


@pytest.fixture
def tree(cast):
    """KOL's diagram: one primary driver, one secondary driver under it, one idea under that."""
    primary = services.driver_add(programme=cast.kol, by=cast.lead, title="Patienten klarer sig")
    secondary = services.driver_add(
        programme=cast.kol, by=cast.lead, parent=primary, title="Patienten har en handleplan"
    )
    idea = services.idea_add(
        programme=cast.kol, by=cast.lead, driver=secondary, title="Handleplan gennemgås"
    )
    return primary, secondary, idea


def url(name: str, *args) -> str:
    return reverse(f"programmes:{name}", args=args)


# --- Model rules ---------------------------------------------------------------------------


def test_a_secondary_driver_cannot_sit_under_another_secondary_driver(cast, tree) -> None:
    _, secondary, _ = tree
    third = Driver(programme=cast.kol, parent=secondary, title="Tredje niveau")
    with pytest.raises(ValidationError) as error:
        third.full_clean()
    assert "parent" in error.value.message_dict


def test_a_driver_cannot_sit_under_another_programmes_driver(cast, tree) -> None:
    primary, _, _ = tree
    with pytest.raises(ValidationError) as error:
        Driver(programme=cast.adhd, parent=primary, title="Forkert program").full_clean()
    assert "parent" in error.value.message_dict


def test_the_database_refuses_a_driver_that_is_its_own_parent(tree) -> None:
    primary, _, _ = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        Driver.objects.filter(pk=primary.pk).update(parent=primary.pk)


def test_an_idea_must_sit_under_a_secondary_driver_of_its_own_programme(cast, tree) -> None:
    primary, secondary, _ = tree
    with pytest.raises(ValidationError) as under_primary:
        ChangeIdea(programme=cast.kol, driver=primary, title="Idé").full_clean()
    with pytest.raises(ValidationError) as elsewhere:
        ChangeIdea(programme=cast.adhd, driver=secondary, title="Idé").full_clean()
    assert "driver" in under_primary.value.message_dict
    assert "driver" in elsewhere.value.message_dict


def test_the_database_refuses_an_unknown_idea_status(tree) -> None:
    _, _, idea = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeIdea.objects.filter(pk=idea.pk).update(status="maybe")


# --- Services ------------------------------------------------------------------------------


def test_every_edit_writes_a_revision_with_who_and_the_diagram_afterwards(cast, tree) -> None:
    primary, secondary, idea = tree
    revisions = list(DiagramRevision.objects.filter(programme=cast.kol).order_by("id"))
    assert len(revisions) == 3
    assert all(r.changed_by == cast.lead for r in revisions)
    last = revisions[-1].snapshot
    assert [d["title"] for d in last["drivers"]] == [primary.title, secondary.title]
    assert last["ideas"][0]["title"] == idea.title
    assert last["ideas"][0]["driver"] == secondary.pk


def test_a_refused_edit_writes_neither_the_change_nor_a_revision(cast, tree) -> None:
    _, _, idea = tree
    foreign = IndicatorFactory(programme=cast.adhd)
    before = DiagramRevision.objects.count()
    with pytest.raises(ValidationError):
        services.idea_update(idea=idea, by=cast.expert, title="Nyt navn", indicators=[foreign])
    assert ChangeIdea.objects.get(pk=idea.pk).title == "Handleplan gennemgås"
    assert DiagramRevision.objects.count() == before


def test_an_empty_driver_title_is_refused_without_a_revision(cast) -> None:
    with pytest.raises(ValidationError):
        services.driver_add(programme=cast.kol, by=cast.lead, title="")
    assert not Driver.objects.exists()
    assert not DiagramRevision.objects.exists()


def test_the_aim_is_saved_with_a_revision(cast) -> None:
    services.aim_update(programme=cast.kol, aim="Færre genindlæggelser", by=cast.expert)
    cast.kol.refresh_from_db()
    revision = DiagramRevision.objects.get(programme=cast.kol)
    assert cast.kol.aim == "Færre genindlæggelser"
    assert revision.snapshot["aim"] == "Færre genindlæggelser"
    assert revision.changed_by == cast.expert


def test_a_teams_proposal_waits_for_the_lead_or_the_experts(cast) -> None:
    idea = services.idea_propose(
        team=cast.kol_rm, title="Pårørende med", description="Til samtalen", by=cast.local_lead
    )
    assert idea.programme == cast.kol
    assert idea.status == ChangeIdea.Status.PROPOSED
    assert idea.proposed_by_team == cast.kol_rm
    assert idea.source == ChangeIdea.Source.EXPERIENCE
    assert idea.driver is None
    assert DiagramRevision.objects.get(programme=cast.kol).changed_by == cast.local_lead


def test_a_proposal_accepted_goes_under_a_secondary_driver_and_is_decided_once(cast, tree) -> None:
    _, secondary, _ = tree
    idea = services.idea_propose(team=cast.kol_rm, title="Ny idé", description="", by=None)
    with pytest.raises(ValidationError):
        services.idea_decide(idea=idea, accept=True, by=cast.lead)  # no driver
    services.idea_decide(idea=idea, accept=True, driver=secondary, by=cast.lead)
    idea.refresh_from_db()
    assert (idea.status, idea.driver) == (ChangeIdea.Status.PACKAGE, secondary)
    with pytest.raises(ValidationError):
        services.idea_decide(idea=idea, accept=False, by=cast.lead)


def test_a_declined_proposal_stays_out_of_the_package(cast) -> None:
    idea = services.idea_propose(team=cast.kol_rm, title="Ny idé", description="", by=None)
    services.idea_decide(idea=idea, accept=False, by=cast.expert)
    idea.refresh_from_db()
    assert idea.status == ChangeIdea.Status.DECLINED


def test_moving_a_driver_swaps_it_with_its_neighbour(cast, tree) -> None:
    first, _, _ = tree
    second = services.driver_add(programme=cast.kol, by=cast.lead, title="Anden")
    services.driver_move(driver=second, up=True, by=cast.lead)
    order = list(Driver.objects.filter(programme=cast.kol, parent=None).order_by("position", "id"))
    assert order == [second, first]
    services.driver_move(driver=second, up=True, by=cast.lead)  # already first: stays
    assert Driver.objects.get(pk=second.pk).position == 1


def test_deleting_a_primary_driver_takes_its_secondaries_and_keeps_the_ideas(cast, tree) -> None:
    primary, secondary, idea = tree
    services.driver_delete(driver=primary, by=cast.lead)
    assert not Driver.objects.filter(pk__in=[primary.pk, secondary.pk]).exists()
    idea.refresh_from_db()
    assert idea.driver is None
    assert DiagramRevision.objects.filter(summary__contains=primary.title).exists()


# --- Pages ---------------------------------------------------------------------------------


def test_the_diagram_page_shows_the_aim_goals_drivers_and_ideas(client, cast, tree) -> None:
    primary, secondary, idea = tree
    cast.kol.goals.create(text="Mindst 90 % får en handleplan")
    services.aim_update(programme=cast.kol, aim="Færre genindlæggelser", by=cast.lead)
    client.force_login(cast.member)

    response = client.get(url("driver_diagram", cast.kol.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content and 'aria-labelledby="dd-title dd-desc"' in content
    for text in ("Færre genindlæggelser", "Mindst 90 % får en handleplan", primary.title):
        assert text in content
    assert url("change_idea", cast.kol.pk, idea.pk) in content
    assert url("diagram_edit", cast.kol.pk) not in content  # the member only reads


def test_an_outsider_gets_404_and_a_reader_403_on_an_edit(client, cast, tree) -> None:
    client.force_login(cast.outsider)
    assert client.get(url("driver_diagram", cast.kol.pk)).status_code == 404
    client.force_login(cast.local_lead)
    response = client.post(url("driver_add", cast.kol.pk), {"primary-title": "Ny"})
    assert response.status_code == 403
    assert Driver.objects.count() == 2


def test_the_lead_adds_a_secondary_driver_in_the_browser(client, cast, tree) -> None:
    primary, _, _ = tree
    client.force_login(cast.lead)

    response = client.post(
        url("driver_add", cast.kol.pk),
        {"kind": "secondary", "secondary-parent": primary.pk, "secondary-title": "Rygestop"},
    )

    assert response.status_code == 302
    added = Driver.objects.get(title="Rygestop")
    assert added.parent == primary
    assert DiagramRevision.objects.filter(summary__contains="Rygestop").exists()


def test_an_expert_creates_an_idea_with_its_source_and_indicators(client, cast, tree) -> None:
    _, secondary, _ = tree
    indicator = IndicatorFactory(programme=cast.kol)
    client.force_login(cast.expert)

    response = client.post(
        url("idea_create", cast.kol.pk),
        {
            "driver": secondary.pk,
            "title": "Opkald inden for 48 timer",
            "description": "Lungesygeplejersken ringer.",
            "source": "concept",
            "source_detail": "Kom Trygt Hjem",
            "indicators": [indicator.pk],
        },
    )

    idea = ChangeIdea.objects.get(title="Opkald inden for 48 timer")
    assert response.status_code == 302
    assert list(idea.indicators.all()) == [indicator]
    page = client.get(url("change_idea", cast.kol.pk, idea.pk)).content.decode()
    assert "Kom Trygt Hjem" in page and indicator.name in page


def test_the_lead_accepts_a_proposal_in_the_browser(client, cast, tree) -> None:
    _, secondary, _ = tree
    idea = services.idea_propose(team=cast.kol_rm, title="Pårørende", description="", by=None)
    client.force_login(cast.lead)
    edit_page = client.get(url("diagram_edit", cast.kol.pk)).content.decode()
    assert url("idea_decide", cast.kol.pk, idea.pk) in edit_page

    client.post(
        url("idea_decide", cast.kol.pk, idea.pk), {"decision": "accept", "driver": secondary.pk}
    )

    idea.refresh_from_db()
    assert idea.status == ChangeIdea.Status.PACKAGE


def test_the_history_lists_each_change_with_its_author(client, cast, tree) -> None:
    client.force_login(cast.member)
    page = client.get(url("diagram_history", cast.kol.pk)).content.decode()
    assert "Ny forandringsidé: Handleplan gennemgås" in page
    assert str(cast.lead) in page


def test_the_change_package_lists_the_ideas_by_driver(client, cast, tree) -> None:
    _, secondary, idea = tree
    services.idea_propose(team=cast.kol_rm, title="Et forslag", description="", by=None)
    client.force_login(cast.coordinator)
    page = client.get(url("change_package", cast.kol.pk)).content.decode()
    assert secondary.title in page and idea.title in page
    assert "Et forslag" in page and "Foreslået af teams" in page


def test_the_pages_speak_english_when_chosen(client, cast, tree) -> None:
    client.force_login(cast.lead)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    diagram = client.get(url("driver_diagram", cast.kol.pk)).content.decode()
    package = client.get(url("change_package", cast.kol.pk)).content.decode()
    edit = client.get(url("diagram_edit", cast.kol.pk)).content.decode()
    assert "Driver diagram for KOL" in diagram and "Primary drivers" in diagram
    assert "Change package for KOL" in package
    assert "Add primary driver" in edit
    assert "Forandringspakke" not in package


def _grow(cast, secondary, n: int) -> None:
    indicator = IndicatorFactory(programme=cast.kol)
    for i in range(n):
        idea = ChangeIdea.objects.create(programme=cast.kol, driver=secondary, title=f"Idé {i}")
        idea.indicators.add(indicator)
        services.idea_propose(team=cast.kol_rm, title=f"Forslag {i}", description="", by=None)
        Driver.objects.create(programme=cast.kol, parent=secondary.parent, title=f"Driver {i}")


@pytest.mark.parametrize(
    "name", ["driver_diagram", "change_package", "diagram_edit", "diagram_history"]
)
def test_the_pages_query_the_same_as_the_diagram_grows(
    client, cast, tree, django_assert_max_num_queries, name
) -> None:
    _, secondary, _ = tree
    client.force_login(cast.lead)
    _grow(cast, secondary, 3)
    with django_assert_max_num_queries(16):
        assert client.get(url(name, cast.kol.pk)).status_code == 200
    _grow(cast, secondary, 30)
    with django_assert_max_num_queries(16):
        assert client.get(url(name, cast.kol.pk)).status_code == 200


# --- Hostile input -------------------------------------------------------------------------


def _forms(cast, tree) -> list[tuple[str, list[str]]]:
    primary, secondary, idea = tree
    proposal = services.idea_propose(team=cast.kol_rm, title="Forslag", description="", by=None)
    return [
        (url("diagram_edit", cast.kol.pk), ["aim"]),
        (url("driver_add", cast.kol.pk), ["kind", "primary-title", "primary-description"]),
        (
            url("driver_add", cast.kol.pk),
            ["kind", "secondary-parent", "secondary-title", "secondary-description"],
        ),
        (url("driver_edit", cast.kol.pk, secondary.pk), ["parent", "title", "description"]),
        (
            url("idea_create", cast.kol.pk),
            ["driver", "title", "description", "source", "source_detail", "indicators"],
        ),
        (
            url("idea_edit", cast.kol.pk, idea.pk),
            ["driver", "title", "description", "source", "source_detail", "indicators"],
        ),
        (url("idea_decide", cast.kol.pk, proposal.pk), ["decision", "driver"]),
        (url("driver_move", cast.kol.pk, primary.pk), ["retning"]),
        (url("idea_move", cast.kol.pk, idea.pk), ["retning"]),
    ]


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_no_hostile_value_on_any_diagram_form_gives_a_server_error(
    client, cast, tree, kind
) -> None:
    client.force_login(cast.expert)
    client.raise_request_exception = False
    for action, fields in _forms(cast, tree):
        before = (Driver.objects.count(), ChangeIdea.objects.count())
        response = client.post(action, dict.fromkeys(fields, HOSTILE[kind]))
        assert response.status_code < 500, (action, kind, response.status_code)
        if kind in REFUSED:  # a number or a date is a possible title; these are not
            assert (Driver.objects.count(), ChangeIdea.objects.count()) == before, (action, kind)


def test_a_title_with_a_line_break_is_refused_with_a_message_naming_the_field(
    client, cast, tree
) -> None:
    client.force_login(cast.lead)
    response = client.post(
        url("driver_add", cast.kol.pk),
        {"kind": "primary", "primary-title": "Linje\r\nBcc: alle"},
        follow=True,
    )
    assert not Driver.objects.filter(title__startswith="Linje").exists()
    assert "Drivkraften blev ikke gemt" in response.content.decode()


def test_the_same_form_posted_twice_gives_no_server_error(client, cast, tree) -> None:
    _, secondary, idea = tree
    client.force_login(cast.lead)
    proposal = services.idea_propose(team=cast.kol_rm, title="Forslag", description="", by=None)
    data = {"decision": "accept", "driver": secondary.pk}
    first = client.post(url("idea_decide", cast.kol.pk, proposal.pk), data)
    second = client.post(url("idea_decide", cast.kol.pk, proposal.pk), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "allerede afgjort" in second.content.decode()
    for _ in range(2):
        assert client.post(url("idea_delete", cast.kol.pk, idea.pk)).status_code in (302, 404)


def test_a_huge_or_foreign_id_in_the_url_or_a_choice_is_404_or_refused(client, cast, tree) -> None:
    _, secondary, idea = tree
    client.force_login(cast.lead)
    foreign = Driver.objects.create(programme=cast.adhd, title="ADHD-drivkraft")
    assert client.get(url("driver_edit", cast.kol.pk, foreign.pk)).status_code == 404
    response = client.post(
        url("idea_edit", cast.kol.pk, idea.pk),
        {"driver": foreign.pk, "title": "x", "source": "evidence"},
    )
    assert response.status_code == 200  # the form again, with the error on the driver
    assert ChangeIdea.objects.get(pk=idea.pk).driver == secondary


class DiagramWalk(Walk):
    """The fuzzer's walk, kept to the diagram's pages (the full fuzzer walks everything)."""

    def visit(self, url: str) -> None:
        if re.match(r"^/programmer/\d+/(driverdiagram|forandring)", url):
            super().visit(url)


@pytest.mark.parametrize("role", ["lead", "expert", "member", "outsider"])
def test_the_fuzzer_finds_no_server_error_on_the_diagram_pages(client, cast, tree, role) -> None:
    services.idea_propose(team=cast.kol_rm, title="Forslag", description="", by=None)
    client.force_login(getattr(cast, role))
    client.raise_request_exception = False
    walk = DiagramWalk(client)

    walk.visit(url("driver_diagram", cast.kol.pk))
    walk.visit(url("diagram_edit", cast.kol.pk))
    walk.hostile_queries()
    walk.hostile_forms()

    assert walk.failures == [], "\n".join(walk.failures[:30])
    if role in {"lead", "expert"}:  # every edit form was found and posted
        actions = {form.action.split("/")[-2] for form in walk.forms.values()}
        assert {"rediger", "ny", "flyt", "slet", "afgoer"} <= actions, actions
