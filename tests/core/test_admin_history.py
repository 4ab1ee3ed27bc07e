"""The audit trail in the admin: every programme model that keeps history shows it."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.audit import save_audited

from ..factories import VendorFactory

pytestmark = pytest.mark.django_db

PROGRAMME_APPS = {"cities", "vendors", "meetings", "outcomes", "reports"}


def test_every_audited_model_in_the_admin_shows_its_history():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROGRAMME_APPS
        and hasattr(model, "history")
        and not isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert missing == []


def test_a_vendor_s_history_page_names_who_changed_it(client_for, fao_user, sdo_user):
    vendor = VendorFactory(business_name_en="Before")
    vendor.business_name_en = "After"
    save_audited(vendor, acting_user=sdo_user)
    response = client_for(fao_user).get(reverse("admin:vendors_vendor_history", args=[vendor.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert sdo_user.get_username() in text or sdo_user.get_full_name() in text
    assert "After" in text


def test_an_admin_edit_is_recorded_with_its_user(client_for, fao_user):
    vendor = VendorFactory()
    client = client_for(fao_user)
    change_url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    form = client.get(change_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "business_name_en": "Edited in the admin",
            "district": vendor.district_id,
            "languages": [],
            "products-TOTAL_FORMS": "0",
            "products-INITIAL_FORMS": "0",
            "products-MIN_NUM_FORMS": "0",
            "products-MAX_NUM_FORMS": "1000",
        }
    )
    data = {k: v for k, v in data.items() if not hasattr(v, "pk")}
    response = client.post(change_url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    record = vendor.history.order_by("-history_date").first()
    assert record.business_name_en == "Edited in the admin"
    assert record.history_user == fao_user
