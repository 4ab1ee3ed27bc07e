from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from core.widgets import ProtectedFileInput

from .models import (
    District,
    Language,
    Product,
    ProductCategory,
    ProductPhoto,
    ProductTranslation,
    Vendor,
    VendorImportJob,
)
from .selectors import EXPIRING_DAYS, expiring_filter


class CertificateExpiryFilter(admin.SimpleListFilter):
    title = _("certificate")
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return [
            ("expired", _("Expired")),
            ("soon", _("Expires within %(days)s days") % {"days": EXPIRING_DAYS}),
            ("valid", _("Valid")),
            ("unknown", _("No expiry date")),
        ]

    def queryset(self, request, queryset):
        prefix = "" if queryset.model is Vendor else "vendor__"
        condition = expiring_filter(self.value() or "", prefix=prefix)
        return queryset if condition is None else queryset.filter(condition)


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ["name_th", "name_en", "category", "price_thb", "unit", "is_export_ready"]
    show_change_link = True


class ProductTranslationInline(admin.StackedInline):
    """The product's name and description in Korean, Japanese and Chinese (django-parler's
    rows, one per language): the showcase shows English, with a note, where one is missing.
    Plain rows rather than parler's language tabs: the tabs follow settings.LANGUAGES, the
    staff's Thai and English, which stay on the product's own fields."""

    model = ProductTranslation
    extra = 0
    max_num = len(ProductTranslation._meta.get_field("language_code").choices or ())
    fields = ["language_code", "buyer_name", "buyer_description"]


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["image", "caption", "position", "preview"]
    readonly_fields = ["preview"]
    formfield_overrides = {
        models.ImageField: {"widget": ProtectedFileInput(url_name="vendors:photo")}
    }

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="" style="max-height:80px">', reverse("vendors:photo", args=[obj.pk])
        )


@admin.register(Vendor)
class VendorAdmin(AuditedAdmin):
    list_display = [
        "business_name_th",
        "business_name_en",
        "certificate_number",
        "district",
        "certificate_expires_on",
        "product_count",
        "is_active",
    ]
    list_filter = [
        "district",
        ("products__category", admin.RelatedOnlyFieldListFilter),
        CertificateExpiryFilter,
        "is_active",
        "is_demo",
    ]
    search_fields = [
        "business_name_th",
        "business_name_en",
        "owner_name",
        "contact_person",
        "certificate_number",
        "products__name_th",
        "products__name_en",
    ]
    list_select_related = ["district"]
    filter_horizontal = ["languages"]
    inlines = [ProductInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "business_name_th",
                    "business_name_en",
                    "owner_name",
                    "contact_person",
                    "district",
                    "is_active",
                ]
            },
        ),
        (
            _("Bangkok Brand certificate"),
            {"fields": ["certificate_number", "certified_on", "certificate_expires_on"]},
        ),
        (_("Contact"), {"fields": ["phone", "email", "line_id", "website", "languages"]}),
        (_("Export"), {"fields": ["export_experience"]}),
        (None, {"fields": ["is_demo", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_product_count=Count("products"))

    @admin.display(description=_("products"), ordering="_product_count")
    def product_count(self, obj):
        return obj._product_count


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = ["name_th", "name_en", "vendor", "category", "price_thb", "is_export_ready"]
    list_filter = ["category", "vendor__district", CertificateExpiryFilter, "is_export_ready"]
    search_fields = [
        "name_th",
        "name_en",
        "vendor__business_name_th",
        "vendor__business_name_en",
        "vendor__certificate_number",
    ]
    list_select_related = ["vendor", "category"]
    autocomplete_fields = ["vendor"]
    inlines = [ProductTranslationInline, ProductPhotoInline]


@admin.register(ProductTranslation)
class ProductTranslationAdmin(AuditedAdmin):
    """Every product text in a buyer's language, to find what is missing or check a batch
    a vendor sent; each product's own page has them inline too."""

    list_display = ["buyer_name", "language_code", "master"]
    list_filter = ["language_code"]
    search_fields = ["buyer_name", "master__name_th", "master__name_en"]
    list_select_related = ["master"]
    # A raw id, not the autocomplete: its widget queries a hostile ?master= prefill as is.
    raw_id_fields = ["master"]


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["name_th", "name_en"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(VendorImportJob)
class VendorImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "session", "status", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["created_by", "session__year"]
    readonly_fields = [f.name for f in VendorImportJob._meta.fields]

    def has_add_permission(self, request):
        return False  # uploads go through the import page, which checks the file
