"""Redis as Django's cache, in a form that a stopped Redis cannot take the portal down with.

The cache holds what can always be had again from PostgreSQL (sessions under `cached_db`, the
roles of `accounts.roles`, rendered charts and tables), so when Redis does not answer a read is
a miss and a write is skipped: the page is slower, not broken (`make faults` stops Redis under
load).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    """Django's RedisCache; when Redis is unreachable, reads miss and writes are skipped."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _DOWN:
            logger.warning("Cache unreachable: read of %s missed", key)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        try:
            return super().get_many(keys, version)
        except _DOWN:
            logger.warning("Cache unreachable: read of %d keys missed", len(keys))
            return {}

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except _DOWN:
            logger.warning("Cache unreachable: write of %s skipped", key)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _DOWN:
            logger.warning("Cache unreachable: write of %s skipped", key)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _DOWN:
            logger.warning("Cache unreachable: deletion of %s skipped", key)
            return False

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except _DOWN:
            return False
