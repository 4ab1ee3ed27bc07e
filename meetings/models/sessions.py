import datetime as dt
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fiscal import FiscalYear
from core.languages import FALLBACK, PUBLIC_LANGUAGES

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from cities.models import CityContact


def default_session_months() -> list[int]:
    # The source holds the year's sessions every four months: January, May, September.
    return [1, 5, 9]


def validate_session_months(value) -> None:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(m, int) and 1 <= m <= 12 for m in value)
    ):
        raise ValidationError(_("Give the months of the sessions as numbers from 1 to 12."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Two sessions cannot share a month."))


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
    session_months = models.JSONField(
        _("months of the sessions"),
        default=default_session_months,
        validators=[validate_session_months],
        help_text=_("Calendar months, one per session (the source: January, May, September)."),
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("length of a session (minutes)"),
        default=120,
        validators=[MinValueValidator(60), MaxValueValidator(240)],
        help_text=_("The source plans 2 to 3 hours."),
    )
    connection_test_minutes = models.PositiveSmallIntegerField(
        _("length of a connection test (minutes)"),
        default=30,
        validators=[MinValueValidator(15), MaxValueValidator(120)],
    )
    office_hours_start = models.TimeField(_("office hours start"), default=dt.time(9, 0))
    office_hours_end = models.TimeField(_("office hours end"), default=dt.time(16, 30))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(office_hours_end__gt=models.F("office_hours_start")),
                name="programmeyear_office_hours_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.fiscal)

    @property
    def fiscal(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)

    def clean(self) -> None:
        if (
            self.office_hours_start
            and self.office_hours_end
            and self.office_hours_end <= self.office_hours_start
        ):
            raise ValidationError(
                {"office_hours_end": _("Office hours must end after they start.")}
            )


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

    # The order a session moves through; CANCELLED stands outside it.
    STATUS_ORDER = (
        Status.PLANNED,
        Status.CITY_INVITED,
        Status.CITY_CONFIRMED,
        Status.CONNECTION_TESTED,
        Status.SCHEDULED,
        Status.HELD,
        Status.REPORTED,
    )
    # Held: the session took place (its report may be written yet or not). The KPI counts
    # these sessions' vendors, and only these have a report.
    HELD_STATUSES = frozenset({Status.HELD, Status.REPORTED})
    CLOSED_STATUSES = HELD_STATUSES | {Status.CANCELLED}

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
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    connection_test_starts_at = models.DateTimeField(
        _("connection test starts at"), null=True, blank=True
    )
    connection_test_ends_at = models.DateTimeField(
        _("connection test ends at"), null=True, blank=True
    )
    connection_test_done_at = models.DateTimeField(
        _("connection test done at"), null=True, blank=True
    )
    connection_test_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("connection test recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    connection_test_notes = models.TextField(_("connection test notes"), blank=True)
    connection_test_waived_reason = models.TextField(
        _("reason the connection test was waived"), blank=True
    )
    connection_test_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("connection test waived by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The Teams meeting skipped (the city hosts it on its own platform): the tracker shows
    # who skipped it and why instead of "scheduled".
    teams_meeting_skipped_reason = models.TextField(
        _("reason the Teams meeting was skipped"), blank=True
    )
    teams_meeting_skipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Teams meeting skipped by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    teams_meeting_skipped_at = models.DateTimeField(
        _("Teams meeting skipped at"), null=True, blank=True
    )
    # Bumped at every change of time, so calendar clients replace the event they hold.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # The connection test is its own calendar event, with its own SEQUENCE (RFC 5545).
    connection_test_sequence = models.PositiveIntegerField(
        _("calendar sequence of the connection test"), default=0
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
            models.CheckConstraint(
                condition=models.Q(connection_test_ends_at__isnull=True)
                | models.Q(connection_test_starts_at__isnull=True)
                | models.Q(connection_test_ends_at__gt=models.F("connection_test_starts_at")),
                name="session_connection_test_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="session_cancelled_has_reason",
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
        if (
            self.connection_test_starts_at
            and self.connection_test_ends_at
            and self.connection_test_ends_at <= self.connection_test_starts_at
        ):
            raise ValidationError(
                {"connection_test_ends_at": _("The connection test must end after it starts.")}
            )

    @classmethod
    def rank(cls, status: str) -> int:
        """Position in the forward order; a cancelled session ranks after everything."""
        if status == cls.Status.CANCELLED:
            return len(cls.STATUS_ORDER)
        return cls.STATUS_ORDER.index(status)

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def _teams_state(self) -> str:
        # A list's selector reads it with the sessions (`teams_state`, null without a
        # meeting: meetings.selectors.year_sessions); else from the prefetched meetings
        # when the selector prefetched them.
        if "teams_state" in self.__dict__:
            return self.__dict__["teams_state"] or ""
        meeting = next((m for m in self.teams_meetings.all() if m.purpose == "session"), None)
        return meeting.state if meeting is not None else ""

    @property
    def status_display(self) -> "StrPromise | str":
        """The status as staff should read it: "Scheduled" only once Teams confirmed it."""
        if self.status == self.Status.SCHEDULED:
            state = self._teams_state()
            if state == "requested":
                return _("Scheduled, waiting for Teams")
            if state == "failed":
                return _("Not scheduled: Teams failed")
        return self.get_status_display()

    @property
    def status_badge(self) -> str:
        """The key of the status badge's colour (meetings_tags.badge)."""
        if self.status == self.Status.SCHEDULED and self._teams_state() in ("requested", "failed"):
            return self._teams_state()
        return self.status

    # The next steps, as meetings.policy rules them, for the session page.
    @property
    def awaits_city_invitation(self) -> bool:
        from ..policy import awaits_city_invitation

        return awaits_city_invitation(self)

    @property
    def awaits_city_confirmation(self) -> bool:
        from ..policy import awaits_city_confirmation

        return awaits_city_confirmation(self)

    @property
    def may_record_held(self) -> bool:
        from ..policy import may_record_held

        return may_record_held(self)

    @property
    def may_mark_reported(self) -> bool:
        from ..policy import may_mark_reported

        return may_mark_reported(self)

    @property
    def progress_steps(self) -> list[tuple[str, str, bool]]:
        from ..policy import progress_steps

        return progress_steps(self)

    def has_reached(self, status: str) -> bool:
        return not self.is_cancelled and self.rank(self.status) >= self.rank(status)

    @property
    def connection_test_cleared(self) -> bool:
        """The condition for holding the session: a test was done, or waived with a reason."""
        return bool(self.connection_test_done_at or self.connection_test_waived_reason.strip())

    @property
    def duration(self) -> dt.timedelta | None:
        if self.starts_at and self.ends_at:
            return self.ends_at - self.starts_at
        return None


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


class AgendaItem(models.Model):
    """One item of a session's order of business, with the minutes taken on it."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("planned minutes"), null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    minutes = models.TextField(_("minutes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from core.i18n import pick

        return pick(self.title_th, self.title_en)


class Office(models.TextChoices):
    """The BMA offices that take part in the programme, and the sister city side."""

    FAO = "fao", _("Foreign Affairs Office")
    SDO = "sdo", _("Social Development Office")
    SEO = "seo", _("Strategy and Evaluation Office")
    DISTRICT = "district", _("District office")
    EXECUTIVE = "executive", _("BMA executives")
    OTHER = "other", _("Other BMA unit")


class BMAParticipant(models.Model):
    """A BMA user who takes part in a session, with the office they represent."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="bma_participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="session_participations",
    )
    office = models.CharField(_("office"), max_length=16, choices=Office.choices)
    role_in_session = models.CharField(_("role in the session"), max_length=200, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("BMA participant")
        verbose_name_plural = _("BMA participants")
        ordering = ["session", "office", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="bmaparticipant_unique_user"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def email(self) -> str:
        return self.user.email


class CityParticipant(models.Model):
    """Someone from a sister city: a known city contact, or a free entry."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="city_participants",
    )
    city = models.ForeignKey(
        "cities.SisterCity",
        verbose_name=_("sister city"),
        on_delete=models.PROTECT,
        related_name="session_participants",
    )
    contact = models.ForeignKey(
        "cities.CityContact",
        verbose_name=_("city contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_participations",
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The invitation and reminder come in the language the city declared for the person
    # (Korean, Japanese, Chinese too: issue #17), English unless told.
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=PUBLIC_LANGUAGES, default=FALLBACK
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city participant")
        verbose_name_plural = _("city participants")
        ordering = ["session", "city", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False) | ~models.Q(name=""),
                name="cityparticipant_contact_or_name",
            ),
            models.UniqueConstraint(
                fields=["session", "contact"],
                condition=models.Q(contact__isnull=False),
                name="cityparticipant_unique_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    # A free entry's own fields win; otherwise the city contact's, kept current.
    @property
    def display_name(self) -> str:
        return self.name or (cast("CityContact", self.contact).name if self.contact_id else "")

    @property
    def display_email(self) -> str:
        return self.email or (cast("CityContact", self.contact).email if self.contact_id else "")

    @property
    def display_organisation(self) -> str:
        return self.organisation or (
            cast("CityContact", self.contact).organisation if self.contact_id else ""
        )

    def clean(self) -> None:
        if not self.contact_id and not self.name.strip():
            raise ValidationError(_("Choose a city contact or type the participant's name."))
        if (
            self.contact_id
            and self.city_id
            and cast("CityContact", self.contact).city_id != self.city_id
        ):
            raise ValidationError({"contact": _("This contact belongs to another city.")})
