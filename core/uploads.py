"""Helpers for files users upload and the portal keeps."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


def sha256_hex(stream: IO[bytes]) -> str:
    """The SHA-256 of the whole `stream`, read in 1 MB chunks so a large upload is never
    held in memory at once; the stream is left at its start for whoever stores it."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


# Documents people exchange as letters: what each kind starts with, and the extensions a
# file of that kind may carry (the name decides how a browser opens the download).
DOCUMENT_EXTENSIONS = {
    "pdf": {".pdf"},
    "jpeg": {".jpg", ".jpeg"},
    "png": {".png"},
    "docx": {".docx"},
}
DOCUMENT_TYPE = _(
    "An attachment must be a PDF, a JPEG or PNG image or a Word document (.docx), "
    "with the matching file extension."
)
DOCUMENT_TOO_LARGE = _("The file is %(size)s MB; an attachment may be at most %(limit)s MB.")


def _document_kind(stream: IO[bytes]) -> str | None:
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        # Only the zip's directory is read, never a member: no unpacking, no zip bomb.
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            stream.seek(0)
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return "docx"
    return None


def _megabytes(size: int) -> str:
    """10485760 -> "10", 1530000 -> "1.5": enough to compare a file with the limit."""
    text = f"{size / MB:.1f}"
    return text.removesuffix(".0")


def validate_document(value: File[bytes]) -> None:
    """A field validator: a newly chosen file must be a PDF, JPEG, PNG or .docx by its
    content and its extension, and at most ATTACHMENT_MAX_BYTES."""
    if isinstance(value, FieldFile) and value._committed:  # type: ignore[attr-defined]  # Django's own flag, not in the stubs
        return  # stored before: checked when it was chosen
    limit = settings.ATTACHMENT_MAX_BYTES
    if value.size > limit:
        raise ValidationError(
            DOCUMENT_TOO_LARGE,
            code="document_too_large",
            params={"size": _megabytes(value.size), "limit": _megabytes(limit)},
        )
    kind = _document_kind(value)
    if kind is None or PurePath(value.name or "").suffix.lower() not in DOCUMENT_EXTENSIONS[kind]:
        raise ValidationError(DOCUMENT_TYPE, code="document_type")
