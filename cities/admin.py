from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from core.widgets import ProtectedFileInput

from .models import (
    Agreement,
    CityContact,
    CooperationField,
    InquiryLetter,
    InquiryLetterAttachment,
    SisterCity,
)
from .selectors import with_eligibility


class EligibleFilter(admin.SimpleListFilter):
    title = _("candidate for a session")
    parameter_name = "eligible"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_eligible=True)
        if self.value() == "no":
            return queryset.filter(is_eligible=False)
        return queryset


class AgreementInline(admin.StackedInline):
    model = Agreement
    extra = 0
    filter_horizontal = ["fields"]


class CityContactInline(admin.TabularInline):
    model = CityContact
    extra = 0


@admin.register(SisterCity)
class SisterCityAdmin(AuditedAdmin):
    list_display = [
        "name_en",
        "name_th",
        "country",
        "time_zone",
        "is_active_with_bma",
        "last_joint_activity_on",
        "eligible",
    ]
    list_filter = [EligibleFilter, "is_active_with_bma", "country", "interested_categories"]
    search_fields = ["name_en", "name_th", "contacts__name", "contacts__organisation"]
    filter_horizontal = ["interested_categories"]
    inlines = [AgreementInline, CityContactInline]

    def get_queryset(self, request):
        return with_eligibility(super().get_queryset(request))

    @admin.display(description=_("candidate"), boolean=True, ordering="is_eligible")
    def eligible(self, obj) -> bool:
        return obj.is_eligible


class AttachmentInline(admin.TabularInline):
    model = InquiryLetterAttachment
    extra = 1
    fields = ["file", "description", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    formfield_overrides = {
        models.FileField: {"widget": ProtectedFileInput(url_name="cities:attachment")}
    }


@admin.register(InquiryLetter)
class InquiryLetterAdmin(AuditedAdmin):
    list_display = ["city", "fiscal_year", "session", "sent_on", "signed_by", "reply", "replied_on"]
    list_filter = ["fiscal_year", "reply", "city"]
    search_fields = ["city__name_en", "city__name_th", "signed_by", "notes"]
    list_select_related = ["city", "session__year"]
    autocomplete_fields = ["city"]
    inlines = [AttachmentInline]


@admin.register(CooperationField)
class CooperationFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "is_economic"]
    list_filter = ["is_economic"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ["city", "form", "form_detail", "signed_year"]
    list_filter = ["form"]
    list_select_related = ["city"]
    search_fields = ["city__name_en", "city__name_th", "form_detail"]
    filter_horizontal = ["fields"]
