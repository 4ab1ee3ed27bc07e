from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import pick


class SessionEvaluation(models.Model):
    """FAO's evaluation of a session in the PDCA cycle: what was planned (Plan), what
    happened (Do), the problems found and why (Check, `findings`), and the actions for
    the next session (Act, `actions`). Texts are kept in Thai and, optionally, English."""

    session = models.OneToOneField(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    plan_th = models.TextField(_("plan (Thai)"))
    plan_en = models.TextField(_("plan (English)"), blank=True)
    did_th = models.TextField(_("what happened (Thai)"))
    did_en = models.TextField(_("what happened (English)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session evaluation")
        verbose_name_plural = _("session evaluations")

    def __str__(self) -> str:
        return str(_("Evaluation of %(session)s") % {"session": self.session})

    @property
    def plan(self) -> str:
        return pick(self.plan_th, self.plan_en)

    @property
    def did(self) -> str:
        return pick(self.did_th, self.did_en)


class EvaluationFinding(models.Model):
    """Check: a problem found in the session, and why it happened."""

    evaluation = models.ForeignKey(
        SessionEvaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    problem_th = models.TextField(_("problem (Thai)"))
    problem_en = models.TextField(_("problem (English)"), blank=True)
    cause_th = models.TextField(_("why (Thai)"), blank=True)
    cause_en = models.TextField(_("why (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem found")
        verbose_name_plural = _("problems found")
        ordering = ["evaluation", "position", "pk"]

    def __str__(self) -> str:
        return self.problem

    @property
    def problem(self) -> str:
        return pick(self.problem_th, self.problem_en)

    @property
    def cause(self) -> str:
        return pick(self.cause_th, self.cause_en)


class EvaluationAction(models.Model):
    """Act: what changes for the next session. Shown on the next session's planning page
    and in its report, so the cycle is visible."""

    evaluation = models.ForeignKey(
        SessionEvaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    action_th = models.TextField(_("action (Thai)"))
    action_en = models.TextField(_("action (English)"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action for the next session")
        verbose_name_plural = _("actions for the next session")
        ordering = ["evaluation", "position", "pk"]

    def __str__(self) -> str:
        return self.action

    @property
    def action(self) -> str:
        return pick(self.action_th, self.action_en)


def report_file_path(instance: "ReportGeneration", filename: str) -> str:
    subject = f"session-{instance.session_id}" if instance.session_id else "annual"
    return f"reports/{instance.programme_year.fiscal_year}/{subject}/{filename}"


class ReportGeneration(models.Model):
    """One generation of a report: a version, kept with its file and checksum.

    The row is created when the report is asked for (QUEUED) and the Celery task fills
    it in; a retried or redelivered task finds the row and never adds a second version.
    """

    class Kind(models.TextChoices):
        SESSION = "session", _("Session report")
        ANNUAL = "annual", _("Annual report")

    class Language(models.TextChoices):
        THAI = "th", _("Thai")
        ENGLISH = "en", _("English")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=16, choices=Kind.choices)
    programme_year = models.ForeignKey(
        "meetings.ProgrammeYear",
        verbose_name=_("programme year"),
        on_delete=models.PROTECT,
        related_name="report_generations",
    )
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_generations",
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    thai_digits = models.BooleanField(_("Thai digits"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("reason for failure"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Stamped by the worker while it renders (core.heartbeat): a stale stamp is a dead one.
    heartbeat_at = models.DateTimeField(_("last sign of the worker"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=report_file_path, blank=True, max_length=300)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    render_seconds = models.FloatField(_("rendering time (s)"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered to executives at"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="session") & models.Q(session__isnull=False))
                | (models.Q(kind="annual") & models.Q(session__isnull=True)),
                name="reportgeneration_session_iff_session_report",
            ),
            models.UniqueConstraint(
                fields=["session", "version"],
                condition=models.Q(kind="session"),
                name="reportgeneration_unique_session_version",
            ),
            models.UniqueConstraint(
                fields=["programme_year", "version"],
                condition=models.Q(kind="annual"),
                name="reportgeneration_unique_annual_version",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(sha256=""),
                name="reportgeneration_done_has_checksum",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="reportgeneration_progress_percent"
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.language})"

    def clean(self) -> None:
        if self.kind == self.Kind.SESSION and not self.session_id:
            raise ValidationError({"session": _("A session report needs its session.")})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_stalled(self) -> bool:
        """RENDERING, but its worker has given no sign of life for a while."""
        from core.heartbeat import stall_cutoff

        return (
            self.status == self.Status.RENDERING
            and (self.heartbeat_at or self.started_at or self.requested_at) < stall_cutoff()
        )

    @property
    def download_name(self) -> str:
        year = self.programme_year.fiscal_year
        if self.kind == self.Kind.SESSION:
            # The check constraint ties a session report to its session.
            assert self.session is not None
            subject = f"session-{self.session.number}"
        else:
            subject = "annual"
        return f"bb-report-FY{year}-{subject}-v{self.version}-{self.language}.pdf"
