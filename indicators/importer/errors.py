"""What the importer raises: a file it cannot use, or a row refused while writing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indicators.importer.rows import Row


class RowMessage(str):
    """A row's message, which also knows the field it is about (`None`: the row as a whole).

    The pages show it as the text it is; the API names the field beside it."""

    field: str | None

    def __new__(cls, text: str, field: str | None = None) -> RowMessage:
        message = super().__new__(cls, text)
        message.field = field
        return message


class UploadError(Exception):
    """The file as a whole cannot be read; `messages` say why, in Danish."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class RowWriteError(Exception):
    """A row was refused while writing; the transaction is rolled back."""

    def __init__(self, row: Row, messages: list[str]) -> None:
        super().__init__(f"row {row.line}: {' '.join(messages)}")
        self.row = row
        self.messages = messages
