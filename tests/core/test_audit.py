import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.audit import save_audited
from core.roles import Role

from ..factories import VendorFactory

pytestmark = pytest.mark.django_db


def rename(vendor, name, user):
    vendor.business_name_en = name
    save_audited(vendor, acting_user=user, reason="typo in the registry")


def test_a_change_shows_who_when_and_what(client_for, fao_user, sdo_user):
    vendor = VendorFactory(business_name_en="Old Name")
    rename(vendor, "New Name", sdo_user)

    response = client_for(fao_user).get(reverse("core:audit"))
    entries = response.context["entries"]
    change = next(e for e in entries if e.action == "~")
    assert change.user == sdo_user.get_full_name()
    assert change.model_label == "vendors.vendor"
    assert change.object_label == "New Name"
    assert change.reason == "typo in the registry"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("business name (English)", "Old Name", "New Name")
    ]
    text = response.content.decode()
    assert "business name (English)</strong>: Old Name → New Name" in text


def test_filters_by_record_type_user_and_change(client_for, fao_user, sdo_user):
    vendor = VendorFactory()
    rename(vendor, "Renamed", sdo_user)
    client = client_for(fao_user)
    only_changes = client.get(reverse("core:audit"), {"action": "~"}).context["entries"]
    assert {e.action for e in only_changes} == {"~"}
    by_sdo = client.get(reverse("core:audit"), {"user": sdo_user.pk}).context["entries"]
    assert len(by_sdo) == 1 and by_sdo[0].user == sdo_user.get_full_name()
    products = client.get(reverse("core:audit"), {"model": "vendors.product"}).context["entries"]
    assert products == []


def test_a_reversed_date_range_is_explained(client_for, fao_user):
    response = client_for(fao_user).get(
        reverse("core:audit"), {"since": "23/11/2569", "until": "1/11/2569"}
    )
    assert response.context["entries"] is None
    assert "The start date is after the end date." in response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_changes(client_for, fao_user, sdo_user):
    client = client_for(fao_user)
    url = reverse("core:audit")
    vendor = VendorFactory()
    rename(vendor, "one", sdo_user)
    few = count_queries(client, url)
    for n in range(20):
        rename(VendorFactory(), f"name {n}", sdo_user)
        rename(vendor, f"again {n}", fao_user)
    assert count_queries(client, url) == few


def test_export_holds_the_changes_and_neutralises_formulas(client_for, fao_user, sdo_user):
    vendor = VendorFactory(business_name_en="Plain")
    rename(vendor, '=HYPERLINK("http://evil.example","x")', sdo_user)
    response = client_for(fao_user).get(reverse("core:audit-export"), {"action": "~"})
    assert response["Content-Disposition"] == 'attachment; filename="bbportal-audit-trail.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("When", "Who", "Change")
    assert len(rows) == 2
    assert rows[1][1] == sdo_user.get_full_name()
    assert rows[1][5].startswith("'=HYPERLINK")
    assert rows[1][6] == 'business name (English): Plain → =HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("role", "status"), [(Role.FAO, 200), (Role.SDO, 403), (Role.SEO, 403), (Role.EXECUTIVE, 403)]
)
def test_only_fao_reads_the_audit_trail(role, status, make_user, client_for):
    client = client_for(make_user(role))
    assert client.get(reverse("core:audit")).status_code == status
    assert client.get(reverse("core:audit-export")).status_code == status
