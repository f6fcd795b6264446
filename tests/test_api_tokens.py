"""Personal access tokens: hashed, shown once, expiring, scoped, revocable, audited, limited."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AccessToken, SecurityEvent
from accounts.tokens import token_create, token_for_secret, token_revoke
from api.auth import require_write
from api.problems import ProblemError

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_stores_the_sha256_of_the_secret_and_nothing_else_of_it(cast):
    token, secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    stored = AccessToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    assert secret.startswith("lkt_") and len(secret) >= 40


def test_two_tokens_never_share_a_secret(cast):
    secrets = {
        token_create(user=cast.member, name=str(i), scope="read", days=1)[1] for i in range(20)
    }
    assert len(secrets) == 20


def test_a_token_acts_as_its_person(client, cast):
    _token, secret = token_create(user=cast.expert, name="DWH", scope="write", days=30)
    body = client.get(ME, **bearer(secret)).json()
    assert body["email"] == "ekspert@example.dk"
    assert body["scope"] == "write" and body["token_name"] == "DWH"


@pytest.mark.clock
def test_a_token_stops_working_when_it_expires(client, cast, clock):
    _token, secret = token_create(user=cast.member, name="DWH", scope="read", days=2)
    clock.shift(dt.timedelta(days=2) - dt.timedelta(minutes=1))
    assert client.get(ME, **bearer(secret)).status_code == 200
    clock.shift(dt.timedelta(minutes=2))
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_revoked_token_stops_working(client, cast):
    token, secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    assert client.get(ME, **bearer(secret)).status_code == 200
    token_revoke(token=token)
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_a_deactivated_persons_token_stops_working(client, cast):
    _token, secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    cast.member.is_active = False
    cast.member.save()
    assert client.get(ME, **bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer lkt_",
        "Bearer lkt_" + "A" * 43,
        "Basic abc",
        "Bearer " + "x" * 5000,
        "lkt_x",
    ],
)
def test_wrong_or_malformed_tokens_get_401(client, cast, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["status"] == 401


@pytest.mark.clock
def test_it_notes_the_last_use(client, cast, clock):
    token, secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    assert token.last_used_at is None
    clock.shift(dt.timedelta(hours=3))
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert abs((token.last_used_at - clock.now()).total_seconds()) < 60


@pytest.mark.clock
def test_last_use_is_written_at_most_once_a_minute(client, cast, clock):
    token, secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    clock.shift(dt.timedelta(seconds=30))
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    clock.shift(dt.timedelta(seconds=45))
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None and first is not None
    assert (token.last_used_at - first).total_seconds() >= 75


def test_every_use_is_in_the_security_trail(client, cast):
    _token, secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    client.get(ME, **bearer(secret))
    client.get("/api/v1/programmes", **bearer(secret))
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.API_REQUEST, user=cast.member)
    assert sorted(e.path for e in events) == ["/api/v1/me", "/api/v1/programmes"]


def test_a_read_token_may_not_write(cast):
    token, _secret = token_create(user=cast.member, name="DWH", scope="read", days=30)
    request = RequestFactory().post("/api/v1/anything")
    request.auth = token
    with pytest.raises(ProblemError) as refused:
        require_write(request)
    assert refused.value.status == 403
    writer, _ = token_create(user=cast.member, name="DWH", scope="write", days=30)
    request.auth = writer
    assert require_write(request) == writer


@pytest.mark.parametrize("days", [0, -1, 367, 10**9])
def test_it_refuses_a_lifetime_outside_a_year(cast, days):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(user=cast.member, name="DWH", scope="read", days=days)


@pytest.fixture
def api_limit(settings):
    caches["ratelimit"].clear()
    settings.LKT_RATE_LIMITS = {**settings.LKT_RATE_LIMITS, "api": (3, 60)}
    yield
    caches["ratelimit"].clear()


def test_each_token_is_rate_limited_with_retry_after(client, cast, api_limit):
    _token, secret = token_create(user=cast.member, name="A", scope="read", days=30)
    _other, other_secret = token_create(user=cast.member, name="B", scope="read", days=30)
    answers = [client.get(ME, **bearer(secret)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client.get(ME, **bearer(other_secret)).status_code == 200  # its own budget
    assert SecurityEvent.objects.filter(kind="rate_limited", user=cast.member).count() == 1


# --- manage.py api_token ----------------------------------------------------------------------


def test_the_command_prints_only_the_token(cast):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token",
        "Medlem@Example.dk",
        "--scope",
        "write",
        "--name",
        "DWH",
        "--days",
        "7",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    assert out.getvalue().count("\n") == 1
    token = token_for_secret(secret)
    assert token is not None and token.user == cast.member and token.scope == "write"
    assert 6 <= (token.expires_at - token.created_at).days <= 7


@pytest.mark.parametrize(
    "args",
    [["nobody@nowhere.dk", "--name", "x"], ["medlem@example.dk", "--name", "x", "--days", "0"]],
)
def test_the_command_refuses_without_printing_a_token(cast, args):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("api_token", *args, stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""


# --- the profile page ---------------------------------------------------------------------------


def test_the_profile_makes_a_token_and_shows_it_once(client, cast):
    client.force_login(cast.member)
    response = client.post(
        reverse("accounts:token_create"), {"name": "Datavarehus", "scope": "write", "days": "30"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert token_for_secret(secret).user == cast.member
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Datavarehus" in profile and secret not in profile
    assert secret[:12] in profile  # the prefix, to tell tokens apart


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scope": "read", "days": "30"},
        {"name": "a\r\nb", "scope": "read", "days": "30"},
        {"name": "x" * 20_000, "scope": "read", "days": "30"},
        {"name": "ok", "scope": "admin", "days": "30"},
        {"name": "ok", "scope": "read", "days": "-5"},
        {"name": "ok", "scope": "read", "days": "99999999999999999999"},
        {"name": "ok", "scope": "read", "days": "tre"},
        {"name": "o\x00k", "scope": "read", "days": "3"},
    ],
)
def test_the_profile_refuses_bad_token_input_without_making_one(client, cast, data):
    client.force_login(cast.member)
    response = client.post(reverse("accounts:token_create"), data)
    assert response.status_code == 200
    assert response.context["token_form"].errors
    assert not AccessToken.objects.exists()


def test_the_profile_lists_tokens_with_last_use_and_revokes_them(client, cast):
    token, secret = token_create(user=cast.member, name="Datavarehus", scope="read", days=30)
    client.get(ME, **bearer(secret))
    client.force_login(cast.member)
    page = client.get(reverse("accounts:profile"))
    assert page.context["tokens"][0].last_used_at is not None
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_no_one_revokes_another_persons_token(client, cast):
    token, _ = token_create(user=cast.member, name="Datavarehus", scope="read", days=30)
    client.force_login(cast.administrator)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_page_lists_tokens_in_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    for i in range(15):
        token_create(user=cast.member, name=f"Nøgle {i}", scope="read", days=30)
    client.force_login(cast.member)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("accounts:profile"))
    assert response.content.decode().count("Nøgle ") >= 15
