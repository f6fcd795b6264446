"""Numbers from the address bar: too big, negative or no number is 404 or ignored, never 500."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from core.months import parse_month
from core.params import id_from

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
QUERIES = [
    {"program": HUGE},
    {"program": "-1", "team": "-5", "region": "abc", "page": "-1"},
    {"page": HUGE, "team": HUGE, "region": HUGE, "programme": HUGE, "target": f"team:{HUGE}"},
    {"page": "1e9999", "program": "1" * 5000},
    {"q": "a\x00b\x0b", "kind": "\x00", "vis": "\r\n", "when": "\x00", "status": "\x00"},
]


def _patterns():
    def walk(patterns, namespace, converters):
        for pattern in patterns:
            found = {**converters, **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace, found)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, found

    return list(walk(get_resolver().url_patterns, None, {}))


def _hostile_urls() -> list[str]:
    urls = []
    for name, converters in _patterns():
        huge = {
            key: HUGE if isinstance(c, IntConverter) else f"{HUGE}-01"
            for key, c in converters.items()
        }
        urls.append(reverse(name, kwargs=huge))
        if any(isinstance(c, IntConverter) for c in converters.values()):
            urls.append(
                reverse(
                    name,
                    kwargs={
                        key: "0" if isinstance(c, IntConverter) else "0-0"
                        for key, c in converters.items()
                    },
                )
            )
    return urls


def test_no_url_answers_500_to_a_huge_id_or_a_hostile_query(client, cast) -> None:
    failures = []
    for url in _hostile_urls():
        for query in QUERIES:
            for method in (client.get, client.post):
                client.force_login(cast.administrator)
                response = (
                    method(url, query)
                    if method is client.get
                    else method(f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}", query)
                )
                if response.status_code >= 500:
                    failures.append((method.__name__, url, query, response.status_code))
    assert failures == []


@pytest.mark.parametrize("program", [HUGE, "-1", "abc", "0"])
def test_a_region_export_with_an_impossible_programme_is_404(client, cast, program) -> None:
    client.force_login(cast.steering)

    response = client.get(
        reverse("indicators:export_region", args=[cast.regions["rm"].pk]), {"program": program}
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "text", [f"{HUGE}-01", "-1-01", "2025-13", "0-01", "abc", "", "2025", "1" * 5000 + "-01"]
)
def test_an_impossible_month_in_the_address_is_no_month(text) -> None:
    assert parse_month(text) is None


@pytest.mark.parametrize("month", [f"{HUGE}-01", "0001-01", "9999-12", "2025-13"])
def test_a_data_page_for_an_impossible_month_is_404(client, cast, month) -> None:
    client.force_login(cast.administrator)

    response = client.get(reverse("indicators:enter_month", args=[cast.kol_rm.pk, month]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (HUGE, None),
        ("-1", None),
        ("0", None),
        ("abc", None),
        ("²", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (str(2**63), None),
    ],
)
def test_an_id_from_the_address_is_a_positive_bigint_or_nothing(text, expected) -> None:
    assert id_from(text) == expected
