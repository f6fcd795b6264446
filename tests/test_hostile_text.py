"""Control characters: refused by name in one-line fields, dropped from texts of several lines."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import TextRules
from indicators.forms import PeriodForm
from people.forms import InviteForm
from programmes.services import programme_update
from seminars.forms import SeminarForm
from teams.forms import ProgressScoreForm
from teams.models import ImprovementTeam
from tests.factories import IndicatorFactory

APPS = [
    "accounts",
    "people",
    "programmes",
    "teams",
    "seminars",
    "indicators",
    "status",
    "reminders",
]
LONG = "Lorem ipsum dolor sit amet. " * 715  # 20,020 characters


def _seminar_data(**changes: str) -> dict[str, str]:
    data = {
        "kind": "learning",
        "number": "2",
        "title": "Læringsseminar 2",
        "date": "2030-03-05",
        "start_time": "09:30",
        "end_time": "15:30",
        "place": "Comwell Kolding",
        "address": "",
        "agenda": "",
    }
    return data | changes


def test_every_form_of_the_portal_follows_the_text_rules() -> None:
    found = []
    for app in APPS:
        module = importlib.import_module(f"{app}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
                assert issubclass(cls, TextRules), cls
    assert len(found) >= 20


@pytest.mark.parametrize(
    "title",
    [
        "Seminar\r\nBcc: alle@example.com",
        "Seminar\n",
        "A\x0bB",
        "A\x00B",
        "A\x1b[31m",
        "A\tB",
        "A\x85B",
    ],
)
def test_a_title_with_a_line_break_or_control_character_is_refused_by_name(title) -> None:
    form = SeminarForm(_seminar_data(title="x" + title + "y"))

    assert not form.is_valid()
    assert any("Feltet “Titel” må ikke indeholde linjeskift" in e for e in form.errors["title"])


def test_an_agenda_keeps_its_lines_and_loses_its_control_characters() -> None:
    form = SeminarForm(_seminar_data(agenda="\x0b09.30 Velkomst\r\n10.00\tOplæg\x00\x1b\rfrokost"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["agenda"] == "09.30 Velkomst\n10.00\tOplæg\nfrokost"


def test_a_20000_character_title_is_refused_and_a_20000_character_agenda_kept() -> None:
    form = SeminarForm(_seminar_data(title=LONG, agenda=LONG))

    assert not form.is_valid()
    assert list(form.errors) == ["title"]


@pytest.mark.django_db
def test_a_data_comment_with_a_vertical_tab_is_refused(cast) -> None:
    indicator = IndicatorFactory(programme=cast.kol)
    form = PeriodForm(
        {
            f"num_{indicator.pk}": "1",
            f"den_{indicator.pk}": "2",
            f"comment_{indicator.pk}": "a\x0bb",
        },
        indicators=[indicator],
        existing={},
    )

    assert not form.is_valid()
    assert "Feltet “Kommentar” må ikke" in form.errors[f"comment_{indicator.pk}"][0]


def test_a_progress_comment_of_several_lines_is_cleaned() -> None:
    data = {"month": "2025-01-01", "score": "2.0", "comment": "Godt\x0b\r\nfremad"}
    form = ProgressScoreForm(data, months=[dt.date(2025, 1, 1)])

    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "Godt\nfremad"


@pytest.mark.django_db
def test_an_invitation_refuses_a_name_with_a_line_break(cast) -> None:
    form = InviteForm(
        {
            "email": "ny@example.dk",
            "first_name": "Ny\r\nX-Evil: 1",
            "last_name": "Person",
            "target": f"team:{cast.kol_rm.pk}",
            "role": "member",
        },
        teams=ImprovementTeam.objects.all(),
        groups=cast.kol.expert_group.__class__.objects.all(),
    )

    assert not form.is_valid()
    assert "Feltet “Fornavn” må ikke" in form.errors["first_name"][0]


@pytest.mark.django_db
def test_a_team_name_with_a_line_break_is_refused_on_the_page(client, cast) -> None:
    team = cast.kol_rm
    client.force_login(cast.administrator)
    url = reverse("teams:edit", args=[team.pk])

    response = client.post(
        url,
        {"name": "Team\nBcc: x", "organisations": [], "method": team.method, "status": team.status},
    )

    assert response.status_code == 200
    assert "må ikke indeholde linjeskift" in response.content.decode()
    team.refresh_from_db()
    assert team.name == "Lungemedicin AUH"


@pytest.mark.django_db
def test_a_profile_name_with_an_escape_is_refused(client, cast) -> None:
    client.force_login(cast.member)

    response = client.post(
        reverse("accounts:profile"), {"first_name": "Mette\x1b[2J", "last_name": "X"}
    )

    assert response.status_code == 200
    assert "Feltet “Fornavn” må ikke" in response.content.decode()


@pytest.mark.django_db
def test_a_service_refuses_a_name_with_a_line_break_whoever_calls_it(cast) -> None:
    with pytest.raises(ValidationError) as error:
        programme_update(programme=cast.kol, by=None, name="KOL\r\nBcc: alle")
    assert "må ikke indeholde linjeskift" in error.value.message_dict["name"][0]

    cast.kol.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        programme_update(programme=cast.kol, by=None, description="Linje 1\nLinje 2\x0b")
    assert "kontroltegn" in error.value.message_dict["description"][0]

    cast.kol.refresh_from_db()
    programme_update(programme=cast.kol, by=None, description="Linje 1\r\nLinje 2\tmed tab")


@pytest.mark.django_db
def test_a_search_with_control_characters_answers_without_an_error(client, cast) -> None:
    client.force_login(cast.administrator)
    for name in ["teams:list", "programmes:list", "accounts:list", "accounts:audit"]:
        # A NUL anywhere in the address is answered 400 before any view (lkt_portal.middleware).
        assert client.get(reverse(name), {"q": "a\x00b"}).status_code == 400, name
        assert client.get(reverse(name), {"q": "a\x0bb\x1b\r\n"}).status_code == 200, name
