from django.contrib import admin
from django.db import transaction

from core.admin import AuditedAdmin, ReadOnlyAdminMixin

from .models import (
    Document,
    DocumentVersion,
    NumberSequence,
    TemplateText,
    WorkingGroup,
    WorkingGroupMember,
)
from .services import first_steps_sync


@admin.register(TemplateText)
class TemplateTextAdmin(AuditedAdmin):
    list_display = ["kind", "key", "help"]
    list_filter = ["kind"]
    search_fields = ["text_th", "text_en"]
    readonly_fields = ["kind", "key", "help"]

    def has_add_permission(self, request):
        # The parts are those the layouts print; a new part would print nowhere.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberSequence)
class NumberSequenceAdmin(AuditedAdmin):
    list_display = ["fiscal_year", "prefix_th", "prefix_en", "next_number"]


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 1
    fields = ["position", "name", "job_title", "office", "role"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(AuditedAdmin):
    list_display = ["year", "approved_on", "approval_reference", "order_number", "order_signed_on"]
    inlines = [WorkingGroupMemberInline]

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Steps 1–3 follow the record as soon as it is saved.
        first_steps_sync(year=form.instance.year, acting_user=request.user)


class DocumentVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ("version", "language", "generated_at", "generated_by", "docx_seconds", "pdf_seconds")
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """Written by the portal's documents pages; the admin shows the register."""

    list_display = ["number", "kind", "year", "session", "city", "dated", "sent_on", "reply"]
    list_filter = ["kind", "year", "reply"]
    list_select_related = ["year", "session__year", "city"]
    inlines = [DocumentVersionInline]
    exclude = ["signed_copy", "reply_attachment"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["document", "version", "language", "generated_at", "generated_by"]
    list_select_related = ["document", "generated_by"]
    exclude = ["docx", "pdf"]
