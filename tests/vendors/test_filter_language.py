"""The vendor filter's choices follow the reader's language, not the language active
when the module was imported (issue #16 item 11: Thai was left on English pages)."""

from django.utils import translation

from vendors.forms import VendorFilterForm


def _soon_label() -> str:
    form = VendorFilterForm()
    return str(dict(form.fields["expiring"].choices)["soon"])


def test_expiring_soon_in_each_language():
    with translation.override("th"):
        assert _soon_label() == "หมดอายุภายใน 90 วัน"
    with translation.override("en"):
        assert _soon_label() == "Expires within 90 days"
    with translation.override("th"):
        assert _soon_label() == "หมดอายุภายใน 90 วัน"
