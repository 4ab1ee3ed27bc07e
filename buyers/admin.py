from django.contrib import admin

from .models import ExchangeRate, ProductText, ShowcaseLink


@admin.register(ShowcaseLink)
class ShowcaseLinkAdmin(admin.ModelAdmin):
    list_display = ["session", "city", "enabled", "expires_on", "revoked_at"]
    list_filter = ["enabled"]
    readonly_fields = ["token", "revoked_at", "revoked_by", "created_by"]


@admin.register(ProductText)
class ProductTextAdmin(admin.ModelAdmin):
    """Korean, Japanese and Chinese names and descriptions, filled in by SDO (or from what
    the vendor sends); the showcase falls back to English without them."""

    list_display = ["product", "language", "name", "updated_at"]
    list_filter = ["language"]
    search_fields = ["name", "product__name_th", "product__name_en"]
    # A raw id, not the autocomplete: its widget queries a hostile ?product= prefill as is.
    raw_id_fields = ["product"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "thb_per_unit", "rate_on", "entered_by"]
    list_filter = ["currency"]
    readonly_fields = ["entered_by"]
