"""Rate limits on PDFs, exports, password-reset and invitation mails: a Danish 429 with Retry-After.

The suite's own settings raise every limit (tests/settings.py); these tests lower one at a time.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from accounts.models import SecurityEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")


@pytest.fixture
def limit(settings):
    """Lower one scope's limit to `count` per `seconds`, on an empty counter."""
    caches["ratelimit"].clear()

    def lower(scope: str, count: int, seconds: int = 60) -> None:
        settings.LKT_RATE_LIMITS = {**settings.LKT_RATE_LIMITS, scope: (count, seconds)}

    yield lower
    caches["ratelimit"].clear()


def assert_throttled(response, seconds: int) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= seconds
    assert "For mange forespørgsler" in response.content.decode()


def test_pdfs_beyond_the_limit_get_a_danish_429_with_retry_after(client, cast, limit) -> None:
    limit("pdf", 2)
    client.force_login(cast.steering)
    answers = [client.get(reverse("status:overview_pdf")) for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert_throttled(answers[2], 60)
    assert SecurityEvent.objects.filter(kind="rate_limited", user=cast.steering).count() == 1


def test_each_person_has_their_own_pdf_budget(client, cast, limit) -> None:
    limit("pdf", 1)
    client.force_login(cast.steering)
    client.get(reverse("status:overview_pdf"))
    client.force_login(cast.administrator)
    assert client.get(reverse("status:overview_pdf")).status_code == 200


def test_exports_are_limited(client, cast, limit) -> None:
    limit("export", 2)
    client.force_login(cast.steering)
    answers = [client.get(reverse("status:export")) for _ in range(2)]
    team_export = client.get(reverse("indicators:export_team", args=[cast.kol_rm.pk]))

    assert [a.status_code for a in answers] == [200, 200]
    assert_throttled(team_export, 60)


def test_reset_mails_to_one_address_are_limited_however_it_is_spelt(
    client, cast, limit, mailoutbox
) -> None:
    limit("password_reset_address", 2, 3600)
    for email in ("medlem@example.dk", "MEDLEM@example.dk ", "Medlem@Example.dk"):
        last = client.post(RESET, {"email": email})

    assert_throttled(last, 3600)
    assert len(mailoutbox) == 2
    assert client.post(RESET, {"email": "lokal@example.dk"}).status_code == 302


def test_reset_requests_from_one_client_are_limited(client, cast, limit, mailoutbox) -> None:
    limit("password_reset_client", 2, 3600)
    client.post(RESET, {"email": "medlem@example.dk"})
    client.post(RESET, {"email": "lokal@example.dk"})

    assert_throttled(client.post(RESET, {"email": "lead@example.dk"}), 3600)
    assert len(mailoutbox) == 2
    assert client.get(RESET).status_code == 200  # the form itself is not counted


def test_invitation_mails_are_limited_per_inviter(client, cast, limit) -> None:
    limit("invitation", 2, 3600)
    invitee = f.UserFactory(is_active=False)
    invitee.set_unusable_password()
    invitee.save()
    client.force_login(cast.administrator)
    resend = reverse("accounts:resend_invitation", args=[invitee.pk])

    answers = [client.post(resend) for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [302, 302]
    assert_throttled(answers[2], 3600)
    assert invitee.invitations.count() == 2
    client.force_login(cast.coordinator)
    assert client.get(reverse("accounts:invite")).status_code == 200


@pytest.mark.redis
def test_the_limit_holds_in_redis_as_well(client, cast, limit, settings, redis_server) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "test-ratelimit",
        },
    }
    caches["ratelimit"].clear()
    limit("export", 1)
    client.force_login(cast.steering)

    assert client.get(reverse("status:export")).status_code == 200
    assert_throttled(client.get(reverse("status:export")), 60)
