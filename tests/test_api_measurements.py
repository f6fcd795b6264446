"""POST /api/v1/measurements: the bulk write over HTTP — statuses, problem+json, the token's
person in the history, the upload's words in Danish and English, hostile bodies never a 500."""

from __future__ import annotations

import json

import pytest

from accounts.tokens import token_create
from indicators.models import Measurement
from tests import test_import_files

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = "/api/v1/measurements"
PROBLEM = "application/problem+json"

# The upload tests' KOL team “Ærø Kommune” with its member, a proportion and a count.
data = test_import_files.data


def bearer(user, scope: str = "write") -> dict[str, str]:
    _token, secret = token_create(user=user, name="script", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, body, auth, *, content_type: str = "application/json", **headers):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data=raw, content_type=content_type, **auth, **headers)


def month(data, numerator: object = 7) -> list[dict]:
    return [
        {
            "team": "Ærø Kommune",
            "indicator": "Andel med træningstilbud",
            "period": "2024-03",
            "numerator": numerator,
            "denominator": 10,
        },
        {"team": data.aero.pk, "indicator": data.count.pk, "period": "2024-03", "value": 3},
    ]


def test_it_creates_then_leaves_alone_then_corrects(client, data) -> None:
    auth = bearer(data.user)

    first = post(client, month(data), auth)
    again = post(client, month(data), auth)
    corrected = post(client, month(data, numerator=8), auth)

    assert (first.status_code, first.json()) == (201, {"created": 2, "updated": 0, "unchanged": 0})
    assert (again.status_code, again.json()) == (200, {"created": 0, "updated": 0, "unchanged": 2})
    assert corrected.json() == {"created": 0, "updated": 1, "unchanged": 1}
    assert Measurement.history.count() == 3
    assert set(Measurement.history.values_list("history_user", flat=True)) == {data.user.pk}


def test_the_history_names_the_tokens_person_not_someone_logged_in(client, data) -> None:
    client.force_login(data.cast.administrator)
    post(client, month(data), bearer(data.user))
    assert {m.history_user for m in Measurement.history.all()} == {data.user}
    assert {m.registered_by for m in Measurement.objects.all()} == {data.user}


def test_row_errors_are_a_422_problem_in_the_asked_language(client, data) -> None:
    rows = month(data, numerator=-1) + [{"team": "Samsø Kommune", "indicator": 1, "period": "x"}]
    auth = bearer(data.user)

    danish = post(client, rows, auth)
    english = post(client, rows, auth, HTTP_ACCEPT_LANGUAGE="en")

    assert danish.status_code == english.status_code == 422
    assert danish["Content-Type"] == PROBLEM
    body = danish.json()
    assert body["status"] == 422 and body["detail"].startswith("Intet er gemt: 2 rækker har fejl")
    assert body["errors"] == [
        {"row": 1, "field": "numerator", "message": "Tælleren kan ikke være negativ."},
        {
            "row": 3,
            "field": "period",
            "message": "“x” er ikke en periode. "
            "Skriv måneden som f.eks. 2025-01 eller januar 2025.",
        },
        {"row": 3, "field": "team", "message": "Ukendt team: “Samsø Kommune”."},
    ]
    assert [e["message"] for e in english.json()["errors"]] == [
        "The numerator cannot be negative.",
        "“x” is not a period. Enter the month as e.g. 2025-01 or January 2025.",
        "Unknown team: “Samsø Kommune”.",
    ]
    assert Measurement.objects.count() == 0


def test_a_member_cannot_write_another_team(client, data) -> None:
    rows = [
        {"team": data.cast.kol_rm.pk, "indicator": data.count.pk, "period": "2024-03", "value": 1}
    ]
    response = post(client, rows, bearer(data.user))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 1,
            "field": "team",
            "message": "Du kan ikke registrere data for teamet Lungemedicin AUH.",
        }
    ]


@pytest.mark.parametrize("who", ["steering", "coordinator", "lead", "expert", "nobody"])
def test_a_person_without_a_team_to_write_gets_403(client, data, who) -> None:
    response = post(client, month(data), bearer(getattr(data.cast, who)))
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_a_read_token_may_not_write(client, data) -> None:
    response = post(client, month(data), bearer(data.user, scope="read"))
    assert response.status_code == 403
    assert Measurement.objects.count() == 0


def test_no_token_is_401(client, data) -> None:
    assert post(client, month(data), {}).status_code == 401


@pytest.mark.parametrize(
    "content_type", ["text/csv", "application/x-www-form-urlencoded", "text/plain", ""]
)
def test_a_body_that_is_not_json_is_415(client, data, content_type) -> None:
    response = post(client, json.dumps(month(data)), bearer(data.user), content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM


def test_too_many_rows_are_413(client, data, settings) -> None:
    settings.LKT_UPLOAD_MAX_ROWS = 1
    response = post(client, month(data), bearer(data.user))
    assert response.status_code == 413
    assert "Del den op" in response.json()["detail"]


def test_a_ten_megabyte_body_is_413_without_being_parsed(client, data) -> None:
    body = b"[" + b'{"team": 1},' * (10 * 1024 * 1024 // 12) + b"{}]"
    response = post(client, body, bearer(data.user))
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert "for stor" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"\x00",
        b"[\x00]",
        b'"text"',
        b"{}",
        b"[]",
        b"[" * 50_000 + b"]" * 50_000,
        b"[" + b"9" * 10_000 + b"]",
        b"\xff\xfe\x00[",
        b"[NaN]",
    ],
)
def test_a_body_that_is_not_a_list_of_rows_is_400(client, data, body) -> None:
    # The content type given again: Django's test client drops it for an empty body.
    response = post(client, body, bearer(data.user), CONTENT_TYPE="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "row",
    [
        {"numerator": "\x00"},
        {"team": "Ærø\x00Kommune"},
        {"comment": "a\x00b"},
        {"comment": "linje\r\nlinje\x1b[31m"},
        {"numerator": 1e308},
        {"numerator": 10**100},
        {"numerator": -5},
        {"numerator": "tolv"},
        {"numerator": {"$gt": 0}},
        {"period": "2024-02-30"},
        {"period": "0000-01"},
        {"period": "99999-01"},
        {"period": "x" * 20_000},
        {"comment": "x" * 20_000},
        {"team": [[[[[[[[[[1]]]]]]]]]]},
        {"extra": "field"},
    ],
)
def test_hostile_rows_are_422_never_500(client, data, row) -> None:
    response = post(client, [{**month(data)[0], **row}], bearer(data.user))
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert all(error["row"] == 1 for error in response.json()["errors"])
    assert Measurement.objects.count() == 0


def test_a_list_of_non_objects_is_422_row_by_row(client, data) -> None:
    response = post(client, [1, "x", None, []], bearer(data.user))
    assert response.status_code == 422
    assert {e["row"] for e in response.json()["errors"]} == {1, 2, 3, 4}


def test_the_errors_listed_are_capped(client, data, settings) -> None:
    rows = [{"team": "?", "indicator": "?", "period": "?"}] * 1_500
    response = post(client, rows, bearer(data.user))
    body = response.json()
    assert response.status_code == 422
    assert len(body["errors"]) == 1_000
    assert "1.000" in body["detail"]


def test_the_schema_documents_the_operation(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/measurements"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["type"] == "array" and body["items"]["required"] == ["team", "indicator", "period"]
    assert {"200", "201", "403", "413", "415", "422"} <= set(operation["responses"])
    assert PROBLEM in operation["responses"]["422"]["content"]
