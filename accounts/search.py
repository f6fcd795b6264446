"""Finding people by name or e-mail: the search behind every person picker."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from core.text import one_line

PICKER_RESULTS = 8  # a few at a time: the picker is a search, not a directory


def people_matching(people: QuerySet[User], query: str) -> QuerySet[User]:
    """`people` whose name or e-mail matches every word of `query` (two characters at least);
    nobody for a shorter query."""
    words = one_line(query).split()  # a NUL or control character typed or posted is a space
    if len("".join(words)) < 2:
        return people.none()
    for word in words[:5]:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return people.order_by("first_name", "last_name", "email")
