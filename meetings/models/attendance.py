from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import BMAParticipant, CityParticipant, Session, ShortlistEntry

# The roles Graph gives an attendance record (meetingParticipantInfo.role), in English;
# shown in the reader's language. A role Graph adds later is shown as Graph spells it.
TEAMS_ROLES = {
    "organizer": _("Organiser"),
    "coorganizer": _("Co-organiser"),
    "presenter": _("Presenter"),
    "attendee": _("Attendee"),
    "producer": _("Producer"),
}


class TeamsAttendance(models.Model):
    """One person in the attendance Teams reported for a session's meeting: a proposal that
    staff confirm or correct on the attendance form (the confirmed answer stays on the
    participant's own `attended`). An import replaces the session's rows, so a retry is
    harmless."""

    class Source(models.TextChoices):
        TEAMS = "teams", _("Teams")

    class Match(models.TextChoices):
        EMAIL = "email", _("matched by e-mail")
        # Only a suggestion: two people may share a display name.
        NAME = "name", _("suggested by name")
        NONE = "none", _("not matched")

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="teams_attendance",
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.TEAMS
    )
    name = models.CharField(_("name in Teams"), max_length=255, blank=True)
    email = models.CharField(_("e-mail in Teams"), max_length=320, blank=True)
    role = models.CharField(_("role in Teams"), max_length=32, blank=True)
    minutes = models.PositiveIntegerField(_("minutes attended"), default=0)
    joined_at = models.DateTimeField(_("first joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("last left"), null=True, blank=True)
    match = models.CharField(_("match"), max_length=8, choices=Match.choices)
    shortlist_entry = models.ForeignKey(
        ShortlistEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    city_participant = models.ForeignKey(
        CityParticipant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    bma_participant = models.ForeignKey(
        BMAParticipant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance per Teams")
        verbose_name_plural = _("attendance per Teams")
        ordering = ["session", "match", "name", "pk"]
        constraints = [
            # At most one matched person per participant row.
            models.UniqueConstraint(
                fields=["session", "shortlist_entry"],
                condition=models.Q(shortlist_entry__isnull=False),
                name="teamsattendance_unique_entry",
            ),
            models.UniqueConstraint(
                fields=["session", "city_participant"],
                condition=models.Q(city_participant__isnull=False),
                name="teamsattendance_unique_city",
            ),
            models.UniqueConstraint(
                fields=["session", "bma_participant"],
                condition=models.Q(bma_participant__isnull=False),
                name="teamsattendance_unique_bma",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.name or self.email}"

    @property
    def participant_key(self) -> tuple[str, int] | None:
        """("vendor"|"city"|"bma", row id) of the participant it was matched to."""
        for group, pk in (
            ("vendor", self.shortlist_entry_id),
            ("city", self.city_participant_id),
            ("bma", self.bma_participant_id),
        ):
            if pk:
                return group, pk
        return None

    @property
    def role_label(self) -> str:
        return str(TEAMS_ROLES.get(self.role.strip().lower(), self.role))

    @property
    def is_suggestion(self) -> bool:
        return self.match == self.Match.NAME
