"""Signed copies and reply attachments: PDF only, judged by content, size-capped."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
NOT_A_PDF = _("The file must be a PDF document (a scan of the signed copy); this file is not one.")
DAMAGED_PDF = _("The PDF could not be read; it may be damaged. Scan it again and upload it.")
TOO_LARGE = _("The file is %(size)s MB; a scan may be at most %(limit)s MB.")


def validate_pdf_upload(upload) -> None:
    """The browser's file name and content type are the sender's word: only the content
    counts. The size first, then the header, then pypdf reads every page."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": f"{upload.size / MB:.1f}", "limit": f"{limit / MB:.0f}"},
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(NOT_A_PDF, code="not_pdf")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload, strict=False)
        if len(reader.pages) < 1:
            raise ValidationError(DAMAGED_PDF, code="damaged_pdf")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(DAMAGED_PDF, code="damaged_pdf") from exc
    finally:
        upload.seek(0)
