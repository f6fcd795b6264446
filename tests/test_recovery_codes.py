"""Two-factor for regional coordinators too, and one-time recovery codes for a lost phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
CODES = reverse("accounts:two_factor_recovery_codes")
CODE = re.compile(r'<code class="recovery-code">([a-z0-9]+)</code>')


@pytest.fixture
def enforced(settings):
    settings.LKT_ENFORCE_2FA = True
    return settings


def set_up(client, user) -> list[str]:
    """Turn two-factor on for `user` (logged in) and return the recovery codes shown once."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    shown = client.post(SETUP, {"token": f"{totp(device.bin_key):06d}", "next": "/"}, follow=True)
    return CODE.findall(shown.content.decode())


def log_in_again(client, user) -> None:
    client.logout()
    assert client.login(username=user.email, password="test-password-123")


def test_a_regional_coordinator_must_set_up_two_factor(client, cast, enforced) -> None:
    client.force_login(cast.coordinator)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_confirming_shows_ten_recovery_codes_once(client, cast) -> None:
    client.force_login(cast.member)
    codes = set_up(client, cast.member)

    assert len(set(codes)) == 10
    assert CODE.findall(client.get(CODES).content.decode()) == []  # shown once only
    assert SecurityEvent.objects.filter(kind="recovery_codes", user=cast.member).exists()


def test_a_recovery_code_lets_one_in_once(client, cast) -> None:
    client.force_login(cast.member)
    code = set_up(client, cast.member)[0]

    log_in_again(client, cast.member)
    client.post(VERIFY, {"token": code})
    assert client.get(reverse("programmes:list")).status_code == 200
    assert SecurityEvent.objects.filter(kind="recovery_code_used", user=cast.member).exists()

    log_in_again(client, cast.member)
    again = client.post(VERIFY, {"token": code})
    assert "Koden passede ikke" in again.content.decode()
    assert client.get(reverse("programmes:list")).status_code == 302


def test_new_codes_replace_the_old_ones(client, cast) -> None:
    client.force_login(cast.member)
    old = set_up(client, cast.member)

    page = client.post(CODES, follow=True)
    new = CODE.findall(page.content.decode())

    assert len(new) == 10
    assert not set(new) & set(old)
    log_in_again(client, cast.member)
    client.post(VERIFY, {"token": old[1]})
    assert client.get(reverse("programmes:list")).status_code == 302


def test_only_a_verified_person_makes_new_codes(client, cast) -> None:
    client.force_login(cast.member)
    set_up(client, cast.member)
    log_in_again(client, cast.member)

    response = client.post(CODES)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert SecurityEvent.objects.filter(kind="recovery_codes").count() == 1
