"""Numbers from the address bar: an id is a positive bigint or nothing, never an exception."""

from __future__ import annotations

# The largest value of PostgreSQL's (and SQLite's) bigint, the type of every id.
MAX_ID = 2**63 - 1


def id_from(text: str | None) -> int | None:
    """`text` as an id, or None when it is empty, not a plain number, below 1 or too big."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
