"""A programme's pages (its results page and its parts, the learning library) rendered once
per version of the programme's data, not on every request.

The version has two halves. One query of counters that every portal write moves: the
programme's series summaries (`refresh_summaries` replaces them, with new ids, at the end of
every write of measurements and chart changes), its PDSA cycles (`updated_at` and their
number), its teams' progress scores (`set_at` and their number) and its driver diagram's
revisions (every change of drivers and ideas writes one). And a token per programme in the
cache, renewed when a write is made (and again once it is committed) to the programme itself
or to one of its teams, indicators (and their definition versions, baselines and splits),
drivers or change ideas, or to a region (its name is on every programme's results page), also
in the admin, where no counter moves. A token lost from the cache is a new token,
never an old one, so a lost token costs a render, never a stale page. The day is in the key
too (which months are provisional depends on it).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation

from core.cache import versioned_get, versioned_set
from indicators.models import ChartChange, Indicator, IndicatorVersion, SeriesSummary
from programmes.models import ChangeIdea, DiagramRevision, Driver, Programme, Region
from teams.models import ImprovementTeam, PDSACycle, ProgressScore

# A token renewal lost while the cache was unreachable shows within this time.
PAGE_CACHE_SECONDS = 3600


def _version_sql() -> str:
    """Scalar subqueries, each over one programme's rows (only our own table names in it)."""
    q = connection.ops.quote_name
    team = q(ImprovementTeam._meta.db_table)
    cycles = f"FROM {q(PDSACycle._meta.db_table)} c JOIN {team} t ON t.id = c.team_id"
    scores = f"FROM {q(ProgressScore._meta.db_table)} c JOIN {team} t ON t.id = c.team_id"
    summaries = (
        f"FROM {q(SeriesSummary._meta.db_table)} s "
        f"JOIN {q(Indicator._meta.db_table)} i ON i.id = s.indicator_id"
    )
    revisions = f"FROM {q(DiagramRevision._meta.db_table)}"
    parts = [
        f"(SELECT MAX(s.id) {summaries} WHERE i.programme_id = %(p)s)",
        f"(SELECT MAX(c.updated_at) {cycles} WHERE t.programme_id = %(p)s)",
        f"(SELECT COUNT(*) {cycles} WHERE t.programme_id = %(p)s)",
        f"(SELECT MAX(c.set_at) {scores} WHERE t.programme_id = %(p)s)",
        f"(SELECT COUNT(*) {scores} WHERE t.programme_id = %(p)s)",
        f"(SELECT MAX(id) {revisions} WHERE programme_id = %(p)s)",
    ]
    return "SELECT " + ", ".join(parts)  # noqa: S608


def _token_key(programme_id: int) -> str:
    return f"programme-page-token:{programme_id}"


def _new_token(programme_id: int) -> str:
    """A token for a programme that has none (never written, or evicted)."""
    cache.add(_token_key(programme_id), uuid.uuid4().hex, None)
    return cache.get(_token_key(programme_id)) or uuid.uuid4().hex


def _counters(programme: Programme) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), {"p": programme.pk})
        return tuple(cursor.fetchone())


def cached_page_part(
    name: str, programme: Programme, params: Iterable[Any], render: Callable[[], Any]
) -> Any:
    """`render()`'s result for this version of the programme's data, the language, the day and
    `params` (whatever else the part depends on: the chart kind, the person's teams, …).

    One query (the counters), the token from the shared cache, and the part (kept with the
    token it was rendered under) from this worker's copy or the shared cache."""
    parts = [
        name,
        programme.pk,
        _counters(programme),
        translation.get_language(),
        timezone.localdate().isoformat(),
        list(params),
    ]
    key = "programme-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    token = cache.get(_token_key(programme.pk)) or _new_token(programme.pk)
    # The part is kept with the token it was rendered under, so this worker's copy of it is
    # as good as the shared one: it counts only while the token is the programme's.
    kept = versioned_get(key)
    if kept is not None and kept[0] == token:
        return kept[1]
    value = render()
    versioned_set(key, (token, value), PAGE_CACHE_SECONDS)
    return value


def _programme_ids(instance: Any) -> list[int]:
    """The programmes whose pages show the instance (a region: its name is in every one)."""
    if isinstance(instance, Programme):
        return [instance.pk]
    if isinstance(instance, Region):
        return list(Programme.objects.values_list("pk", flat=True))
    if isinstance(instance, ChartChange | IndicatorVersion):
        found = Indicator.objects.filter(pk=instance.indicator_id)
        return list(found.values_list("programme_id", flat=True))
    return [instance.programme_id]


def renew_token(sender: type, instance: Any, **kwargs: Any) -> None:
    """New tokens for the instance's programmes, now and once the write is committed."""
    keys = [_token_key(programme_id) for programme_id in _programme_ids(instance)]

    def renew() -> None:
        for key in keys:  # one by one: `set` is the write that tolerates an unreachable cache
            cache.set(key, uuid.uuid4().hex, None)

    # Now, for this transaction's own reads, and again once committed: a part rendered by
    # another request in between, of the data before the commit, is then never reused.
    renew()
    transaction.on_commit(renew)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    models = (
        Region,
        Programme,
        ImprovementTeam,
        Indicator,
        IndicatorVersion,
        ChartChange,
        Driver,
        ChangeIdea,
    )
    for model in models:
        for signal in (post_save, post_delete):
            uid = f"page-cache-{model.__name__}-{signal}"
            signal.connect(renew_token, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        renew_token, sender=ChangeIdea.indicators.through, dispatch_uid="page-cache-idea-indicators"
    )
