"""An uploaded workbook's life, the same for every import: keep the file, check it (the
preview), keep the plan the check made, and write that plan on confirmation.

The record is a `core.spreadsheets.records.UploadRecord`; the app says which import
reads it and which of its statuses each step leads to. The plan is kept with the record
(`plan_file`), keyed by the file's SHA-256 and signed; the confirmation writes it as it
is while the records it read are unchanged (`SpreadsheetImport.state`), and otherwise,
or when the plan is missing or the file is not the one checked, checks the file again.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import pickle
from collections.abc import Callable, Collection
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from core.uploads import sha256_hex

from .importer import ImportResult, PlanItem, SpreadsheetImport, gc_paused
from .messages import Issue
from .reader import Progress

PROGRESS_EVERY = 0.05  # share of the rows between two progress writes


def record_file(
    record: Any, upload: UploadedFile, *, default_name: str, ignore_extra_columns: bool
) -> None:
    """Put the uploaded file, its name, size and SHA-256 on the (unsaved) record."""
    record.original_name = (upload.name or default_name)[:255]
    record.size = upload.size or 0
    record.sha256 = sha256_hex(upload)
    record.ignore_extra_columns = ignore_extra_columns
    record.file.save(default_name, upload, save=False)


def check(
    record: Any, importer: SpreadsheetImport, *, progress: Progress | None = None
) -> ImportResult:
    """Read and validate the stored file; a clean result's plan is kept for the
    confirmation. Writes nothing else."""
    with record.file.open("rb") as stream:
        result = importer.validate(
            stream, progress=progress, ignore_extra_columns=record.ignore_extra_columns
        )
    if result.ok:
        keep_plan(record, result)
    return result


def confirm(
    record: Any,
    importer: SpreadsheetImport,
    *,
    acting_user: User | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Write what the user previewed, in one transaction, or nothing: the kept plan when
    the records it read are unchanged, otherwise the file checked again. Raises
    PlanChanged when the plan would now differ from the preview."""
    checked = kept_plan(record)  # before the file is opened for the write: one handle
    with record.file.open("rb") as stream:
        return importer.commit(
            stream,
            acting_user=acting_user,
            expected_fingerprint=record.fingerprint,
            progress=progress,
            ignore_extra_columns=record.ignore_extra_columns,
            checked=checked,
        )


def recheck(record: Any, importer: SpreadsheetImport) -> ImportResult:
    """The file checked again, for the new preview after a PlanChanged (nothing kept)."""
    with record.file.open("rb") as stream:
        return importer.validate(stream, ignore_extra_columns=record.ignore_extra_columns)


def store_result(record: Any, result: ImportResult, status: str) -> list[str]:
    """Put the report, the status and the plan's fingerprint on the record; a record no
    longer waiting for its confirmation drops its kept plan. Returns the fields set."""
    record.report = result.as_dict()
    record.status = status
    record.fingerprint = result.plan.fingerprint if result.ok and result.plan else ""
    if status != record.READY_STATUS:
        forget_plan(record)
    return ["report", "status", "fingerprint", "plan_file"]


def preview(record: Any, language: str) -> dict[str, Any]:
    """The stored report as the preview page shows it, in `language` ("th" or "en")."""
    report = record.report or {}
    issues = [Issue.from_dict(i) for i in report.get("issues", [])]
    plan = report.get("plan") or {}
    entities = plan.get("entities", {})
    return {
        "report": report,
        "errors": [i for i in issues if i.is_error],
        "warnings": [i for i in issues if not i.is_error],
        "dropped": report.get("dropped", 0),
        "rows": report.get("rows", 0),
        "items": [PlanItem.from_dict(i) for i in plan.get("items", [])],
        "counts": [
            {
                "key": key,
                "label": entities[key][0 if language == "th" else 1] if key in entities else key,
                **value,
            }
            for key, value in plan.get("counts", {}).items()
        ],
    }


# -- the kept plan ---------------------------------------------------------------------


def _signature(data: bytes | memoryview) -> bytes:
    key = hashlib.sha256(b"core.spreadsheets.lifecycle:" + settings.SECRET_KEY.encode())
    return hmac.new(key.digest(), data, hashlib.sha256).hexdigest().encode()


_SIGNATURE_LENGTH = 64  # a SHA-256 HMAC in hex


