"""One reminder to send, as the scan finds it and the worker sends it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Due:
    """One reminder to send: the same four values as the unique constraint of SentReminder."""

    kind: str
    object_id: int
    recipient_id: int
    occasion: str

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.kind, self.object_id, self.recipient_id, self.occasion)
