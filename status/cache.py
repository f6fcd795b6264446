"""The rendered overview table, kept until the data behind it changes (or a minute passes).

The overview's facts come from a dozen grouped queries and its table is a few hundred rendered
cells: ~150 ms at national scale, against ~4 ms for a trivial page. Every steering member sees
the same table, so it is rendered once per version of the data and reused. The version is one
query of counters that every write through the portal moves (summaries are re-computed on every
measurement and chart change, ratings are appended, programmes and seminars carry
`updated_at`, and every save of an audited row (core/audit.py: a team's status, a region renamed
in the admin) adds to the audit trail); what no counter sees (a bulk `update()`) shows within
`CACHE_SECONDS`. The regions table is kept the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from core.cache import versioned_get, versioned_set
from indicators.models import Indicator, SeriesSummary
from programmes.models import Programme, StatusRating
from seminars.models import Seminar
from teams.models import ImprovementTeam, SustainmentPlan

CACHE_SECONDS = settings.LKT_STATUS_CACHE_SECONDS


# (aggregate, model, condition): each a counter some write moves.
_COUNTERS = [
    ("MAX(computed_at)", SeriesSummary, ""),  # every refresh writes new rows (an index)
    ("MAX(id)", StatusRating, ""),
    ("MAX(updated_at)", Programme, ""),
    ("COUNT(*)", Programme, ""),
    ("MAX(id)", ImprovementTeam, ""),
    ("COUNT(*)", ImprovementTeam, ""),
    ("MAX(id)", Indicator, ""),
    ("COUNT(*)", Indicator, " WHERE is_active"),
    ("MAX(updated_at)", Seminar, ""),
    ("COUNT(*)", Seminar, ""),
    ("MAX(updated_at)", SustainmentPlan, ""),  # plan coverage of LKTs in sustainment
    ("COUNT(*)", SustainmentPlan, ""),
    # Every save of an audited row (core/audit.py): a team's status or region, a region renamed.
    ("MAX(id)", LogEntry, ""),
]


def _version_sql() -> str:
    """One SELECT of scalar subqueries; only our own table names are put into it."""
    parts = []
    for aggregate, model, condition in _COUNTERS:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT {aggregate} FROM {table}{condition})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """A fingerprint of what the overview shows, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode(), usedforsecurity=False).hexdigest()[:16]


def cached_block(name: str, params: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`build()`'s result for this data version, language, day and query string."""
    if CACHE_SECONDS <= 0:
        return build()
    parts = [
        name,
        data_version(),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        params,
    ]
    key = "status:" + hashlib.sha1("\x00".join(parts).encode(), usedforsecurity=False).hexdigest()
    block = versioned_get(key)
    if block is None:
        block = build()
        versioned_set(key, block, CACHE_SECONDS)
    return block
