from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.permissions import signed_in_user

from .errors import error_text
from .models import LineLink, LineLinkCode, OutboxMessage
from .services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = (
        "created_at",
        "template",
        "channel",
        "recipient_kind",
        "recipient_name",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error",
    )
    list_filter = ("status", "channel", "template", "recipient_kind", "language")
    search_fields = ("recipient_name", "address", "idempotency_key", "channel_message_id")
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields] + ["error"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("last error"))
    def error(self, obj: OutboxMessage) -> str:
        return error_text(obj.last_error_code, obj.last_error_params)

    @admin.action(description=_("Retry the selected messages (not those already sent)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        user = signed_in_user(request)
        done = sum(outbox_retry(message=m, acting_user=user) for m in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d message will be tried again.", "%(n)d messages will be tried again.", done
            )
            % {"n": done},
            messages.SUCCESS,
        )


@admin.register(LineLink)
class LineLinkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("vendor", "status", "linked_at", "changed_at")
    list_filter = ("status",)
    search_fields = ("vendor__business_name_th", "vendor__business_name_en")
    readonly_fields = ("vendor", "line_user_id", "linked_at", "changed_at")


@admin.register(LineLinkCode)
class LineLinkCodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ("vendor", "created_at", "expires_at", "used_at")
    readonly_fields = ("vendor", "code", "created_at", "expires_at", "used_at", "created_by")
