"""Read-only in the admin: evaluations are written on the report page (reports.services),
versions are made by the worker."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import EvaluationAction, EvaluationFinding, ReportGeneration, SessionEvaluation


class FindingInline(admin.TabularInline):
    model = EvaluationFinding
    extra = 0
    fields = ("position", "problem_th", "cause_th")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ActionInline(admin.TabularInline):
    model = EvaluationAction
    extra = 0
    fields = ("position", "action_th", "responsible")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SessionEvaluation)
class SessionEvaluationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("session", "updated_by", "updated_at")
    list_select_related = ("session__year", "updated_by")
    inlines = [FindingInline, ActionInline]


@admin.register(ReportGeneration)
class ReportGenerationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "kind",
        "programme_year",
        "session",
        "version",
        "language",
        "status",
        "attempts",
        "requested_by",
        "requested_at",
        "page_count",
        "render_seconds",
    )
    list_filter = ("kind", "status", "language")
    list_select_related = ("programme_year", "session__year", "requested_by")
    exclude = ("file",)  # downloads go through the permission-checked report page
