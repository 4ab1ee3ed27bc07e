from django.contrib import admin

from .models import ShowcaseLink


@admin.register(ShowcaseLink)
class ShowcaseLinkAdmin(admin.ModelAdmin):
    list_display = ["session", "city", "enabled", "expires_on", "revoked_at"]
    list_filter = ["enabled"]
    readonly_fields = ["token", "revoked_at", "revoked_by", "created_by"]
