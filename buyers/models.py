"""What a sister city's buyers see without an account: the showcase of a session's
vendors and products, opened with an unguessable link per session and city."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import SisterCity
from meetings.models import Session


def new_token() -> str:
    # 32 random bytes: the token is the only key to the page, so it must not be guessable
    # and carries no id the visitor could change.
    return secrets.token_urlsafe(32)


class ShowcaseLinkQuerySet(models.QuerySet):
    def live(self, *, today):
        """Links a visitor may open: turned on, not revoked, not past their end date."""
        return self.filter(enabled=True, revoked_at__isnull=True, expires_on__gte=today)


class ShowcaseLink(models.Model):
    """The showcase link of one session and one city. FAO turns it on with an end date
    and can revoke it; a revoked link stays revoked (a new token is a new decision)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    city = models.ForeignKey(
        SisterCity, verbose_name=_("sister city"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    expires_on = models.DateField(_("open until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ShowcaseLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("showcase link")
        verbose_name_plural = _("showcase links")
        ordering = ["session", "city"]
        constraints = [
            models.UniqueConstraint(fields=["session", "city"], name="showcaselink_one_per_city")
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.city}"


class ExchangeRate(models.Model):
    """A rate FAO enters by hand: what one unit of `currency` costs in baht on `rate_on`.
    The showcase shows prices in the city's currency as indicative, naming the date."""

    currency = models.CharField(_("currency"), max_length=3)
    thb_per_unit = models.DecimalField(
        _("baht per unit"),
        max_digits=14,
        decimal_places=6,
        validators=[MinValueValidator(0.000001)],
    )
    rate_on = models.DateField(_("rate of"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-rate_on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "rate_on"], name="exchangerate_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.thb_per_unit} ({self.rate_on})"


class ShowcaseVisit(models.Model):
    """How many times a link's showcase was opened on a day: a counter, no cookie, no
    address, nothing that tells one visitor from another (PDPA)."""

    link = models.ForeignKey(
        ShowcaseLink, verbose_name=_("showcase link"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("showcase visits")
        verbose_name_plural = _("showcase visits")
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="showcasevisit_one_a_day")
        ]


# The leads live in their own module; imported here so Django finds them.
from .models_leads import FollowUpMeeting, Lead  # noqa: E402, F401
