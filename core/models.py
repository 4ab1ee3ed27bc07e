from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerPing(models.Model):
    """A round trip through the broker to a Celery worker, shown on the health page.

    A ping that stays unanswered tells FAO that queued work (reports, Teams meetings)
    is waiting for a worker.
    """

    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    worker_hostname = models.CharField(_("worker"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker ping")
        verbose_name_plural = _("worker pings")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"ping {self.pk}"


class ExternalIdentity(models.Model):
    """Ties a portal user to a Microsoft Entra ID account by its immutable object id,
    since a user's principal name can change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(_("provider"), max_length=32, default="entra")
    tenant_id = models.CharField(_("tenant"), max_length=64)
    subject = models.CharField(_("object id"), max_length=64)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("Microsoft account")
        verbose_name_plural = _("Microsoft accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "tenant_id", "subject"], name="external_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class PersonalDataErasure(models.Model):
    """A record that one person's data was erased under the PDPA: who, when, why and which
    kinds of rows were touched. It never holds the erased values themselves."""

    class SubjectKind(models.TextChoices):
        VENDOR = "vendor", _("Vendor contact")
        CITY_CONTACT = "city_contact", _("City contact")
        CITY_PARTICIPANT = "city_participant", _("City participant")
        COUNTERPART = "counterpart", _("Counterpart in an outcome form")
        BUYER = "buyer", _("Buyer who asked for contact")

    subject_kind = models.CharField(_("kind of person"), max_length=16, choices=SubjectKind.choices)
    subject_id = models.PositiveBigIntegerField(_("record id"))
    reason = models.TextField(_("reason"))
    marker = models.CharField(_("marker written"), max_length=64)
    rows_touched = models.JSONField(_("rows touched"), default=dict)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data erasure")
        verbose_name_plural = _("personal data erasures")
        ordering = ["-performed_at"]

    def __str__(self) -> str:
        return f"{self.get_subject_kind_display()} #{self.subject_id}"


class FormSubmission(models.Model):
    """One sending of a form page, by the one-time token each form carries
    (core/once.py): a repeat of it (a double click, a resend after Back) is answered with
    where the first one led instead of doing the change again. Kept a day."""

    token = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=2000)
    # Where the first sending led (its redirect); empty while it runs.
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.path


def audit_export_path(instance: AuditExport, filename: str) -> str:
    # A random name: the file is reached only through the permission-checked download.
    import uuid

    return f"exports/audit/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A file the worker writes for one reader (core.export_jobs): what was asked (filters,
    language), how far it got, its tries, and the file, served only by a permission-checked
    view and deleted by retention. Concrete kinds: the audit trail's export here, the
    outcome lines in outcomes; each declares its own `file` (its folder) and Meta."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="th")
    progress_done = models.PositiveIntegerField(_("rows written"), default=0)
    progress_total = models.PositiveIntegerField(_("rows to write"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    file = models.FileField(_("file"), blank=True, max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    # The page's rules, here so that its template compares no status (issue #14 item 5).
    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_writing(self) -> bool:
        """Being written, with the row count known: the page can say how far it got."""
        return self.status == self.Status.RUNNING and bool(self.progress_total)

    @property
    def is_retrying(self) -> bool:
        """Back in the queue after a failed try: the worker will try again."""
        return self.status == self.Status.QUEUED and bool(self.last_error)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class AuditExport(ExportJob):
    """One export of the audit trail to Excel, built by a worker (issue #16, item 4): at
    12,000 rows it took 5–6 s inside the request. Keeps the page's filters, the reader's
    language, its progress and tries, and the file, which holds who changed what (names,
    and the changed values: personal data), deleted after UPLOAD_RETENTION_DAYS."""

    file = models.FileField(_("file"), upload_to=audit_export_path, blank=True, max_length=300)

    class Meta(ExportJob.Meta):
        verbose_name = _("audit trail export")
        verbose_name_plural = _("audit trail exports")

    def __str__(self) -> str:
        return f"audit export {self.pk}"
