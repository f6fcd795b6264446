"""The client's address behind the proxies: what the trail, the audit log and the lockouts see."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.factories import UserFactory, goal_form_data

PROXY = "10.0.0.2"  # the innermost proxy: REMOTE_ADDR
pytestmark = pytest.mark.django_db

CHAIN = "203.0.113.9, 10.0.0.1"
SPOOFED = "198.51.100.7, " + CHAIN  # the client wrote an entry of its own in front


def _login(client, password: str, forwarded: str):
    return client.post(
        reverse("login"),
        {"username": "anna@example.dk", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR=PROXY,
    )


@pytest.mark.parametrize(
    ("proxies", "client_address"), [(0, PROXY), (1, "10.0.0.1"), (2, "203.0.113.9")]
)
@pytest.mark.parametrize("forwarded", [CHAIN, SPOOFED])
def test_the_trail_records_the_address_the_outermost_proxy_saw(
    client, settings, proxies, client_address, forwarded
) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    UserFactory(email="anna@example.dk")
    _login(client, "forkert-forkert", forwarded)
    assert SecurityEvent.objects.get(kind="login_failed").ip_address == client_address


def test_a_lockout_holds_however_the_client_spoofs_the_header(client, settings) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = 2
    UserFactory(email="anna@example.dk")
    for hop in range(5):
        _login(client, "forkert-forkert", f"198.51.100.{hop}, {CHAIN}")

    locked = _login(client, "test-password-123", f"192.0.2.77, {CHAIN}")
    elsewhere = _login(client, "test-password-123", "203.0.113.50, 10.0.0.1")

    assert locked.status_code == 429
    lockouts = SecurityEvent.objects.filter(kind="locked_out")
    assert set(lockouts.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert elsewhere.status_code == 302  # another client behind the same proxy is not locked out


def test_the_audit_log_has_the_client_address_too(client, settings, cast) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = 2
    client.force_login(cast.lead)
    client.post(
        reverse("programmes:add_goal", args=[cast.kol.pk]),
        goal_form_data(cast.kol),
        HTTP_X_FORWARDED_FOR=SPOOFED,
        REMOTE_ADDR=PROXY,
    )
    entry = LogEntry.objects.get(content_type__model="improvementgoal")
    assert entry.remote_addr == "203.0.113.9"
