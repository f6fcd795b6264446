"""The API's frame: Bearer tokens, the schema, the docs page and problem+json errors."""

from __future__ import annotations

import pytest

from accounts.models import AccessToken, SecurityEvent
from accounts.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_reads_programmes_with_a_token(client, cast):
    _token, secret = token_create(user=cast.member, name="script", scope="read", days=30)
    response = client.get("/api/v1/programmes", **bearer(secret))
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["ADHD", "KOL"]
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.API_REQUEST, user=cast.member
    ).exists()


def test_it_answers_401_as_a_problem_without_a_token(client, cast):
    response = client.get("/api/v1/programmes")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["type"] == "about:blank" and body["title"]


def test_a_revoked_token_opens_nothing(client, cast):
    token, secret = token_create(user=cast.member, name="script", scope="read", days=30)
    token_revoke(token=token)
    assert client.get("/api/v1/programmes", **bearer(secret)).status_code == 401


def test_it_stores_only_a_hash(cast):
    token, secret = token_create(user=cast.member, name="script", scope="write", days=1)
    stored = AccessToken.objects.get(pk=token.pk)
    assert secret not in (stored.token_hash, stored.prefix, stored.name)
    assert secret.startswith(stored.prefix) and len(stored.prefix) < len(secret) / 3


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/programmes/999999", "/api/v1/programmes/abc"]
)
def test_unknown_addresses_are_404_problems(client, cast, path):
    _token, secret = token_create(user=cast.member, name="script", scope="read", days=30)
    response = client.get(path, **bearer(secret))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_nul_byte_is_a_400_problem(client, cast):
    response = client.get("/api/v1/programmes?x=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_wrong_method_is_a_405_problem(client, cast):
    _token, secret = token_create(user=cast.member, name="script", scope="read", days=30)
    response = client.delete("/api/v1/programmes", **bearer(secret))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_problems_speak_the_accept_language(client, cast):
    danish = client.get("/api/v1/programmes").json()["title"]
    english = client.get("/api/v1/programmes", HTTP_ACCEPT_LANGUAGE="en").json()["title"]
    assert danish != english


def test_the_schema_documents_bearer_auth_and_problems(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    listing = schema["paths"]["/api/v1/programmes"]["get"]
    assert list(listing["responses"]["401"]["content"]) == ["application/problem+json"]
    assert list(listing["responses"]["200"]["content"]) == ["application/json"]


def test_the_docs_page_loads_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert '<script src="http' not in html and 'stylesheet" href="http' not in html
