"""Six-monthly outcome submissions (contacts and orders per vendor and period) and the
KPI snapshots computed from the accepted ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

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

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


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
        return f"{self.counterpart_name} ({self.city}, {self.contacted_on})"

    @property
    def counts_for_kpi_kind(self) -> bool:
        return self.about_buying and self.counterpart_kind in self.KPI_COUNTERPARTS


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
        return f"{self.submission} ({self.expires_at:%Y-%m-%d})"


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


class KpiSnapshot(models.Model):
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

    @property
    def has_participants(self) -> bool:
        return self.participants > 0

    @property
    def target_met(self) -> bool | None:
        if self.percent is None:
            return None
        return self.percent >= self.target_percent


def outcome_upload_path(instance: OutcomeUpload, filename: str) -> str:
    return f"outcome-uploads/{instance.submission_id}/{filename}"


class OutcomeUpload(models.Model):
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
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    report = models.JSONField(_("report"), default=dict, blank=True)
    fingerprint = models.CharField(_("plan fingerprint"), max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("uploaded outcome form")
        verbose_name_plural = _("uploaded outcome forms")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


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
