"""The record of an uploaded workbook, from its check (the preview) to its write.

Both imports of the portal keep one (`vendors.VendorImportJob`, `outcomes.OutcomeUpload`),
built from `UploadRecord` (and `QueuedUploadRecord` when a worker does the work) and
moved through its life by `core.spreadsheets.lifecycle`. An app adds its statuses, its
`file` field (where its files go) and what the upload is for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_plan_path(instance: UploadRecord, filename: str) -> str:
    # Kept beside nothing the user named: a random name is enough, as for the upload.
    import uuid

    return f"imports/plans/{uuid.uuid4().hex}.plan"


class UploadRecord(models.Model):
    """The file, its size and SHA-256, the report shown as the preview, and the plan the
    check made, kept for the confirmation (`plan_file`, see lifecycle.keep_plan)."""

    #: the status of a record waiting for its confirmation: it keeps its plan
    READY_STATUS = "ready"
    #: the end states both imports share: written, failed, or outrun by a change of
    #: the records it planned to write (nothing was written)
    DONE_STATUS = "done"
    FAILED_STATUS = "failed"
    STALE_STATUS = "stale"

    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    fingerprint = models.CharField(_("plan fingerprint"), max_length=64, blank=True)
    plan_file = models.FileField(
        _("checked plan"), upload_to=stored_plan_path, blank=True, editable=False
    )
    ignore_extra_columns = models.BooleanField(
        _("ignore columns not in the template"),
        default=False,
        help_text=_("The uploader chose to import the file without its unknown columns."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    # Where the record stands, for the pages (no template compares a status).
    @property
    def awaits_confirmation(self) -> bool:
        return self.status == self.READY_STATUS

    @property
    def is_done(self) -> bool:
        return self.status == self.DONE_STATUS

    @property
    def is_failed(self) -> bool:
        return self.status == self.FAILED_STATUS

    @property
    def is_stale(self) -> bool:
        return self.status == self.STALE_STATUS


class QueuedUploadRecord(UploadRecord):
    """An upload a Celery worker checks and writes: its progress, the tries, and the
    worker's sign of life (core.heartbeat) while it checks."""

    #: the status in which a worker stamps `heartbeat_at` (set by the subclass)
    BEATING_STATUS = ""

    if TYPE_CHECKING:  # each subclass declares its own status field and choices
        status: str

    progress_done = models.PositiveIntegerField(_("rows processed"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Stamped when a worker claims the job and while it checks (core.heartbeat).
    heartbeat_at = models.DateTimeField(_("last sign of the worker"), null=True, blank=True)

    class Meta(UploadRecord.Meta):
        abstract = True

    @property
    def is_stalled(self) -> bool:
        """A check whose worker has given no sign of life for a while (an import cannot
        stamp its row while it writes; the sweep finds a dead one by its row lock)."""
        from core.heartbeat import stall_cutoff

        return (
            self.status == self.BEATING_STATUS
            and self.heartbeat_at is not None
            and self.heartbeat_at < stall_cutoff()
        )

    @property
    def is_checking(self) -> bool:
        return self.status == self.BEATING_STATUS

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
