from django.contrib import admin

from .models import ExchangeRate, ShowcaseLink


@admin.register(ShowcaseLink)
class ShowcaseLinkAdmin(admin.ModelAdmin):
    list_display = ["session", "city", "enabled", "expires_on", "revoked_at"]
    list_filter = ["enabled"]
    readonly_fields = ["token", "revoked_at", "revoked_by", "created_by"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "thb_per_unit", "rate_on", "entered_by"]
    list_filter = ["currency"]
    readonly_fields = ["entered_by"]
