"""Redis as Django's cache, in a form that a stopped Redis cannot take the portal down with.

The cache holds what can always be had again from PostgreSQL (sessions under `cached_db`, the
roles of `accounts.roles`, rendered charts and tables), so when Redis does not answer a read is
a miss and a write is skipped: the page is slower, not broken (`make faults` stops Redis under
load).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _unless_down(method: Callable[..., Any], answer: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, answering `answer(*arguments)` instead when Redis cannot be reached."""

    @functools.wraps(method)
    def call(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except _DOWN:
            logger.warning("Cache unreachable: %s skipped", method.__name__)
            return answer(*args, **kwargs)

    return call


def _given_default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client holder, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every cache call, and building one sets up its reply
    callbacks (a dict of ~170 entries): about a third of a millisecond per call, several calls
    per request (the session, the roles). A `redis.Redis` over a pool is safe to share between
    threads; the connections stay the pool's.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # The pool is kept by Django for the process's life (private names, not in the stubs).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class TolerantRedisCache(RedisCache):
    """Django's RedisCache; when Redis is unreachable, reads miss and writes are skipped."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    get = _unless_down(RedisCache.get, _given_default)
    get_many = _unless_down(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _unless_down(RedisCache.has_key, lambda *args, **kwargs: False)
    set = _unless_down(RedisCache.set, lambda *args, **kwargs: None)
    add = _unless_down(RedisCache.add, lambda *args, **kwargs: False)
    delete = _unless_down(RedisCache.delete, lambda *args, **kwargs: False)


# --- Content kept under a key that names its version --------------------------------------------
#
# A rendered block, chart or page part kept under a key made from the version of what it shows
# (a data version, a stamp, a digest) never changes under that key. Each worker may therefore
# keep its own copy in memory (the "versioned" cache, a small LocMemCache in production) and skip
# the trip to Redis and the transfer of a large part (the overview's table is half a megabyte).
# A copy lives at most VERSIONED_LOCAL_SECONDS; the shared cache stays the one all workers fill.
# Only for such keys: a token, a session or roles change under the same key and never go here.

VERSIONED_LOCAL_SECONDS = 600


def _local() -> BaseCache:
    return caches["versioned"]


def versioned_get(key: str) -> Any:
    """The value kept under `key`: this worker's copy, else the shared cache's (then copied)."""
    value = _local().get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _local().set(key, value, VERSIONED_LOCAL_SECONDS)
    return value


def versioned_get_many(keys: Iterable[str]) -> dict[str, Any]:
    """`versioned_get` for several keys, with one round trip to the shared cache for those this
    worker does not hold."""
    keys = list(keys)
    found = _local().get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared = cache.get_many(missing)
        if shared:
            _local().set_many(shared, VERSIONED_LOCAL_SECONDS)
        found.update(shared)
    return found


def versioned_set(key: str, value: Any, timeout: int | None) -> None:
    cache.set(key, value, timeout)
    _local().set(key, value, _local_timeout(timeout))


def versioned_set_many(values: dict[str, Any], timeout: int | None) -> None:
    cache.set_many(values, timeout)
    _local().set_many(values, _local_timeout(timeout))


def _local_timeout(timeout: int | None) -> int:
    return VERSIONED_LOCAL_SECONDS if timeout is None else min(timeout, VERSIONED_LOCAL_SECONDS)
