from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import Session


class TeamsMeeting(models.Model):
    """The Teams meeting of a session or of its connection test, as Microsoft knows it."""

    class Purpose(models.TextChoices):
        SESSION = "session", _("Session")
        CONNECTION_TEST = "connection_test", _("Connection test")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Scheduled in Teams")
        CANCEL_REQUESTED = "cancel_requested", _("Cancellation requested")
        CANCELLED = "cancelled", _("Cancelled")
        # The create failed for good: Teams has (as far as the portal knows) no meeting.
        FAILED = "failed", _("Failed in Teams")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="teams_meetings"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    # A deliberate re-create (after a cancel) needs a new transactionId, or Graph would
    # hand back the cancelled event.
    generation = models.PositiveIntegerField(_("generation"), default=0)
    backend = models.CharField(_("backend"), max_length=16, blank=True)
    event_id = models.CharField(_("event id"), max_length=512, blank=True)
    ical_uid = models.CharField(_("iCalUId"), max_length=512, blank=True)
    change_key = models.CharField(_("change key"), max_length=255, blank=True)
    join_url = models.URLField(_("join link"), max_length=2000, blank=True)
    # Set when the event was deleted in Outlook and the portal made it anew: that happens
    # at most once per scheduling, so a meeting deleted again is not re-created forever.
    recreated_at = models.DateTimeField(_("re-created at"), null=True, blank=True)
    # A create attempt ended without an answer (timeout, lost connection, 5xx): the event
    # may exist in Outlook. A cancel must then settle it (same transactionId) and cancel it.
    create_outcome_unknown = models.BooleanField(_("create outcome unknown"), default=False)
    # The times last sent in a create, so a cancel can settle it after the session's own
    # times were cleared (a cancelled connection test).
    sent_starts_at = models.DateTimeField(_("start sent to Teams"), null=True, blank=True)
    sent_ends_at = models.DateTimeField(_("end sent to Teams"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Teams meeting")
        verbose_name_plural = _("Teams meetings")
        ordering = ["session", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["session", "purpose"], name="teamsmeeting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.get_purpose_display()}"

    @property
    def is_live(self) -> bool:
        """Requested or scheduled, so a change of time or attendees must reach Teams."""
        return self.state in (self.State.REQUESTED, self.State.ACTIVE)

    @property
    def is_joinable(self) -> bool:
        from ..policy import is_joinable

        return is_joinable(self)

    @property
    def is_local(self) -> bool:
        return self.backend == "local"


class TeamsMeetingRequest(models.Model):
    """One call asked of Teams (create, update, cancel) and what became of it."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        CANCEL = "cancel", _("Cancel")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Superseded")

    meeting = models.ForeignKey(
        TeamsMeeting,
        verbose_name=_("Teams meeting"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    generation = models.PositiveIntegerField(_("generation"), default=0)
    transaction_id = models.CharField(_("transaction id"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Attempts counted before staff's last "retry": each retry gets MAX_ATTEMPTS more, while
    # `attempts` keeps counting every call made.
    budget_start = models.PositiveSmallIntegerField(_("attempts before the last retry"), default=0)
    last_error = models.TextField(_("last error"), blank=True)  # in English, for the logs
    # The same as a message id and parameters (microsoft.errors.Message), shown to staff in
    # their language.
    error = models.JSONField(_("error"), default=dict, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A run claims the row (RUNNING) and commits before it calls Teams, so no lock is held
    # across the network; claimed_by is the Celery task's id.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    event_id = models.CharField(_("event id"), max_length=512, blank=True)
    ical_uid = models.CharField(_("iCalUId"), max_length=512, blank=True)
    change_key = models.CharField(_("change key"), max_length=255, blank=True)
    join_url = models.URLField(_("join link"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("Teams meeting request")
        verbose_name_plural = _("Teams meeting requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.meeting}"

    @property
    def error_message(self) -> str:
        """The last error in the active language."""
        from microsoft.errors import Message

        return Message.from_json(self.error).render() if self.error else self.last_error

    @property
    def waits(self) -> bool:
        from ..policy import request_waits

        return request_waits(self)

    @property
    def can_retry(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.PENDING)
