from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BilingualShortListChoiceField, PortalModelForm
from core.languages import TRANSLATED_LANGUAGES
from core.spreadsheets.messages import render
from core.thai import arabic_digits
from core.widgets import Select as QuickSelect
from meetings.models import Session

from .models import District, Product, ProductCategory, ProductPhoto, Vendor
from .photos import PhotoFormField
from .selectors import EXPIRING_DAYS
from .validators import validate_product_photo


def _expiring_soon() -> str:
    return gettext("Expires within %(days)s days") % {"days": EXPIRING_DAYS}


class VendorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    district = BilingualShortListChoiceField(
        label=_("District office"),
        queryset=District.objects.all(),
        required=False,
        widget=QuickSelect,
    )
    category = BilingualShortListChoiceField(
        label=_("Category"),
        queryset=ProductCategory.objects.all(),
        required=False,
        widget=QuickSelect,
    )
    expiring = forms.ChoiceField(
        label=_("Certificate"),
        required=False,
        widget=QuickSelect,
        choices=[
            ("", _("Any")),
            ("expired", _("Expired")),
            # Interpolated when shown: `_(...) % ...` here would fix the language of
            # whichever request imported the module first.
            ("soon", lazy(_expiring_soon, str)()),
            ("valid", _("Valid")),
            ("unknown", _("No expiry date")),
        ],
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return str(obj)


class VendorImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    session = SessionChoiceField(
        label=_("Shortlist for session"),
        required=False,
        queryset=Session.objects.none(),
        empty_label=_("— none: load the registry only —"),
        help_text=_(
            "Choose a session to make the vendors in the file its shortlist (it replaces "
            "the current one)."
        ),
    )
    ignore_extra_columns = forms.BooleanField(
        label=_("Ignore columns that are not in the template"),
        required=False,
        help_text=_(
            "Leave this unticked to be told about every header that is not the template's; "
            "tick it to import the file without those columns."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = (
            Session.objects.select_related("year")
            .exclude(status__in=Session.CLOSED_STATUSES)
            .order_by("-year__fiscal_year", "number")
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                render(
                    "file_too_large",
                    {
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                    },
                )
            )
        return upload


class ShortlistAddForm(forms.Form):
    """Add a vendor by certificate number (a registry has thousands: no drop-down), or by
    the id a suggestion carries, with the products it presents."""

    certificate_number = forms.CharField(
        label=_("Bangkok Brand certificate number"), max_length=64, required=False
    )
    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.all(), required=False, widget=forms.HiddenInput
    )
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("vendor") is None:
            number = arabic_digits((data.get("certificate_number") or "").strip())
            vendor = Vendor.objects.filter(certificate_number__iexact=number).first()
            if vendor is None:
                raise forms.ValidationError(
                    _("No vendor has the certificate number “%(number)s”."),
                    params={"number": number},
                )
            data["vendor"] = vendor
            if not data.get("products"):
                data["products"] = list(vendor.products.filter(is_export_ready=True))
        return data


class ShortlistProductsForm(forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Products presented"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, vendor: Vendor, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["products"])
        field.queryset = Product.objects.filter(vendor=vendor)
        # Rendered from the vendor's prefetched products: no query per shortlisted vendor.
        field.choices = [(p.pk, p.name) for p in vendor.products.all()]


class VendorForm(PortalModelForm):
    """A vendor of the registry, as SDO keeps it. The rules across fields (the
    certificate's dates, a unique certificate number) are the service's."""

    class Meta:
        model = Vendor
        fields = [
            "business_name_th",
            "business_name_en",
            "owner_name",
            "contact_person",
            "district",
            "certificate_number",
            "certified_on",
            "certificate_expires_on",
            "phone",
            "email",
            "line_id",
            "website",
            "languages",
            "export_experience",
            "is_active",
        ]
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "export_experience": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self) -> None:
        # The service says it, in the words the page shows (see _check_vendor).
        pass

    def clean_certificate_number(self) -> str:
        return arabic_digits(self.cleaned_data["certificate_number"].strip())

    def fields_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "languages"}


class ProductForm(PortalModelForm):
    """A product, with one more photo at a time (checked as every photo is) and the
    photos to remove."""

    photo = PhotoFormField(label=_("Add a photo"), required=False)
    photo_caption = forms.CharField(label=_("Caption of the photo"), max_length=255, required=False)
    remove_photos = forms.ModelMultipleChoiceField(
        label=_("Remove photos"),
        queryset=ProductPhoto.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Product
        fields = [
            "category",
            "name_th",
            "name_en",
            "description_th",
            "description_en",
            "price_thb",
            "unit",
            "min_order_quantity",
            "shelf_life_days",
            "other_certifications",
            "is_export_ready",
        ]
        widgets = {
            "description_th": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            remove = cast(forms.ModelMultipleChoiceField, self.fields["remove_photos"])
            remove.queryset = self.instance.photos.all()
        else:
            del self.fields["remove_photos"]
        self._add_buyer_language_fields()

    def _add_buyer_language_fields(self) -> None:
        """A name and a description in each buyers' language (django-parler's rows), shown
        on the showcase; an empty name removes that language's text."""
        existing = (
            {t.language_code: t for t in self.instance.translations.all()}
            if self.instance.pk
            else {}
        )
        for code, language in TRANSLATED_LANGUAGES:
            own = existing.get(code)
            self.fields[f"buyer_name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language},
                max_length=255,
                required=False,
                initial=own.buyer_name if own else "",
                help_text=_("For the buyers' showcase. Left empty, the showcase shows English."),
            )
            self.fields[f"buyer_description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": language},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=own.buyer_description if own else "",
            )
        # Beside the Thai and English texts, before the price and the photos.
        texts = ["category", "name_th", "name_en", "description_th", "description_en"]
        self.order_fields(texts + [n for n in self.fields if n.startswith("buyer_")])

    def clean(self):
        cleaned = super().clean() or {}
        for code, language in TRANSLATED_LANGUAGES:
            name = (cleaned.get(f"buyer_name_{code}") or "").strip()
            if not name and (cleaned.get(f"buyer_description_{code}") or "").strip():
                self.add_error(
                    f"buyer_name_{code}",
                    _("Give the name (%(language)s) too, or leave the description empty.")
                    % {"language": language},
                )
        return cleaned

    def buyer_texts_for_service(self) -> dict[str, tuple[str, str]]:
        return {
            code: (
                (self.cleaned_data.get(f"buyer_name_{code}") or "").strip(),
                (self.cleaned_data.get(f"buyer_description_{code}") or "").strip(),
            )
            for code, _language in TRANSLATED_LANGUAGES
        }

    def validate_unique(self) -> None:
        # The unique name per vendor is the service's rule (product_save).
        pass

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_product_photo(photo)
        return photo

    def fields_for_service(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}
