"""The admin shows the year plan, the sessions and every call asked of Teams. Writes go
through the portal's pages and services (a session's time or attendees must reach Teams),
so most of it reads only; its actions call the same services."""

from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from core.view_helpers import run_service

from .access import can_run, can_see_join_link
from .models import (
    AgendaItem,
    BMAParticipant,
    CityParticipant,
    ParticipantNotice,
    ProgrammeYear,
    Session,
    TeamsMeeting,
    TeamsMeetingRequest,
    WorkPlanStep,
)
from .services.teams import teams_request_retry
from .services.workplan import workplan_step_tick

if TYPE_CHECKING:  # what the mixin is mixed into
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


def _session_of(obj) -> Session | None:
    if isinstance(obj, Session):
        return obj
    if isinstance(obj, TeamsMeeting):
        return obj.session
    if isinstance(obj, TeamsMeetingRequest):
        return obj.meeting.session
    return None


class JoinLinkAdminMixin(_AdminBase):
    """The join link admits whoever holds it: the admin shows it only to those the portal
    shows it to (meetings.access.can_see_join_link), on the row's own page and in the
    session's inline, whose `obj` is the session."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        session = _session_of(obj)
        if session is not None and can_see_join_link(request.user, session):
            return fields
        return [f for f in fields if f != "join_url"]


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = False


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(SimpleHistoryAdmin):
    list_display = (
        "fiscal_year",
        "target_sessions",
        "vendors_per_session",
        "kpi_target_percent",
        "session_minutes",
    )
    readonly_fields = ("fiscal_year", "session_months", "target_sessions", "created_at")
    fields = (
        "fiscal_year",
        "session_months",
        "target_sessions",
        "target_reports",
        "vendors_per_session",
        "kpi_target_percent",
        "session_minutes",
        "connection_test_minutes",
        "office_hours_start",
        "office_hours_end",
        "notes",
        "created_at",
    )

    def has_add_permission(self, request):
        # A year is planned on the portal's "Plan a year" page, which creates its sessions.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("position", "title_th", "title_en", "duration_minutes", "minutes")


class BMAParticipantInline(ReadOnlyInline):
    model = BMAParticipant
    fields = ("user", "office", "role_in_session", "attended")


class CityParticipantInline(ReadOnlyInline):
    model = CityParticipant
    fields = ("city", "contact", "name", "email", "language", "attended")


class TeamsMeetingInline(JoinLinkAdminMixin, ReadOnlyInline):
    model = TeamsMeeting
    fields = ("purpose", "state", "backend", "generation", "event_id", "join_url")


@admin.register(Session)
class SessionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "year", "number", "status", "starts_at")
    list_filter = ("status", "year")
    list_select_related = ("year",)
    search_fields = ("cities__name_en", "cities__name_th")
    inlines = (TeamsMeetingInline, BMAParticipantInline, CityParticipantInline, AgendaInline)


@admin.register(TeamsMeeting)
class TeamsMeetingAdmin(JoinLinkAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("session", "purpose", "state", "backend", "generation", "updated_at")
    list_filter = ("purpose", "state", "backend")
    list_select_related = ("session__year",)


@admin.register(TeamsMeetingRequest)
class TeamsMeetingRequestAdmin(JoinLinkAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "requested_at",
        "meeting",
        "action",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
    )
    list_filter = ("status", "action", "meeting__purpose")
    list_select_related = ("meeting__session__year",)
    actions = ("retry",)

    def has_retry_permission(self, request):
        return can_run(request.user)

    @admin.action(description=_("Retry the selected requests"), permissions=["retry"])
    def retry(self, request, queryset):
        done = 0
        for row in queryset:
            retried = run_service(
                request,
                partial(teams_request_retry, request_id=row.pk, acting_user=request.user),
                joined=True,
                prefix=f"{row}: ",
                level=messages.WARNING,
            )
            done += bool(retried)
        if done:
            self.message_user(
                request,
                _("%(count)s requests are tried again.") % {"count": done},
                messages.SUCCESS,
            )


@admin.register(WorkPlanStep)
class WorkPlanStepAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("session", "number", "title", "starts_on", "due_on", "done_at", "done_by")
    list_filter = ("session__year", "number", "done_at")
    list_select_related = ("session__year", "done_by")
    actions = ("tick_off",)

    def has_tick_permission(self, request):
        return request.user.is_authenticated

    @admin.action(description=_("Tick off the selected steps"), permissions=["tick"])
    def tick_off(self, request, queryset):
        for step in queryset:
            run_service(
                request,
                partial(workplan_step_tick, step_id=step.pk, acting_user=request.user),
                joined=True,
                prefix=f"{step}: ",
                level=messages.WARNING,
                errors=(PermissionDenied,),
            )


@admin.register(ParticipantNotice)
class ParticipantNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "session", "kind", "recipient_email", "status", "attempts")
    list_filter = ("kind", "status")
    list_select_related = ("session__year",)
