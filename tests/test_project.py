"""The project as a whole: configuration, migrations, pages every visitor reaches."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_match_the_models() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "lkt_portal.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY mangler" in result.stderr


def test_settings_are_danish_in_copenhagen(settings) -> None:
    assert settings.LANGUAGE_CODE == "da"
    assert [code for code, _ in settings.LANGUAGES] == ["da", "en"]
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert settings.USE_TZ is True


@pytest.mark.django_db
def test_the_home_and_login_pages_open_in_danish(client) -> None:
    home = client.get("/")
    login = client.get(reverse("login"))

    assert home.status_code == 200
    assert '<html lang="da">' in home.content.decode()
    assert "Log ind" in home.content.decode()
    assert login.status_code == 200
    assert "Log ind på LKT-portalen" in login.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_gets_a_danish_message(client) -> None:
    UserFactory(email="anna@example.dk")
    response = client.post(reverse("login"), {"username": "anna@example.dk", "password": "forkert"})

    assert response.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert" in response.content.decode()


@pytest.mark.django_db
def test_a_person_logs_in_with_email_and_out_again(client) -> None:
    UserFactory(email="anna@example.dk", first_name="Anna", last_name="Holm")
    response = client.post(
        reverse("login"),
        {"username": "anna@example.dk", "password": "test-password-123"},
        follow=True,
    )
    assert "Goddag, Anna" in response.content.decode()

    response = client.post(reverse("logout"), follow=True)
    assert response.wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_the_language_switch_turns_the_page_english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/")

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert ">Log in</a>" in page
    assert "Learning and quality teams" in page


def test_no_page_loads_anything_from_a_cdn() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "//cdn" in path.read_text() or "https://" in path.read_text()
    ]
    assert offenders == []


@pytest.mark.django_db
def test_an_english_browser_still_gets_danish_until_it_switches(client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="da">' in page


@pytest.mark.django_db
def test_a_nul_byte_in_the_address_gets_a_danish_400_page_not_a_server_error(client) -> None:
    response = client.get("/status/", {"q": "navn\x00null"})

    assert response.status_code == 400
    assert "Adressen kan ikke læses" in response.content.decode()
