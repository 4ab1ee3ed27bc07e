from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .audit import delete_audited, save_audited
from .models import WorkerPing


class ReadOnlyAdminMixin:
    """For rows that only services write (the worker, the portal's pages): the admin
    shows them and their history but adds, changes and deletes nothing."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedAdmin(SimpleHistoryAdmin):
    """Admin edits go through the audit helpers, as service writes do, and each record's
    "History" page shows who changed what."""

    def save_model(self, request, obj, form, change):
        save_audited(obj, acting_user=request.user)

    def delete_model(self, request, obj):
        delete_audited(obj, acting_user=request.user)


@admin.register(WorkerPing)
class WorkerPingAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "requested_by", "answered_at", "worker_hostname"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