def keep_plan(record: Any, result: ImportResult) -> None:
    """Keep the checked result (plan, payload, issues) with the record, keyed by the
    file's SHA-256 and signed, so that only this portal's own check is ever loaded."""
    if result.state is None:
        return  # the import cannot tell whether its records changed: check again then
    # One copy of the pickle in memory (tens of MB at 50,000 rows), not three: room is
    # left for the signature, which is written over it once the pickle is made.
    buffer = io.BytesIO()
    buffer.write(b"0" * _SIGNATURE_LENGTH + b"\n")
    with gc_paused():
        _PlanPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(
            {"sha256": record.sha256, "result": result}
        )
    with buffer.getbuffer() as view:
        signature = _signature(view[_SIGNATURE_LENGTH + 1 :])
    buffer.seek(0)
    buffer.write(signature)
    buffer.seek(0)
    if record.plan_file:
        forget_plan(record)
    record.plan_file.save("plan", File(buffer), save=False)


def _model_instance(cls: type[models.Model], values: dict[str, Any]) -> models.Model:
    obj = cls.__new__(cls)
    obj.__dict__ = values
    return obj


class _PlanPickler(pickle.Pickler):
    """A plan's payload holds tens of thousands of model instances: kept as their field
    values (what bulk.instance makes), which loads twice as fast as Model.__reduce__.
    The instance's own __dict__ is pickled, not a copy: the pickler's memo keeps every
    object it wrote until the end, and copies were 65 MB at 50,000 rows."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, models.Model):
            return _model_instance, (type(obj), obj.__dict__)
        return NotImplemented


def kept_plan(record: Any) -> ImportResult | None:
    """The kept result, if there is one, intact, and made from the file as it is now."""
    if not record.plan_file:
        return None
    try:
        with record.plan_file.open("rb") as stream:
            raw = stream.read()
    except OSError:
        return None
    signature = raw[:_SIGNATURE_LENGTH]
    data = memoryview(raw)[_SIGNATURE_LENGTH + 1 :]  # not a second copy of the pickle
    if raw[_SIGNATURE_LENGTH : _SIGNATURE_LENGTH + 1] != b"\n" or not hmac.compare_digest(
        signature, _signature(data)
    ):
        return None
    with gc_paused():
        kept = pickle.loads(data)  # noqa: S301 (signed above: written by keep_plan only)
    del data, raw
    with record.file.open("rb") as stream:
        if kept["sha256"] != record.sha256 or sha256_hex(stream) != record.sha256:
            return None
    result: ImportResult = kept["result"]
    return result


def forget_plan(record: Any) -> None:
    """Drop the kept plan (it names people, as the file does); the caller saves."""
    if not record.plan_file:
        return
    name = record.plan_file.name
    record.plan_file = ""
    transaction.on_commit(lambda: default_storage.delete(name))


# -- a worker's part (QueuedUploadRecord) ----------------------------------------------


# The models are QueuedUploadRecord subclasses (their fields are used by name): Any.
def claim(
    model: type[Any], record_id: int, expected: Collection[str], new: str | None = None
) -> Any | None:
    """Lock the record and check its state, so that a task delivered again for a record
    that has moved on does nothing; count the try and stamp the worker's sign of life."""
    with transaction.atomic():
        record = model.objects.select_for_update().filter(pk=record_id).first()
        if record is None or record.status not in expected:
            return None
        record.attempts += 1
        record.heartbeat_at = timezone.now()
        fields = ["attempts", "heartbeat_at", "updated_at"]
        if new is not None:
            record.status = new
            fields.append("status")
        record.save(update_fields=fields)
    return record


def progress_reporter(model: type[Any], record_id: int, status: str) -> Progress:
    """A callback that writes progress now and then, outside any transaction of the
    import, so the page sees it while the work goes on."""
    state = {"next": 0}

    def report(done: int, total: int) -> None:
        if done < state["next"] and done < total:
            return
        state["next"] = done + max(1, int(total * PROGRESS_EVERY))
        model.objects.filter(pk=record_id, status=status).update(
            progress_done=done, progress_total=total
        )

    return report


def stamp(model: type[Any], record_id: int, status: str) -> Callable[[], None]:
    """The heartbeat of a record being worked on in `status` (core.heartbeat.beating)."""

    def beat() -> None:
        model.objects.filter(pk=record_id, status=status).update(heartbeat_at=timezone.now())

    return beat
