"""Redis as Django's cache, in a form that a stopped Redis cannot take the portal down with.

The cache holds what can always be had again from PostgreSQL (sessions under `cached_db`, the
roles of `accounts.roles`, rendered charts and tables), so when Redis does not answer a read is
a miss and a write is skipped: the page is slower, not broken (`make faults` stops Redis under
load).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
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


class TolerantRedisCache(RedisCache):
    """Django's RedisCache; when Redis is unreachable, reads miss and writes are skipped."""

    get = _unless_down(RedisCache.get, _given_default)
    get_many = _unless_down(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _unless_down(RedisCache.has_key, lambda *args, **kwargs: False)
    set = _unless_down(RedisCache.set, lambda *args, **kwargs: None)
    add = _unless_down(RedisCache.add, lambda *args, **kwargs: False)
    delete = _unless_down(RedisCache.delete, lambda *args, **kwargs: False)
