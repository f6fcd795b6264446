"""Security: deploy check, headers, throttling, 2FA, timeouts, audit trail, GDPR export."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests import factories as f
from tests.factories import UserFactory, goal_form_data

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_the_deploy_check_passes_with_production_settings(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "lkt_portal.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lkt.example.dk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_hashes_passwords_with_argon2() -> None:
    from lkt_portal import settings as production

    assert production.PASSWORD_HASHERS[0] == "accounts.hashers.PortalArgon2PasswordHasher"
    from accounts.hashers import PortalArgon2PasswordHasher

    hashed = PortalArgon2PasswordHasher().encode("en lang adgangskode", "saltsaltsalt")
    assert hashed.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    validators = [v["NAME"].rsplit(".", 1)[1] for v in production.AUTH_PASSWORD_VALIDATORS]
    assert "CommonPasswordValidator" in validators
    minimum = next(v for v in production.AUTH_PASSWORD_VALIDATORS if "MinimumLength" in v["NAME"])
    assert minimum["OPTIONS"]["min_length"] == 12


def test_pages_carry_the_security_headers(client) -> None:
    response = client.get(reverse("login"))

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_page_template_has_inline_scripts_or_styles() -> None:
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "emails" in path.parts:
            continue  # mail clients, not browsers under our CSP
        text = path.read_text()
        if "<script>" in text or ' style="' in text or "<style" in text or " on" + "click=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _login(client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_five_wrong_passwords_lock_the_login_for_a_while(client) -> None:
    UserFactory(email="anna@example.dk")
    for _ in range(5):
        _login(client, "anna@example.dk", "forkert-forkert")

    locked = _login(client, "anna@example.dk", "test-password-123")

    assert locked.status_code == 429
    assert "midlertidigt spærret" in locked.content.decode()
    assert SecurityEvent.objects.filter(kind="login_failed").count() == 6  # the locked try too
    assert SecurityEvent.objects.filter(kind="locked_out").exists()
    assert not SecurityEvent.objects.filter(kind="login").exists()


def test_logins_and_failures_are_in_the_trail(client) -> None:
    user = UserFactory(email="bo@example.dk")
    _login(client, "bo@example.dk", "forkert-forkert")
    _login(client, "bo@example.dk", "test-password-123")

    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", "username"))
    assert kinds == [("login_failed", "bo@example.dk"), ("login", "bo@example.dk")]
    assert SecurityEvent.objects.get(kind="login").user == user


def test_a_refused_permission_is_in_the_trail(client, cast) -> None:
    client.force_login(cast.steering)
    response = client.get(reverse("programmes:edit", args=[cast.kol.pk]))

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind="permission_denied")
    assert (event.user, event.path) == (
        cast.steering,
        reverse("programmes:edit", args=[cast.kol.pk]),
    )


def test_a_data_change_is_in_the_audit_trail_with_who(client, cast) -> None:
    client.force_login(cast.lead)
    client.post(reverse("programmes:add_goal", args=[cast.kol.pk]), goal_form_data(cast.kol))

    entry = LogEntry.objects.get(content_type__model="improvementgoal")
    assert entry.actor == cast.lead
    assert entry.action == LogEntry.Action.CREATE


def test_only_an_administrator_reads_the_audit_trail(client, cast) -> None:
    client.force_login(cast.steering)
    assert client.get(reverse("accounts:audit")).status_code == 403
    client.force_login(cast.administrator)
    page = client.get(reverse("accounts:audit")).content.decode()
    changes = client.get(reverse("accounts:audit"), {"vis": "aendringer"})
    assert "Adgang nægtet" in page  # the steering member's refusal above
    assert changes.status_code == 200


@pytest.fixture
def enforced(settings):
    settings.LKT_ENFORCE_2FA = True
    return settings


def test_an_administrator_must_set_up_two_factor(client, cast, enforced) -> None:
    client.force_login(cast.administrator)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))

    client.get(response.url)  # creates the unconfirmed device and shows the QR code
    device = TOTPDevice.objects.get(user=cast.administrator)
    right = client.post(
        reverse("accounts:two_factor_setup"), {"token": f"{totp(device.bin_key):06d}", "next": "/"}
    )

    assert right.status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert SecurityEvent.objects.filter(kind="2fa_enabled", user=cast.administrator).exists()


def test_a_new_lead_post_asks_for_two_factor_on_the_next_page(client, cast, enforced) -> None:
    """The answer is remembered in the session per version of the person's roles
    (accounts/middleware.py), so a new post asks again at once, and an ended one lets go."""
    client.force_login(cast.nobody)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # the remembered answer
    post = f.ProgrammeLeadFactory(programme=cast.adhd, user=cast.nobody)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    post.delete()
    assert client.get("/").status_code == 200
    f.RegionalCoordinatorFactory(region=cast.regions["rm"], user=cast.nobody)
    assert client.get("/").status_code == 302


def test_a_wrong_code_is_refused_and_logged(client, cast, enforced) -> None:
    client.force_login(cast.administrator)
    client.get(reverse("accounts:two_factor_setup"))

    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})

    assert "Koden passede ikke" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=cast.administrator).confirmed
    assert SecurityEvent.objects.filter(kind="2fa_failed", user=cast.administrator).exists()
    assert client.get("/").status_code == 302  # still not through


def test_a_national_lead_must_too_but_a_team_member_need_not(client, cast, enforced) -> None:
    client.force_login(cast.lead)
    assert client.get("/").status_code == 302
    client.force_login(cast.local_lead)
    assert client.get("/").status_code == 200


def test_anyone_with_a_device_gives_the_code_after_the_password(client, cast) -> None:
    device = TOTPDevice.objects.create(user=cast.member, name="telefon", confirmed=True)
    _login(client, cast.member.email, "test-password-123")

    blocked = client.get(reverse("programmes:list"))
    assert blocked.url.startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert client.get(reverse("programmes:list")).status_code == 200


def test_an_idle_session_ends(client, cast, settings) -> None:
    settings.LKT_SESSION_IDLE_SECONDS = 60
    client.force_login(cast.member)
    session = client.session
    session["lkt_last_seen"] = int(time.time()) - 61
    session.save()

    response = client.get(reverse("programmes:list"), follow=True)

    assert response.wsgi_request.user.is_anonymous
    assert "ikke har brugt portalen i et stykke tid" in response.content.decode()


def test_a_long_session_ends_even_when_busy(client, cast, settings) -> None:
    settings.LKT_SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(cast.member)
    session = client.session
    session["lkt_login_at"] = int(time.time()) - 3601
    session.save()

    response = client.get(reverse("programmes:list"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_person_downloads_their_own_data(client, cast) -> None:
    client.force_login(cast.local_lead)
    response = client.get(reverse("accounts:my_data"))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["person"]["email"] == cast.local_lead.email
    assert data["teams"][0]["team__name"] == "Lungemedicin AUH"
    assert any(e["kind"] == "login" for e in data["security_events"])
    assert cast.member.email not in response.content.decode()  # nobody else's data


def test_production_redirects_to_https_but_not_the_health_check(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True

    page = client.get(reverse("login"))
    health = client.get("/healthz")

    assert page.status_code == 301 and page.url.startswith("https://")
    assert health.status_code == 200


@pytest.mark.django_db
def test_a_huge_username_or_password_at_login_is_a_form_error_not_a_server_error(client) -> None:
    for data in (
        {"username": "æ" * 20_000, "password": "x"},
        {"username": "a@b.dk", "password": "x" * 20_000},
    ):
        response = client.post("/login/", data)

        assert response.status_code == 200
        assert response.context["form"].errors
