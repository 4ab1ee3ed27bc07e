"""Outcomes in the admin: FAO sets the due and lock dates of a period; submissions, KPI
snapshots, links and reminders are read here and changed only through the portal's pages
(which go through the services and their rules)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from core.fiscal import FiscalHalf

from . import services
from .models import (
    Contact,
    KpiSnapshot,
    OrderLine,
    ReminderNotice,
    ReportingPeriod,
    Submission,
    VendorLink,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "due_on", "locked_on"]
    ordering = ["-fiscal_year", "-half"]
    fields = ["fiscal_year", "half", "due_on", "locked_on"]

    def get_readonly_fields(self, request, obj=None):
        return ["fiscal_year", "half"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            period = services.reporting_period_ensure(
                half=FiscalHalf(obj.fiscal_year, obj.half), acting_user=request.user
            )
            obj.pk = period.pk
        services.reporting_period_update(
            period=ReportingPeriod.objects.get(pk=obj.pk),
            due_on=obj.due_on,
            locked_on=obj.locked_on,
            acting_user=request.user,
        )


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    can_delete = False
    fields = ("contacted_on", "city", "counterpart_name", "counterpart_kind", "about_buying")
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ("ordered_on", "product", "city", "quantity", "unit", "value_thb")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["vendor", "period", "status", "entered_via", "overdue_since", "portal_link"]
    list_filter = ["status", "period", "entered_via"]
    search_fields = ["vendor__business_name_th", "vendor__business_name_en"]
    list_select_related = ["vendor", "period"]
    inlines = [ContactInline, OrderLineInline]

    @admin.display(description=_("in the portal"))
    def portal_link(self, obj: Submission) -> str:
        url = reverse("outcomes:submission-detail", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "year",
        "computed_at",
        "participants",
        "achieved",
        "percent",
        "sessions_held",
        "reports_delivered",
        "trigger",
        "duration_ms",
    ]
    list_filter = ["year", "trigger"]
    list_select_related = ["year"]


@admin.register(VendorLink)
class VendorLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["submission", "created_at", "expires_at", "revoked_at", "email_status"]
    list_select_related = ["submission__vendor", "submission__period"]
    exclude = []


@admin.register(ReminderNotice)
class ReminderNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "kind", "status", "attempts", "sent_at", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["period"]
