"""Rows that record work handed to the outside: vendor links and their e-mail, reminders
to SDO, uploaded outcome forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import thai
from core.spreadsheets.records import UploadRecord

from .submissions import ReportingPeriod, Submission


class VendorLink(models.Model):
    """A signed, expiring link with which one vendor fills in one submission, without an
    account. The token carries this row's id; the row lets SDO revoke the link and
    records the e-mail that delivered it."""

    class EmailStatus(models.TextChoices):
        NOT_SENT = "not_sent", _("Not e-mailed (copied by SDO)")
        PENDING = "pending", _("E-mail waiting to be sent")
        SENT = "sent", _("E-mailed")
        FAILED = "failed", _("E-mail failed")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="vendor_links",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    email = models.EmailField(_("sent to"), blank=True)
    email_status = models.CharField(
        _("e-mail status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NOT_SENT
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_last_error = models.TextField(_("last e-mail error"), blank=True)
    email_sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vendor link")
        verbose_name_plural = _("vendor links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.submission} ({thai.short_date(self.expires_at)})"


class ReminderNotice(models.Model):
    """One reminder e-mail to SDO about a period's vendors still missing: a row per
    notice, so a rerun of the nightly task never sends the same notice twice."""

    class Kind(models.TextChoices):
        DUE_IN_7_DAYS = "due_7", _("Due in 7 days")
        DUE_TOMORROW = "due_1", _("Due tomorrow")
        OVERDUE = "overdue", _("Overdue")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NOTHING_TO_SEND = "nothing", _("Nothing missing: not sent")

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)
    missing_vendors = models.JSONField(_("vendors still missing"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="reminder_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.get_kind_display()}"


def outcome_upload_path(instance: OutcomeUpload, filename: str) -> str:
    return f"outcome-uploads/{instance.submission_id}/{filename}"


class OutcomeUpload(UploadRecord):
    """An uploaded outcome form between its check (the preview) and its write. The file
    is kept (never under a public URL) so that the write reads exactly what was previewed."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        DONE = "done", _("Imported")
        STALE = "stale", _("The submission changed since the preview")
        FAILED = "failed", _("Failed")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="uploads",
    )
    file = models.FileField(_("file"), upload_to=outcome_upload_path)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta(UploadRecord.Meta):
        verbose_name = _("uploaded outcome form")
        verbose_name_plural = _("uploaded outcome forms")
