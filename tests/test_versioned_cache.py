"""Each worker's copies of parts kept under a versioned key (core.cache.versioned_*), in front of
the shared cache: a copy is served without asking the shared cache, lives no longer than the
shared entry or ten minutes, and a page whose data change gets a new key, so it never shows the
old part.

The suite's own settings turn the layer off (the default cache is already in memory there);
these tests turn it on, with a shared cache of its own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from core.cache import (
    VERSIONED_LOCAL_SECONDS,
    versioned_get,
    versioned_get_many,
    versioned_set,
    versioned_set_many,
)
from tests import factories as f
from tests.test_signed_in_cost import region_row, regions_page

LAYERS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
    "versioned": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mine"},
}


@pytest.fixture
def layers():
    with override_settings(CACHES=LAYERS):
        cache.clear()
        caches["versioned"].clear()
        yield caches["versioned"]
        cache.clear()
        caches["versioned"].clear()


def test_a_set_part_is_served_from_the_workers_copy(layers) -> None:
    versioned_set("part:v1", "<table>", 60)
    cache.delete("part:v1")  # the shared cache lost it (evicted, or Redis restarted)
    assert versioned_get("part:v1") == "<table>"


def test_a_part_another_worker_kept_is_copied_on_the_first_read(layers) -> None:
    cache.set("part:v1", "<svg>", 60)
    assert layers.get("part:v1") is None
    assert versioned_get("part:v1") == "<svg>"
    assert layers.get("part:v1") == "<svg>"
    assert versioned_get("part:v2") is None


def test_several_parts_in_one_go(layers) -> None:
    versioned_set_many({"a": 1, "b": 2}, 60)
    cache.set("c", 3, 60)
    layers.delete("b")
    assert versioned_get_many(["a", "b", "c", "d"]) == {"a": 1, "b": 2, "c": 3}
    assert layers.get_many(["a", "b", "c"]) == {"a": 1, "b": 2, "c": 3}


@pytest.mark.clock
def test_a_copy_lives_no_longer_than_the_shared_entry_nor_ten_minutes(layers, clock) -> None:
    versioned_set("short", "x", 30)
    versioned_set("forever", "y", None)
    clock.shift(dt.timedelta(seconds=31))
    assert versioned_get("short") is None
    clock.shift(dt.timedelta(seconds=VERSIONED_LOCAL_SECONDS))
    assert layers.get("forever") is None  # the worker's copy is gone …
    assert versioned_get("forever") == "y"  # … the shared one is read and copied again


def test_a_kept_page_shows_new_data_at_once_with_the_layer_on(layers, cast, client) -> None:
    client.force_login(cast.steering)
    rsd = cast.regions["rsd"]
    assert region_row(regions_page(client), rsd)[2] == 2
    assert region_row(regions_page(client), rsd)[2] == 2  # now from this worker's copy
    f.TeamFactory(programme=cast.kol, region=rsd)
    assert region_row(regions_page(client), rsd)[2] == 3
