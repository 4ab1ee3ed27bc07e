"""How long the portal keeps the workbooks users upload, and their removal on erasure.

A vendor workbook or an outcome form holds owners' names, e-mails and phone numbers. Once
imported it is needed no more: after settings.UPLOAD_RETENTION_DAYS the stored file is
deleted (Celery beat `purge-source-files`, or `manage.py purge_source_files`); the row, its
name, size and SHA-256 stay, so the audit trail still says what was imported and when. A
PDPA erasure deletes at once every file still kept that names the person, and removes them
from the import reports stored with those rows (privacy.services).

The apps whose rows keep an upload register them here (register_source_files).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceFiles:
    """A model whose rows keep an uploaded (or generated) file in `file`: statuses whose
    worker still reads it (left alone) and statuses waiting for a confirmation that needs
    it."""

    model: type[models.Model]
    running: frozenset[str]
    waiting: frozenset[str]
    failed: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


# Filled by the apps that keep uploads, in their AppConfig.ready(): core knows no app.
_KINDS: dict[str, SourceFiles] = {}


def register_source_files(kind: SourceFiles) -> None:
    _KINDS[kind.label] = kind


def source_file_kinds() -> list[SourceFiles]:
    return list(_KINDS.values())


def _rows(kind: SourceFiles) -> models.QuerySet[Any]:
    """Rows of the kind's model. Any: each registered model has `file`, `status`,
    `last_error` and `report`, which type[Model] cannot say."""
    return kind.model._default_manager.all()


def _kept(kind: SourceFiles) -> models.QuerySet[Any]:
    return _rows(kind).exclude(file="").exclude(status__in=kind.running)


def source_file_forget(kind: SourceFiles, row: Any, *, why: str) -> None:
    """Delete the stored file and keep the row; a preview still waiting can no longer be
    confirmed and says why. `why` is in the portal's default language, as a worker's
    error is stored."""
    name = row.file.name
    row.file = ""
    fields = ["file"]
    # The plan a check kept for the confirmation holds the file's rows too.
    plan = getattr(row, "plan_file", None)
    if plan:
        names = [name, plan.name]
        row.plan_file = ""
        fields.append("plan_file")
    else:
        names = [name]
    if row.status in kind.waiting:
        row.status = kind.failed
        row.last_error = why
        fields += ["status", "last_error"]
    if any(f.name == "updated_at" for f in row._meta.concrete_fields):
        fields.append("updated_at")
    row.save(update_fields=fields)
    # The file goes once the row no longer points at it; if the transaction rolls back
    # the row keeps a name whose file is gone, which every reader already handles.
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def source_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files uploaded more than UPLOAD_RETENTION_DAYS ago. Returns how many."""
    days = settings.UPLOAD_RETENTION_DAYS
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with translation.override(settings.LANGUAGE_CODE):
        why = _(
            "The uploaded file was deleted after %(days)s days (retention period); upload it again."
        ) % {"days": days}
    count = 0
    for kind in source_file_kinds():
        for pk in _kept(kind).filter(created_at__lt=cutoff).values_list("pk", flat=True):
            with transaction.atomic():
                row = _kept(kind).select_for_update().filter(pk=pk).first()
                if row is None:
                    continue
                source_file_forget(kind, row, why=why)
                count += 1
    return count


def _workbook_text(name: str) -> str | None:
    """Every cell of a kept workbook as one lower-case text; None if it cannot be read."""
    import openpyxl

    try:
        with default_storage.open(name, "rb") as stream:
            data = stream.read()
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return "\n".join(
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            ).lower()
        finally:
            book.close()
    except Exception:  # a broken upload: it may hold anything
        logger.warning("Source file %s could not be read for an erasure", name)
        return None


def _scrub(value: object, scrub_text: Callable[[str], str]) -> object:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return [_scrub(v, scrub_text) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, scrub_text) for k, v in value.items()}
    return value


def source_files_erase(
    *, needles: set[str], scrub_text: Callable[[str], str]
) -> dict[str, dict[str, int]]:
    """For an erasure: delete every kept file that holds one of the person's values (or
    cannot be read), and remove them from the stored import reports. `needles` are only
    values long enough not to match unrelated text. Returns, per model, how many files
    were deleted and reports rewritten."""
    lowered = [n.lower() for n in needles]
    with translation.override(settings.LANGUAGE_CODE):
        why = _("The uploaded file was deleted: it held personal data that was erased.")
    touched: dict[str, dict[str, int]] = {}
    for kind in source_file_kinds():
        files = reports = 0
        for row in kind.model.objects.select_for_update().exclude(status__in=kind.running):
            # A generated file (the audit trail's export) has no stored report.
            stored = getattr(row, "report", None)
            report = _scrub(stored, scrub_text)
            if report != stored:
                row.report = report
                row.save(update_fields=["report"])
                reports += 1
            if not row.file or not default_storage.exists(row.file.name):
                continue
            text = _workbook_text(row.file.name)
            if text is None or any(n in text for n in lowered):
                source_file_forget(kind, row, why=why)
                files += 1
        if files or reports:
            touched[kind.label] = {"live": reports, "history": 0, "files": files}
    return touched
