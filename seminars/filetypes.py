"""What an uploaded seminar material really is, read from its bytes, never from its name.

PDF, PNG and JPEG are known by their first bytes. DOCX, PPTX and XLSX are zip archives (Office
Open XML): the archive's `[Content_Types].xml` names the main part's type and the part itself
must be there. A name ending in `.pdf` on a zip is refused, and so is anything else.

Reading is bounded: the caller has already stopped the upload at `MAX_BYTES`; the zip's
directory is read by `zipfile` (seeking, not loading), and `[Content_Types].xml` only up to
`CONTENT_TYPES_BUDGET` bytes, whatever its header claims (a zip bomb inflates nothing more).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO

MAX_BYTES = 25 * 1024 * 1024
CONTENT_TYPES_BUDGET = 256 * 1024
MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class FileType:
    key: str
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "pdf", "application/pdf", "PDF")
PNG = FileType("png", "png", "image/png", "PNG")
JPEG = FileType("jpeg", "jpg", "image/jpeg", "JPEG")
DOCX = FileType(
    "docx",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
PPTX = FileType(
    "pptx",
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint (PPTX)",
)
XLSX = FileType(
    "xlsx",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (XLSX)",
)
TYPES = {kind.key: kind for kind in (PDF, PNG, JPEG, DOCX, PPTX, XLSX)}

# The main part's content type in [Content_Types].xml, and where the part lives in the zip.
_OOXML_MAIN = {
    DOCX: (
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            "application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
        "word/",
    ),
    PPTX: (
        (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
            "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        ),
        "ppt/",
    ),
    XLSX: (
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ),
        "xl/",
    ),
}
_OVERRIDE = re.compile(
    rb"<Override\b[^>]*?PartName\s*=\s*\"([^\"]+)\"[^>]*?ContentType\s*=\s*\"([^\"]+)\"", re.I
)
_OVERRIDE_REVERSED = re.compile(
    rb"<Override\b[^>]*?ContentType\s*=\s*\"([^\"]+)\"[^>]*?PartName\s*=\s*\"([^\"]+)\"", re.I
)


def detect(stream: IO[bytes]) -> FileType | None:
    """The file's type from its content, or None for anything not allowed (or empty)."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(stream)
    return None


def _ooxml(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(CONTENT_TYPES_BUDGET + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError):
        return None
    finally:
        stream.seek(0)
    if len(content_types) > CONTENT_TYPES_BUDGET:
        return None
    overrides = {name.lstrip(b"/"): kind for name, kind in _OVERRIDE.findall(content_types)}
    overrides |= {
        name.lstrip(b"/"): kind for kind, name in _OVERRIDE_REVERSED.findall(content_types)
    }
    for file_type, (main_types, folder) in _OOXML_MAIN.items():
        for part_name, kind in overrides.items():
            name = part_name.decode("utf-8", "replace")
            if kind.decode("ascii", "replace") in main_types and name.startswith(folder):
                return file_type if name in names else None
    return None
