"""SDO and FAO follow the leads: a list filtered and paginated, a lead's page with notes and
a follow-up date, its status moving forward only, SDO's check, and the to-do list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buyers import policy
from buyers.models import Lead
from buyers.services_leads import lead_confirm, lead_reject, lead_status_change
from core.todo import todo_for
from tests.factories import VendorFactory

from .conftest import make_lead

pytestmark = pytest.mark.django_db


def test_the_list_takes_the_same_queries_for_3_or_30_leads(showcase, sdo_user, client_for):
    link, _vendor, product = showcase
    client = client_for(sdo_user)
    url = reverse("buyers:lead-list")
    for _ in range(3):
        make_lead(link, VendorFactory(), product=None)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(27):
        make_lead(link, VendorFactory(), product=product)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.content.decode().count("data-lead=") == 25  # one page


def test_the_list_filters_by_status_session_and_city(showcase, fao_user, client_for):
    link, vendor, _ = showcase
    new = make_lead(link, vendor, company="New Co")
    make_lead(link, vendor, company="Done Co", status=Lead.Status.CLOSED)
    client = client_for(fao_user)
    html = client.get(reverse("buyers:lead-list") + "?status=new").content.decode()
    assert "New Co" in html and "Done Co" not in html
    html = client.get(
        reverse("buyers:lead-list") + f"?session={link.session_id}&city={link.city_id}"
    ).content.decode()
    assert "New Co" in html and "Done Co" in html
    assert new.pk


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("new", ["contacted", "sample_sent", "ordered", "closed", "lost"]),
        ("contacted", ["sample_sent", "ordered", "closed", "lost"]),
        ("ordered", ["closed", "lost"]),
        ("closed", []),
        ("lost", []),
    ],
)
def test_a_status_moves_forward_or_to_lost_never_back(showcase, status, allowed):
    link, vendor, _ = showcase
    assert policy.next_statuses(make_lead(link, vendor, status=status)) == allowed


def test_a_rejected_lead_moves_no_more(showcase, sdo_user):
    link, vendor, _ = showcase
    lead = lead_reject(lead=make_lead(link, vendor), acting_user=sdo_user)
    assert policy.next_statuses(lead) == []


@pytest.mark.parametrize(
    ("lang", "done", "refused"),
    [
        ("en", "The status of the lead was changed.", "This lead cannot move to that status."),
        ("th", "เปลี่ยนสถานะของรายการผู้สนใจแล้ว", "รายการผู้สนใจนี้เปลี่ยนเป็นสถานะนั้นไม่ได้"),
    ],
)
def test_staff_change_a_status_and_are_told_in_their_language(
    showcase, sdo_user, client_for, lang, done, refused
):
    link, vendor, _ = showcase
    lead = make_lead(link, vendor)
    client = client_for(sdo_user, lang)
    url = reverse("buyers:lead-status", args=[lead.pk])
    response = client.post(url, {"status": "contacted"}, follow=True)
    assert done in response.content.decode()
    response = client.post(url, {"status": "new"}, follow=True)
    assert refused in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == "contacted"
    assert lead.history.first().history_user == sdo_user


def test_notes_and_a_follow_up_date_are_kept(showcase, fao_user, client_for):
    link, vendor, _ = showcase
    lead = make_lead(link, vendor)
    response = client_for(fao_user).post(
        reverse("buyers:lead-follow-up", args=[lead.pk]),
        {"notes": "Called, wants a sample", "follow_up_on": "2026-12-20"},
        follow=True,
    )
    assert "The notes and follow-up date were saved." in response.content.decode()
    lead.refresh_from_db()
    assert (lead.notes, lead.follow_up_on) == ("Called, wants a sample", dt.date(2026, 12, 20))


@pytest.mark.parametrize(
    ("lang", "confirmed", "again"),
    [
        (
            "en",
            "The lead was confirmed as a real buying contact.",
            "This lead has already been checked.",
        ),
        ("th", "ยืนยันแล้วว่าเป็นการติดต่อซื้อจริง", "รายการผู้สนใจนี้ได้รับการตรวจสอบแล้ว"),
    ],
)
def test_sdo_confirms_a_lead_once(showcase, sdo_user, client_for, lang, confirmed, again):
    link, vendor, _ = showcase
    lead = make_lead(link, vendor)
    client = client_for(sdo_user, lang)
    url = reverse("buyers:lead-confirm", args=[lead.pk])
    assert confirmed in client.post(url, follow=True).content.decode()
    assert (
        again
        in client.post(reverse("buyers:lead-reject", args=[lead.pk]), follow=True).content.decode()
    )
    lead.refresh_from_db()
    assert (lead.verification, lead.verified_by) == ("confirmed", sdo_user)


def test_the_todo_lists_new_leads_and_follow_ups_due(showcase, sdo_user, fao_user, seo_user):
    link, vendor, _ = showcase
    today = timezone.localdate()
    make_lead(link, vendor)  # new
    make_lead(link, vendor, status="contacted", follow_up_on=today)  # due
    make_lead(link, vendor, status="contacted", follow_up_on=today + dt.timedelta(days=3))
    make_lead(link, vendor, status="lost", follow_up_on=today)  # no longer open
    make_lead(link, vendor, verification="rejected")  # spam
    for user in (sdo_user, fao_user):
        counts = {item.key: item.count for item in todo_for(user)}
        assert counts["buyers.leads"] == 2
    assert "buyers.leads" not in {item.key for item in todo_for(seo_user)}


def test_status_change_service_refuses_a_step_back(showcase, sdo_user):
    from django.core.exceptions import ValidationError

    link, vendor, _ = showcase
    lead = lead_status_change(lead=make_lead(link, vendor), status="ordered", acting_user=sdo_user)
    with pytest.raises(ValidationError):
        lead_status_change(lead=lead, status="contacted", acting_user=sdo_user)
    lead_confirm(lead=make_lead(link, vendor), acting_user=sdo_user)
