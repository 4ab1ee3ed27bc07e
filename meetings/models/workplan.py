import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .sessions import Session


class StepOffice(models.TextChoices):
    """Who is responsible for a step of the work plan, as the source names them."""

    FAO = "fao", _("FAO")
    SDO = "sdo", _("SDO")
    SEO = "seo", _("SEO")
    BMA = "bma", _("BMA")
    CITY = "city", _("Sister city")


# The eight steps of the source's work plan (section 6.1 and its table).
STEP_TITLES = {
    1: _("Study the situation, teleconference practice, vendor data and the people involved"),
    2: _("Set up the working group"),
    3: _("Governor's approval in principle; the Permanent Secretary signs the working-group order"),
    4: _("Inquiry letter to the sister city, signed by the FAO director"),
    5: _("Send the order to the units and coordinate: SDO shortlists vendors, SEO prepares Teams"),
    6: _(
        "Coordinate with the city: date and time, agenda, equipment and software, participants, "
        "and a connection test before the meeting"
    ),
    7: _("Hold the session (2–3 hours)"),
    8: _("Summarise, evaluate and report to executives with problems and recommendations"),
}
STEP_OFFICES = {
    1: [StepOffice.FAO],
    2: [StepOffice.SDO, StepOffice.SEO, StepOffice.FAO],
    3: [StepOffice.FAO],
    4: [StepOffice.FAO, StepOffice.CITY],
    5: [StepOffice.SDO, StepOffice.SEO],
    6: [StepOffice.CITY],
    7: [StepOffice.BMA, StepOffice.CITY],
    8: [StepOffice.FAO],
}
FIRST_SESSION_ONLY_STEPS = frozenset({1, 2, 3})
# Ticked from the records of the documents app (the approval memo, the working group, the
# approval and the order), never by hand: a tick without the record behind it proves nothing.
RECORD_DRIVEN_STEPS = frozenset({1, 2, 3})


class WorkPlanStep(models.Model):
    """A step of the year's work plan for one session, ticked off by its office."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(
        _("step"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    offices = models.JSONField(_("responsible offices"), default=list)
    starts_on = models.DateField(_("first month"), help_text=_("The first day of the month."))
    due_on = models.DateField(_("due month"), help_text=_("The first day of the month."))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work plan step")
        verbose_name_plural = _("work plan steps")
        ordering = ["session__year", "session__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="workplanstep_unique"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="workplanstep_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.number}. {self.title}"

    @property
    def title(self) -> str:
        return str(STEP_TITLES[self.number])

    @property
    def deadline(self) -> dt.date:
        """The last day of the due month."""
        last = calendar.monthrange(self.due_on.year, self.due_on.month)[1]
        return self.due_on.replace(day=last)

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_at is None and today > self.deadline

    @property
    def office_labels(self) -> list[str]:
        return [str(StepOffice(code).label) for code in self.offices]
