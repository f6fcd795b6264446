"""Writes for seminar materials: add a checked file to a seminar, remove one.

The file's type is read from its bytes (`seminars.filetypes`); its name is kept only as a label,
cleaned of anything that could break a header or a path. The stored file is written through
Django's default storage and removed from it when the material goes, after the transaction.
"""

from __future__ import annotations

import os
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.text import one_line
from seminars import filetypes
from seminars.models import Seminar, SeminarMaterial

NAME_LENGTH = 120


def safe_file_name(name: str, extension: str) -> str:
    """A plain file name for the download: no path, no control characters, our extension."""
    base = os.path.basename(one_line(name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    stem = os.path.splitext(base)[0].strip(" .") or "materiale"
    stem = "".join(ch if ch not in '"/\\:*?<>|;' else "_" for ch in stem)[:NAME_LENGTH]
    return f"{stem}.{extension}"


def too_large_message(size: int) -> str:
    return _("Filen er for stor (%(size)s MB). Den må højst fylde %(limit)s MB.") % {
        "size": number_format(size / 1024 / 1024, 1),
        "limit": filetypes.MAX_BYTES // (1024 * 1024),
    }


def allowed_types_text() -> str:
    return ", ".join(kind.label for kind in filetypes.TYPES.values())


@transaction.atomic
def material_add(
    *, seminar: Seminar, upload: UploadedFile, kind: str, title: str, by: User | None
) -> SeminarMaterial:
    """Keep the uploaded file for the seminar if its content is an allowed type."""
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("Filen er tom.")})
    if upload.size > filetypes.MAX_BYTES:
        raise ValidationError({"file": too_large_message(upload.size)})
    file_type = filetypes.detect(upload)
    if file_type is None:
        raise ValidationError(
            {
                "file": _(
                    "Filens indhold er ikke en tilladt filtype. Tilladt er: %(types)s. "
                    "Filtypen afgøres af indholdet, ikke af filnavnet."
                )
                % {"types": allowed_types_text()}
            }
        )
    material = SeminarMaterial(
        seminar=seminar,
        kind=kind,
        title=(title or "").strip(),
        original_name=safe_file_name(upload.name or "", file_type.extension),
        extension=file_type.extension,
        content_type=file_type.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    material.full_clean(exclude=["file"])
    material.file.save("upload", upload, save=False)  # the name comes from `material_path`
    name = material.file.name
    try:
        material.save()
    except Exception:  # the row is not there, so neither may the file be
        material.file.storage.delete(name)
        raise
    return material


@transaction.atomic
def material_delete(*, material: SeminarMaterial, by: User | None) -> None:
    """Remove the material and, once that is committed, its stored file."""
    storage, name = material.file.storage, material.file.name
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))
