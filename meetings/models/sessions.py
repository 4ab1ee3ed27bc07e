from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fiscal import FiscalYear


class ProgrammeYear(models.Model):
    """A Thai fiscal year of the programme with its targets."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), unique=True, validators=[MinValueValidator(2563)]
    )
    target_sessions = models.PositiveSmallIntegerField(_("target: sessions"), default=3)
    vendors_per_session = models.PositiveSmallIntegerField(
        _("vendors per session"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The source sets 3 and recommends 5."),
    )
    kpi_target_percent = models.PositiveSmallIntegerField(
        _("KPI target (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    target_reports = models.PositiveSmallIntegerField(_("target: session reports"), default=3)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return str(self.fiscal)

    @property
    def fiscal(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)


class Session(models.Model):
    """One video conference of a programme year, with one or several sister cities."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CITY_INVITED = "city_invited", _("City invited")
        CITY_CONFIRMED = "city_confirmed", _("City confirmed")
        CONNECTION_TESTED = "connection_tested", _("Connection test done")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        REPORTED = "reported", _("Reported")
        CANCELLED = "cancelled", _("Cancelled")

    year = models.ForeignKey(
        ProgrammeYear,
        verbose_name=_("programme year"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    cities = models.ManyToManyField(
        "cities.SisterCity", verbose_name=_("sister cities"), related_name="sessions", blank=True
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    organizer_mailbox = models.EmailField(_("organiser mailbox"), blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    connection_test_waived_reason = models.TextField(
        _("reason the connection test was waived"), blank=True
    )
    shortlist_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shortlist approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shortlist_approved_at = models.DateTimeField(_("shortlist approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="session_unique_number"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("Session %(number)s, FY %(year)s") % {
            "number": self.number,
            "year": self.year.fiscal_year,
        }

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})


class ShortlistEntry(models.Model):
    """A vendor SDO picked for a session, with the products it presents."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="shortlist"
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="shortlist_entries",
    )
    products = models.ManyToManyField(
        "vendors.Product",
        verbose_name=_("products presented"),
        blank=True,
        related_name="shortlist_entries",
    )
    position = models.PositiveSmallIntegerField(_("order of presentation"), default=0)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shortlisted vendor")
        verbose_name_plural = _("shortlisted vendors")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "vendor"], name="shortlist_unique_vendor"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.vendor}"
