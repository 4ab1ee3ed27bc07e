"""Reporting periods, submissions and their contact and order lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core import thai
from core.fiscal import FiscalHalf

# The source asks vendors for the form every six months; FAO gives them two weeks after
# the period to send it, then a month for SDO to correct before the period is locked.
DUE_DAYS_AFTER_PERIOD = 15
LOCK_DAYS_AFTER_DUE = 30


class ReportingPeriod(models.Model):
    """One half of a fiscal year (Oct–Mar or Apr–Sep), with its due and lock dates."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("First half (Oct–Mar)")
        SECOND = 2, _("Second half (Apr–Sep)")

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[MinValueValidator(2563)]
    )
    half = models.PositiveSmallIntegerField(_("half"), choices=Half.choices)
    due_on = models.DateField(_("due on"))
    locked_on = models.DateField(
        _("locked after"),
        help_text=_("After this day only FAO may change a submission of the period."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-fiscal_year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "half"], name="period_unique_half"),
            models.CheckConstraint(
                condition=models.Q(locked_on__gte=models.F("due_on")),
                name="period_locked_after_due",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def fiscal_half(self) -> FiscalHalf:
        return FiscalHalf(self.fiscal_year, self.half)

    @property
    def label(self) -> str:
        return self.fiscal_half.label()

    @property
    def first_day(self) -> dt.date:
        return self.fiscal_half.first_day

    @property
    def last_day(self) -> dt.date:
        return self.fiscal_half.last_day

    def is_locked(self, today: dt.date) -> bool:
        return today > self.locked_on

    @staticmethod
    def default_due_on(half: FiscalHalf) -> dt.date:
        return half.last_day + dt.timedelta(days=DUE_DAYS_AFTER_PERIOD)

    @staticmethod
    def default_locked_on(half: FiscalHalf) -> dt.date:
        return ReportingPeriod.default_due_on(half) + dt.timedelta(days=LOCK_DAYS_AFTER_DUE)


class Submission(models.Model):
    """A vendor's outcome form for one reporting period, entered by SDO, reviewed by FAO."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to FAO")
        RETURNED = "returned", _("Returned to SDO")
        ACCEPTED = "accepted", pgettext_lazy("outcomes", "Accepted")

    class EnteredVia(models.TextChoices):
        FORM = "form", _("Web form")
        UPLOAD = "upload", _("Uploaded outcome form")
        VENDOR_LINK = "vendor_link", _("Vendor's link")
        REMINDER = "reminder", _("Opened by the overdue check")

    # States in which SDO (and the vendor's link) may still change the contents.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # States that count as "reported" for the list of vendors still missing.
    REPORTED = (Status.SUBMITTED, Status.ACCEPTED)

    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="outcome_submissions",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    entered_via = models.CharField(
        _("entered via"), max_length=16, choices=EnteredVia.choices, default=EnteredVia.FORM
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    vendor_filled_at = models.DateTimeField(
        _("last filled in by the vendor"), null=True, blank=True
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome submission")
        verbose_name_plural = _("outcome submissions")
        ordering = ["-period__fiscal_year", "-period__half", "vendor__business_name_th"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "period"], name="submission_unique_period"),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""),
                name="submission_returned_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.vendor} – {self.period}"

    # outcomes.policy's rules, for the templates that list submissions.
    @property
    def is_returned(self) -> bool:
        from ..policy import is_returned

        return is_returned(self)

    @property
    def shows_overdue(self) -> bool:
        from ..policy import shows_overdue

        return shows_overdue(self)


class Contact(models.Model):
    """A contact made or received after a session, as the vendor reported it."""

    class CounterpartKind(models.TextChoices):
        BUSINESS = "business", _("Business")
        CUSTOMER = "customer", _("Customer")
        OTHER = "other", _("Other (agency, association, media)")

    class Direction(models.TextChoices):
        VENDOR_CONTACTED = "outgoing", _("The vendor contacted them")
        THEY_CONTACTED = "incoming", _("They contacted the vendor")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Telephone")
        LINE = "line", _("LINE")
        CHAT = "chat", _("Other chat or social media")
        VIDEO = "video", _("Video call")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    # Only these counterparts count for the KPI ("a business or customer").
    KPI_COUNTERPARTS = (CounterpartKind.BUSINESS, CounterpartKind.CUSTOMER)

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    city = models.ForeignKey(
        "cities.SisterCity",
        verbose_name=_("sister city"),
        on_delete=models.PROTECT,
        related_name="outcome_contacts",
    )
    counterpart_name = models.CharField(_("counterpart"), max_length=255)
    counterpart_organisation = models.CharField(
        pgettext_lazy("outcomes", "organisation"), max_length=255, blank=True
    )
    counterpart_kind = models.CharField(
        _("counterpart is a"), max_length=16, choices=CounterpartKind.choices
    )
    direction = models.CharField(_("who contacted whom"), max_length=16, choices=Direction.choices)
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("followed from session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_contacts",
    )
    product = models.ForeignKey(
        "vendors.Product",
        verbose_name=_("product asked about"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_contacts",
    )
    about_buying = models.BooleanField(_("about buying"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["submission", "contacted_on", "pk"]
        indexes = [models.Index(fields=["submission", "city", "contacted_on"])]

    def __str__(self) -> str:
        return f"{self.counterpart_name} ({self.city}, {thai.short_date(self.contacted_on)})"


class OrderLine(models.Model):
    """An order of one of the vendor's products from a sister city."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="orders",
    )
    product = models.ForeignKey(
        "vendors.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="outcome_orders",
    )
    city = models.ForeignKey(
        "cities.SisterCity",
        verbose_name=_("sister city"),
        on_delete=models.PROTECT,
        related_name="outcome_orders",
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=64)
    value_thb = models.DecimalField(
        _("value (THB)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    ordered_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["submission", "ordered_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_quantity_gt_0"),
            models.CheckConstraint(condition=models.Q(value_thb__gte=0), name="order_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.quantity} {self.unit} ({self.city})"
