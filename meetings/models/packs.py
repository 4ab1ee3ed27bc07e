"""The coordination pack FAO sends each city of a session, and the participants the city
enters through it (issue #17)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .sessions import CityParticipant, Session


def new_pack_token() -> str:
    return secrets.token_urlsafe(32)


class CityPack(models.Model):
    """One city's pack for one session; its token opens the page, the PDF and the form
    without an account."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="city_packs"
    )
    city = models.ForeignKey(
        "cities.SisterCity",
        verbose_name=_("sister city"),
        on_delete=models.PROTECT,
        related_name="session_packs",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_pack_token)
    enabled = models.BooleanField(_("link enabled"), default=True)
    expires_at = models.DateTimeField(_("link expires at"))
    revoked_at = models.DateTimeField(_("link withdrawn at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Counts the sendings: each is its own message in the outbox, a repeat of one is not.
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    participants_submitted_at = models.DateTimeField(
        _("participants submitted at"), null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("coordination pack")
        verbose_name_plural = _("coordination packs")
        ordering = ["session", "city__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["session", "city"], name="citypack_unique_city"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.city}"


class PackParticipant(models.Model):
    """A participant the city entered on its form, waiting for FAO's review; only an
    accepted one becomes a CityParticipant, and only those are invited."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    pack = models.ForeignKey(
        CityPack,
        verbose_name=_("coordination pack"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    participant = models.ForeignKey(
        CityParticipant,
        verbose_name=_("city participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participant entered by the city")
        verbose_name_plural = _("participants entered by the city")
        ordering = ["pack", "position", "pk"]

    def __str__(self) -> str:
        return self.name
