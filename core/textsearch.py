"""Searching text fields for the words a person typed: PostgreSQL full-text search in the Danish
configuration (each word also as a prefix), elsewhere (SQLite under `make run`) every word must
occur in one of the fields. Only letters and digits reach the database."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from core.text import one_line

MAX_LENGTH = 200  # characters of a search
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")  # letters and digits: no tsquery operator, no LIKE wildcard


def words_of(query: str) -> list[str]:
    """The words searched for: letters and digits only (no operators reach the database)."""
    return _WORD.findall(one_line(query).lower())[:MAX_WORDS]


def full_text(objects: QuerySet, fields: tuple[str, ...], words: list[str]) -> QuerySet:
    """PostgreSQL: every word, or a word it begins, in the Danish text of the fields."""
    tsquery = " & ".join(f"{word}:*" for word in words)
    query = SearchQuery(tsquery, search_type="raw", config="danish")
    vector = SearchVector(*fields, config="danish")
    return (
        objects.annotate(search_rank=SearchRank(vector, query))
        .filter(search_rank__gt=0)
        .order_by("-search_rank", "pk")
    )


def contains(objects: QuerySet, fields: tuple[str, ...], words: list[str]) -> QuerySet:
    """Anywhere: every word occurs in one of the fields (case-insensitive)."""
    for word in words:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        objects = objects.filter(match)
    return objects.order_by("pk")


def matching(objects: QuerySet, fields: tuple[str, ...], words: list[str]) -> QuerySet:
    if connection.vendor == "postgresql":
        return full_text(objects, fields, words)
    return contains(objects, fields, words)
