import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import delete_audited, save_audited
from core.audit_log import BANGKOK
from core.roles import Role
from meetings.models import Session
from vendors.models import Vendor

from ..factories import ProductFactory, SessionFactory, SisterCityFactory, VendorFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def rename(vendor, name, user, reason="typo in the registry"):
    vendor.business_name_en = name
    save_audited(vendor, acting_user=user, reason=reason)


def stamp_last(model, when: dt.datetime) -> None:
    """Date the latest history row of `model` (the page's clock is the row's date)."""
    row = model.history.model.objects.order_by("-history_id").first()
    model.history.model.objects.filter(pk=row.pk).update(history_date=when)


def entries_of(response) -> list:
    return [e for day in response.context["result"].days for g in day.objects for e in g.entries]


def test_a_change_shows_who_when_and_what(client_for, fao_user, sdo_user):
    vendor = VendorFactory(business_name_en="Old Name")
    rename(vendor, "New Name", sdo_user)

    response = client_for(fao_user).get(reverse("core:audit"))
    change = next(e for e in entries_of(response) if e.action == "~")
    assert change.user == sdo_user.get_full_name()
    assert change.model_label == "vendors.vendor"
    assert change.object_label == "New Name"
    assert change.reason == "typo in the registry"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("business name (English)", "Old Name", "New Name")
    ]
    text = response.content.decode()
    assert "<strong>business name (English)</strong> Old Name → New Name" in text


@pytest.mark.parametrize(
    ("language", "field", "old", "new", "model", "action", "name"),
    [
        ("en", "status", "Planned", "City invited", "Session", "changed", "Session 3"),
        ("th", "สถานะ", "วางแผนแล้ว", "เชิญเมืองแล้ว", "เซสชัน", "แก้ไข", "ครั้งที่ 3"),
    ],
)
def test_status_codes_are_shown_by_their_labels_in_the_reader_s_language(
    client_for, fao_user, language, field, old, new, model, action, name
):
    session = SessionFactory(status=Session.Status.PLANNED, number=3)
    session.status = Session.Status.CITY_INVITED
    save_audited(session, acting_user=fao_user)

    response = client_for(fao_user, language).get(reverse("core:audit"), {"action": "~"})
    (entry,) = entries_of(response)
    assert (entry.changes[0].field, entry.changes[0].old, entry.changes[0].new) == (
        field,
        old,
        new,
    )
    text = response.content.decode()
    assert f"<strong>{field}</strong> {old} → {new}" in text
    assert f">{action}</span>" in text
    assert f'<span class="text-muted">{model}</span>' in text
    assert "city_invited" not in text
    # A session has no name field: the app names it (core.audit_log.register_object_page).
    assert entry.object_label == name
    assert entry.link == reverse("meetings:session-detail", kwargs={"session_id": session.pk})


@pytest.mark.parametrize(
    ("language", "field", "label"),
    [
        ("en", "business name (English)", "Som Tam Shop"),
        # A Thai reader sees the record's Thai name.
        ("th", "ชื่อกิจการ (ภาษาอังกฤษ)", "ร้านส้มตำ"),
    ],
)
def test_field_names_and_record_names_in_the_reader_s_language(
    client_for, fao_user, language, field, label
):
    vendor = VendorFactory(business_name_en="Som Tam", business_name_th="ร้านส้มตำ")
    rename(vendor, "Som Tam Shop", fao_user)
    response = client_for(fao_user, language).get(reverse("core:audit"), {"action": "~"})
    (entry,) = entries_of(response)
    assert entry.changes[0].field == field
    assert entry.object_label == label


@pytest.mark.parametrize(
    ("language", "day", "time"),
    [("en", "Tuesday 24 November 2026", "03:30"), ("th", "อังคาร 24 พฤศจิกายน 2569", "03:30")],
)
def test_times_are_bangkok_s_and_days_have_the_be_year_in_thai(
    client_for, fao_user, language, day, time
):
    vendor = VendorFactory()
    rename(vendor, "Late", fao_user)
    # 20:30 UTC on the 23rd is 03:30 in Bangkok on the 24th.
    stamp_last(Vendor, dt.datetime(2026, 11, 23, 20, 30, tzinfo=UTC))
    response = client_for(fao_user, language).get(reverse("core:audit"), {"action": "~"})
    text = response.content.decode()
    assert f'id="audit-day-1">{day}</h2>' in text
    assert f'class="text-muted">{time}</time>' in text
    (entry,) = entries_of(response)
    assert entry.when.tzinfo == BANGKOK


