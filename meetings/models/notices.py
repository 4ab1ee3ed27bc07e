from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import Session

# Why a notice was not sent, stored as an id and its parameters and rendered for the reader:
# the worker that stores it has no reader.
NOTICE_ERRORS = {
    "session_cancelled": _("The session was cancelled before the e-mail went out."),
    "send_failed": _("The e-mail could not be sent: %(error)s"),
}


class ParticipantNotice(models.Model):
    """An invitation or reminder e-mail to one participant, in their language and time."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    recipient_name = models.CharField(_("recipient"), max_length=255)
    recipient_email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8)
    time_zone = models.CharField(_("time zone"), max_length=64)
    # One reminder per recipient per start time: a moved session gets a new reminder.
    session_starts_at = models.DateTimeField(_("session start when sent"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)  # in English, for the logs
    # {"id": a NOTICE_ERRORS key, "params": {...}}; shown through `error_message`.
    error = models.JSONField(_("error"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A run claims the row (SENDING) and commits before it talks to SMTP, so no lock is
    # held across the network; claimed_by is the Celery task's id.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("participant e-mail")
        verbose_name_plural = _("participant e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "recipient_email", "session_starts_at"],
                name="participantnotice_once_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_email}"

    @property
    def error_message(self) -> str:
        """The last error in the active language."""
        template = NOTICE_ERRORS.get(self.error.get("id", "")) if self.error else None
        if template is None:
            return self.last_error
        return str(template) % (self.error.get("params") or {})
