"""The outbox: one row per message the portal sends, whatever the channel.

A row holds what to say as a template code and parameters (never finished text), so it
is rendered in the recipient's language when it goes out and reads in the reader's
language in the admin. The row is written in the same transaction as the change that
causes it and announced to the worker on commit (core.queue)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LINE = "line", _("LINE")


class RecipientKind(models.TextChoices):
    USER = "user", _("Portal user")
    VENDOR = "vendor", _("Vendor")
    PARTICIPANT = "participant", _("Session participant")
    ADDRESS = "address", _("Address only")
    # Several addresses in one message (SDO's reminders): `address` holds the To: list.
    GROUP = "group", _("Staff group")


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # A worker died after claiming an e-mail: it may or may not have gone out, and
        # SMTP cannot tell us. Staff decide (the admin's "retry").
        UNCERTAIN = "uncertain", _("Unknown: check before retrying")
        CANCELLED = "cancelled", _("Cancelled")

    recipient_kind = models.CharField(
        _("recipient kind"), max_length=12, choices=RecipientKind.choices
    )
    recipient_id = models.PositiveIntegerField(_("recipient id"), null=True, blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=255, blank=True)
    # An e-mail address or a LINE userId, as the channel needs.
    address = models.CharField(_("address"), max_length=2000)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    template = models.CharField(_("template"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    context = models.JSONField(_("parameters"), default=dict, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # LINE's X-Line-Retry-Key: fixed before the first try, so a retry after a lost answer
    # is recognised by LINE (409) instead of delivered twice.
    retry_key = models.UUIDField(_("retry key"), default=uuid.uuid4, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error_code = models.CharField(_("last error"), max_length=64, blank=True)
    last_error_params = models.JSONField(_("last error details"), default=dict, blank=True)
    channel_message_id = models.CharField(_("id given by the channel"), max_length=255, blank=True)
    fallback_for = models.ForeignKey(
        "self",
        verbose_name=_("fallback for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fallbacks",
    )
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

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient_kind", "recipient_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.get_channel_display()} {self.recipient_name}"


class LineLink(models.Model):
    """A vendor's LINE account as the webhook bound it (the userId LINE gave us, never
    the LINE ID a person types)."""

    class Status(models.TextChoices):
        LINKED = "linked", _("Linked")
        # LINE refused a push (the vendor blocked the account): e-mail takes over.
        BROKEN = "broken", _("Blocked by the vendor")
        UNLINKED = "unlinked", _("Unfollowed")

    vendor = models.OneToOneField(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.CASCADE,
        related_name="line_link",
    )
    line_user_id = models.CharField(_("LINE user id"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LINKED
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")

    def __str__(self) -> str:
        return f"{self.vendor} ({self.get_status_display()})"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.LINKED


class LineLinkCode(models.Model):
    """A one-time code the vendor sends to the LINE account to link it."""

    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.CASCADE,
        related_name="line_link_codes",
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("LINE link code")
        verbose_name_plural = _("LINE link codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code


class LineWebhookEvent(models.Model):
    """webhookEventIds already handled: LINE redelivers, and a redelivery changes nothing."""

    event_id = models.CharField(_("webhook event id"), max_length=64, unique=True)
    event_type = models.CharField(_("type"), max_length=32)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LINE webhook event")
        verbose_name_plural = _("LINE webhook events")
        ordering = ["-received_at"]


class StaffPreference(models.Model):
    """How a portal user hears that something became their turn: an e-mail each time, one
    daily digest of their to-do list, or nothing (the to-do list on the home page stays)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail each time something becomes my turn")
        DAILY = "daily", _("One daily digest of my to-do list")
        OFF = "off", _("No e-mail: I look at my to-do list")

    class Language(models.TextChoices):
        THAI = "th", _("Thai")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_preference",
    )
    delivery = models.CharField(
        _("notifications"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    language = models.CharField(
        _("language of the e-mails"), max_length=8, choices=Language.choices, default="th"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
