"""A stopped Redis makes the cache miss, never the page fail (core/cache.py)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from core.cache import TolerantRedisCache
from tests.servers import free_port

UNREACHABLE = {
    "BACKEND": "core.cache.TolerantRedisCache",
    "LOCATION": "",  # set per test: a port nothing listens on
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}


@pytest.fixture
def unreachable() -> dict:
    return {**UNREACHABLE, "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}


def test_reads_miss_and_writes_are_skipped_when_redis_is_down(unreachable) -> None:
    cache = TolerantRedisCache(unreachable["LOCATION"], {"OPTIONS": unreachable["OPTIONS"]})
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get("key", default="fallback") == "fallback"
    assert cache.get_many(["key"]) == {}
    assert cache.add("key", "value") is False
    assert cache.delete("key") is False
    assert "key" not in cache


def test_a_signed_in_page_answers_while_redis_is_down(cast, client, unreachable) -> None:
    client.force_login(cast.steering)
    # As in production: Redis (unreachable) behind each worker's copies of versioned parts.
    mine = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "down"}
    caches = {"default": unreachable, "ratelimit": unreachable, "versioned": mine}
    with override_settings(CACHES=caches):
        client.force_login(cast.steering)
        response = client.get(reverse("status:regions"))
        assert response.status_code == 200
        assert client.get(reverse("status:regions")).status_code == 200


def test_the_cache_is_shared_through_redis_when_there_is_one(redis_server) -> None:
    first = TolerantRedisCache(redis_server.url, {"KEY_PREFIX": "t"})
    second = TolerantRedisCache(redis_server.url, {"KEY_PREFIX": "t"})
    first.set("roles", {"teams": [1]})
    assert second.get("roles") == {"teams": [1]}


def test_one_redis_client_serves_every_call(redis_server) -> None:
    """Building a `redis.Redis` per call cost a third of a millisecond each (core/cache.py)."""
    cache = TolerantRedisCache(redis_server.url, {"KEY_PREFIX": "reuse"})
    cache.set("a", 1)
    assert cache.get("a") == 1
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    cache.delete("a")
    assert cache.get("a") is None
