"""A buyer's contact request ("lead") sent from the showcase, and what staff make of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import SisterCity
from meetings.models import Session
from vendors.models import Product, Vendor


class Lead(models.Model):
    """One request for contact from a buyer of a sister city, about a vendor (and maybe one
    of its products), reached through the showcase link of a session and city."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        SAMPLE_SENT = "sample_sent", _("Sample sent")
        ORDERED = "ordered", _("Ordered")
        CLOSED = "closed", _("Closed")
        LOST = "lost", _("Lost")

    class Verification(models.TextChoices):
        # SDO checks that a request is real (a business, not spam) before it counts.
        PENDING = "pending", _("Not checked yet")
        CONFIRMED = "confirmed", _("Confirmed as real")
        REJECTED = "rejected", _("Rejected")

    class Messenger(models.TextChoices):
        KAKAOTALK = "kakaotalk", "KakaoTalk"
        LINE = "line", "LINE"
        WECHAT = "wechat", "WeChat"

    link = models.ForeignKey(
        "buyers.ShowcaseLink",
        verbose_name=_("showcase link"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        SisterCity, verbose_name=_("sister city"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="leads"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    buyer_city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    messenger = models.CharField(
        _("messaging app"), max_length=12, choices=Messenger.choices, blank=True
    )
    messenger_handle = models.CharField(_("messaging ID"), max_length=100, blank=True)
    interest = models.TextField(_("interested in"), max_length=2000)
    quantity = models.CharField(_("how much"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8)
    consented_at = models.DateTimeField(_("consent given at"))
    # The day in Bangkok it arrived: the KPI compares it with the session's day.
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    verification = models.CharField(
        _("checked"), max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verified_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # A repeated sending of the same request (same link, address, vendor and product
    # within a short window) finds this key and changes nothing.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "follow_up_on"])]

    def __str__(self) -> str:
        return f"{self.company} → {self.vendor_id}"


class FollowUpMeeting(models.Model):
    """A one-to-one Teams meeting staff schedule from a lead: the vendor (with SDO) and the
    buyer. Created through the same Teams backend as the sessions; its status is only what
    Teams confirmed."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for Teams")
        CONFIRMED = "confirmed", _("Confirmed by Teams")
        FAILED = "failed", _("Teams refused")

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    # Graph's transactionId: a retried create returns the first event, never a second one.
    transaction_id = models.CharField(_("transaction id"), max_length=64, blank=True)
    event_id = models.CharField(_("event id"), max_length=500, blank=True)
    join_url = models.URLField(_("join link"), max_length=2000, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up meeting")
        verbose_name_plural = _("follow-up meetings")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.lead_id} @ {self.starts_at:%Y-%m-%d %H:%M}"