def test_entries_are_grouped_by_day_then_by_record(client_for, fao_user, sdo_user):
    first, second = VendorFactory(), VendorFactory()
    times = [
        (first, dt.datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
        (second, dt.datetime(2026, 11, 24, 3, 0, tzinfo=UTC)),
        (first, dt.datetime(2026, 11, 24, 4, 0, tzinfo=UTC)),
        (first, dt.datetime(2026, 11, 22, 4, 0, tzinfo=UTC)),
    ]
    for n, (vendor, when) in enumerate(times):
        rename(vendor, f"name {n}", sdo_user)
        stamp_last(Vendor, when)
    days = client_for(fao_user).get(reverse("core:audit"), {"action": "~"}).context["result"].days
    assert [d.day for d in days] == [dt.date(2026, 11, 24), dt.date(2026, 11, 22)]
    # The 24th: the first vendor (changed last, twice), then the second.
    assert [(g.object_label, len(g.entries)) for g in days[0].objects] == [
        ("name 2", 2),
        ("name 1", 1),
    ]
    assert [e.object_id for e in days[0].objects[0].entries] == [first.pk, first.pk]
    assert days[1].entry_count == 1


def test_the_trail_is_paginated_fifty_entries_a_page(client_for, fao_user):
    vendor = VendorFactory()
    for n in range(60):
        rename(vendor, f"name {n}", fao_user)
    client = client_for(fao_user)
    url = reverse("core:audit")
    first = client.get(url, {"action": "~"})
    assert len(entries_of(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?action=~&amp;page=2"' in first.content.decode()
    second = client.get(url, {"action": "~", "page": "2"})
    assert len(entries_of(second)) == 10
    assert entries_of(second)[-1].changes[0].new == "name 0"
    # A page out of range or not a number shows a page, not an error.
    assert entries_of(client.get(url, {"action": "~", "page": "99"})) == entries_of(second)
    assert len(entries_of(client.get(url, {"action": "~", "page": "x"}))) == 50


def test_filters_by_record_type_user_and_change(client_for, fao_user, sdo_user):
    vendor = VendorFactory()
    rename(vendor, "Renamed", sdo_user)
    client = client_for(fao_user)
    only_changes = entries_of(client.get(reverse("core:audit"), {"action": "~"}))
    assert {e.action for e in only_changes} == {"~"}
    by_sdo = entries_of(client.get(reverse("core:audit"), {"user": sdo_user.pk}))
    assert len(by_sdo) == 1 and by_sdo[0].user == sdo_user.get_full_name()
    products = client.get(reverse("core:audit"), {"model": "vendors.product"})
    assert entries_of(products) == []
    assert "No change matches these filters." in products.content.decode()


@pytest.mark.parametrize("since", ["24/11/2569", "24/11/2026", "24/11/2026 CE"])
def test_a_date_range_is_in_bangkok_days_typed_be_or_ce(client_for, fao_user, since):
    vendor = VendorFactory()
    rename(vendor, "before", fao_user)
    stamp_last(Vendor, dt.datetime(2026, 11, 23, 16, 59, tzinfo=UTC))  # 23:59 in Bangkok
    rename(vendor, "inside", fao_user)
    stamp_last(Vendor, dt.datetime(2026, 11, 23, 17, 0, tzinfo=UTC))  # 00:00 on the 24th
    rename(vendor, "after", fao_user)
    stamp_last(Vendor, dt.datetime(2026, 11, 24, 17, 0, tzinfo=UTC))  # 00:00 on the 25th
    response = client_for(fao_user).get(
        reverse("core:audit"), {"since": since, "until": "24/11/2569", "action": "~"}
    )
    assert [e.changes[0].new for e in entries_of(response)] == ["inside"]


def test_a_reversed_date_range_is_explained(client_for, fao_user):
    response = client_for(fao_user).get(
        reverse("core:audit"), {"since": "23/11/2569", "until": "1/11/2569"}
    )
    assert response.context["result"] is None
    assert "The start date is after the end date." in response.content.decode()


def test_records_link_to_their_pages(client_for, fao_user):
    vendor = VendorFactory(business_name_en="Linked")
    ProductFactory(vendor=vendor, name_en="Chili paste")
    city = SisterCityFactory(name_en="Busan")
    gone = VendorFactory(business_name_en="Gone")
    delete_audited(gone, acting_user=fao_user)
    response = client_for(fao_user).get(reverse("core:audit"))
    links = {(e.model_label, e.object_label, e.action): e.link for e in entries_of(response)}
    vendor_page = reverse("vendors:detail", kwargs={"pk": vendor.pk})
    assert links[("vendors.vendor", "Linked", "+")] == vendor_page
    # A product is shown on its vendor's page.
    assert links[("vendors.product", "Chili paste", "+")] == vendor_page
    # A city has no portal page: FAO goes to the admin.
    assert links[("cities.sistercity", "Busan", "+")] == reverse(
        "admin:cities_sistercity_change", args=[city.pk]
    )
    assert links[("vendors.vendor", "Gone", "-")] == ""
    assert f'href="{vendor_page}" class="audit-object-link">Linked</a>' in response.content.decode()


def test_checksums_are_shortened_with_the_whole_value_on_demand(client_for, fao_user):
    from reports.models import ReportGeneration

    from ..factories import ProgrammeYearFactory

    year = ProgrammeYearFactory()
    generation = ReportGeneration.objects.create(
        kind=ReportGeneration.Kind.ANNUAL,
        programme_year=year,
        version=1,
        language=ReportGeneration.Language.THAI,
        requested_by=fao_user,
    )
    generation.sha256 = "ab12cd34" + "0" * 56
    save_audited(generation, acting_user=None)
    response = client_for(fao_user).get(
        reverse("core:audit"), {"model": "reports.reportgeneration", "action": "~"}
    )
    (change,) = entries_of(response)[0].changes
    assert (change.field, change.old, change.new) == ("SHA-256 checksum", "–", "ab12cd34…")
    assert change.new_full == "ab12cd34" + "0" * 56
    text = response.content.decode()
    assert "<strong>SHA-256 checksum</strong> – → ab12cd34…" in text
    assert "<details" in text and "0" * 56 in text


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_query_count_is_fixed_whatever_the_changes(client_for, fao_user, sdo_user):
    client = client_for(fao_user)
    url = reverse("core:audit")
    vendor = VendorFactory()
    rename(vendor, "one", sdo_user)
    ProductFactory(vendor=vendor)
    few = count_queries(client, url)
    for n in range(30):
        rename(VendorFactory(), f"name {n}", sdo_user)
        rename(vendor, f"again {n}", fao_user)
        ProductFactory(vendor=vendor)
    many = count_queries(client, url)
    assert many == few
    # The session and user, the form's users, the count, the page's keys, per model on the
    # page (vendors, products) its rows, and for the changed one the (object, id) pairs of
    # its history and the versions before the changes; and the menu's to-do count.
    assert many == 10
    assert count_queries(client, url, {"page": "3"}) == many


def test_only_fao_reads_the_audit_trail(make_user, client_for):
    for role, status in ((Role.FAO, 200), (Role.SDO, 403), (Role.SEO, 403), (Role.EXECUTIVE, 403)):
        client = client_for(make_user(role))
        assert client.get(reverse("core:audit")).status_code == status
        assert client.post(reverse("core:audit-export")).status_code == (
            302 if role == Role.FAO else 403
        )


def test_a_page_of_the_trail_does_not_rebuild_the_history_managers(
    client_for, fao_user, sdo_user, monkeypatch
):
    """Each read of `Model.history` builds a manager class (simple_history's descriptor):
    at some 70 reads a page, that was a third of the trail's time in Python (#19)."""
    from simple_history.manager import HistoryDescriptor

    vendor = VendorFactory(business_name_en="Old Name")
    rename(vendor, "New Name", sdo_user)
    client = client_for(fao_user)
    assert client.get(reverse("core:audit")).status_code == 200  # the first read fills them
    reads = []
    original = HistoryDescriptor.__get__

    def counted(self, instance, owner):
        reads.append(owner)
        return original(self, instance, owner)

    monkeypatch.setattr(HistoryDescriptor, "__get__", counted)
    response = client.get(reverse("core:audit"))
    assert response.status_code == 200
    assert "New Name" in response.content.decode()
    assert reads == []
