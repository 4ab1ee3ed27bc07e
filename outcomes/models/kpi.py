"""What the worker computes: KPI snapshots and the statistics tallies."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .submissions import ReportingPeriod


class KpiResult:
    """What a KPI figure means, for the live figures (outcomes.kpi.KpiFigures) and the
    stored snapshot alike: one place says when the target is met."""

    participants: int
    percent: Decimal | None
    target_percent: int

    @property
    def has_participants(self) -> bool:
        return self.participants > 0

    @property
    def target_met(self) -> bool | None:
        if self.percent is None:
            return None
        return self.percent >= self.target_percent


class KpiSnapshot(KpiResult, models.Model):
    """The KPI of a programme year as computed at one moment, with the inputs it used."""

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly run")
        SUBMISSION_ACCEPTED = "accepted", _("A submission was accepted")
        SUBMISSION_REOPENED = "reopened", _("An accepted submission was returned")
        COMMAND = "command", _("Command line")
        MANUAL = "manual", _("Requested by FAO")

    year = models.ForeignKey(
        "meetings.ProgrammeYear",
        verbose_name=_("programme year"),
        on_delete=models.CASCADE,
        related_name="kpi_snapshots",
    )
    participants = models.PositiveIntegerField(_("participants"))
    achieved = models.PositiveIntegerField(_("vendors with a buying contact"))
    percent = models.DecimalField(
        _("KPI (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    target_percent = models.PositiveSmallIntegerField(_("KPI target (%)"))
    sessions_held = models.PositiveSmallIntegerField(_("sessions held"))
    target_sessions = models.PositiveSmallIntegerField(_("target: sessions"))
    reports_delivered = models.PositiveSmallIntegerField(_("session reports delivered"))
    target_reports = models.PositiveSmallIntegerField(_("target: session reports"))
    inputs = models.JSONField(_("inputs"), default=dict)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("computation time (ms)"), default=0)

    class Meta:
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        ordering = ["-computed_at", "-pk"]
        get_latest_by = ["computed_at", "pk"]
        indexes = [models.Index(fields=["year", "-computed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(achieved__lte=models.F("participants")),
                name="kpi_achieved_within_participants",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.percent if self.percent is not None else '–'}%"


class OutcomeTally(models.Model):
    """The statistics database, kept up to date by the worker: per reporting period,
    sister city and product category, what the accepted submissions report. The dashboard
    and the statistics pages read these rows instead of adding up every contact and order
    line on each request."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    half = models.PositiveSmallIntegerField(_("half"), choices=ReportingPeriod.Half.choices)
    city = models.ForeignKey(
        "cities.SisterCity",
        verbose_name=_("sister city"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.ForeignKey(
        "vendors.ProductCategory",
        verbose_name=_("product category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    contacts = models.PositiveIntegerField(_("contacts"), default=0)
    buying_contacts = models.PositiveIntegerField(_("contacts about buying"), default=0)
    products_contacted = models.PositiveIntegerField(_("products asked about"), default=0)
    orders = models.PositiveIntegerField(_("order lines"), default=0)
    products_ordered = models.PositiveIntegerField(_("products ordered"), default=0)
    value_thb = models.DecimalField(
        _("value (THB)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("outcome tally")
        verbose_name_plural = _("outcome tallies")
        ordering = ["fiscal_year", "half", "city", "category"]
        indexes = [models.Index(fields=["fiscal_year", "half"])]

    def __str__(self) -> str:
        return f"{self.fiscal_year}/{self.half} {self.city_id} {self.category_id}"


class RecomputeRequest(models.Model):
    """A KPI run or a statistics refresh that is owed, recorded in the same transaction as
    the change that calls for it, so that it is not lost when the broker is down: the
    sweep (core.queue) announces it again, and the run that sees it marks it done."""

    class Kind(models.TextChoices):
        KPI = "kpi", _("KPI")
        TALLIES = "tallies", _("Statistics")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    year = models.ForeignKey(
        "meetings.ProgrammeYear",
        verbose_name=_("programme year"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    trigger = models.CharField(_("trigger"), max_length=16, choices=KpiSnapshot.Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute request")
        verbose_name_plural = _("recompute requests")
        indexes = [models.Index(fields=["done_at", "requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="kpi", year__isnull=False)
                    | models.Q(kind="tallies", fiscal_year__isnull=False)
                ),
                name="recompute_request_has_its_key",
            ),
        ]
