"""Submitting, accepting and returning a submission ask first, stating what follows and
whether it can be undone (issue 16, item 3). The confirmation is a page: it works without
JavaScript, and sending it twice changes things once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import KpiSnapshot, Submission

from ..factories import ProductFactory, VendorFactory
from .conftest import attend, submission_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(session1):
    """A draft SDO may still submit (the one of tests/outcomes/test_views.py)."""
    vendor = VendorFactory(business_name_en="Phra Nakhon Desserts")
    attend(vendor, session1)
    ProductFactory(vendor=vendor, name_en="Coconut rolls", unit="box")
    submission = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.DRAFT)
    submission.period.locked_on = timezone.localdate() + dt.timedelta(days=60)
    submission.period.save()
    return submission


SUBMIT = {
    "en": (
        "Submit to FAO?",
        "FAO is told and reviews the submission. From then on it cannot be changed here: "
        "if something is wrong, only FAO can return it to SDO.",
        "Yes, submit to FAO",
    ),
    "th": (
        "ส่งแบบรายงานให้ สกต. หรือไม่",
        "สกต. จะได้รับแจ้งและตรวจแบบรายงาน หลังจากนี้จะแก้ไขไม่ได้ หากมีข้อผิดพลาด มีเพียง สกต. ที่ส่งคืน สพส. ได้",
        "ยืนยัน ส่ง สกต.",
    ),
}
ACCEPT = {
    "en": (
        "Accept the submission?",
        "Its contacts and orders then count in the statistics and the KPI, which is "
        "recomputed, and nobody can change it any more. To undo, return it to SDO with a "
        "reason: they stop counting until it is accepted again.",
        "Yes, accept",
    ),
    "th": (
        "ยอมรับแบบรายงานหรือไม่",
        "ผู้ติดต่อและคำสั่งซื้อจะนับในสถิติและตัวชี้วัดซึ่งจะคำนวณใหม่ และจะไม่มีผู้ใดแก้ไขได้อีก "
        "หากต้องการย้อนกลับ ให้ส่งคืน สพส. พร้อมเหตุผล ข้อมูลจะไม่ถูกนับจนกว่าจะยอมรับอีกครั้ง",
        "ยืนยัน ยอมรับ",
    ),
}
RETURN = {
    "en": (
        "Return the submission to SDO?",
        "SDO sees your reason and can change the submission and submit it again; a vendor "
        "that filled it in through its link is told.",
        "Yes, return to SDO",
    ),
    "th": (
        "ส่งคืนแบบรายงานให้ สพส. หรือไม่",
        "สพส. จะเห็นเหตุผลของท่าน แก้ไขแบบรายงานและส่งใหม่ได้ ผู้ประกอบการที่กรอกผ่านลิงก์จะได้รับแจ้ง",
        "ยืนยัน ส่งคืน สพส.",
    ),
}
REOPEN = {
    "en": (
        "Its contacts and orders stop counting in the statistics and the KPI at once, until "
        "it is accepted again. SDO sees your reason and can change the submission and "
        "submit it again."
    ),
    "th": (
        "ผู้ติดต่อและคำสั่งซื้อจะไม่ถูกนับในสถิติและตัวชี้วัดทันที จนกว่าจะยอมรับอีกครั้ง "
        "สพส. จะเห็นเหตุผลของท่าน แก้ไขแบบรายงานและส่งใหม่ได้"
    ),
}


def _once(page) -> str:
    return re.search(r'name="form_once" value="([^"]+)"', page.content.decode()).group(1)


def _url(name: str, submission) -> str:
    return reverse(f"outcomes:{name}", kwargs={"pk": submission.pk})


@pytest.mark.parametrize("language", ["en", "th"])
def test_submitting_asks_first_and_acts_once(submission, sdo_user, client_for, language):
    client = client_for(sdo_user, language)
    detail = client.get(_url("submission-detail", submission)).content.decode()
    url = _url("submission-submit", submission)
    assert f'href="{url}" id="submit-submission"' in detail
    page = client.get(url)
    title, consequence, button = SUBMIT[language]
    text = page.content.decode()
    assert page.status_code == 200
    assert title in text and consequence in text and button in text
    submission.refresh_from_db()
    assert submission.status == "draft"

    token = _once(page)
    assert client.post(url, {"form_once": token}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted"
    submitted_at = submission.submitted_at
    # The same form sent again changes nothing.
    client.post(url, {"form_once": token})
    submission.refresh_from_db()
    assert submission.submitted_at == submitted_at


@pytest.mark.parametrize("language", ["en", "th"])
def test_accepting_states_what_counts_and_the_undo(
    submission,
    fao_user,
    sdo_user,
    client_for,
    language,
    django_capture_on_commit_callbacks,
):
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    url = _url("submission-accept", submission)
    assert client_for(sdo_user).get(url).status_code == 403
    client = client_for(fao_user, language)
    detail = client.get(_url("submission-detail", submission)).content.decode()
    assert f'href="{url}" id="accept-submission"' in detail
    page = client.get(url)
    title, consequence, button = ACCEPT[language]
    text = page.content.decode()
    assert title in text and consequence in text and button in text
    assert not KpiSnapshot.objects.exists()
    submission.refresh_from_db()
    assert submission.status == "submitted"

    token = _once(page)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"form_once": token})
        client.post(url, {"form_once": token})
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert KpiSnapshot.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "th"])
def test_returning_asks_for_the_reason_on_the_confirmation(
    submission,
    fao_user,
    sdo_user,
    client_for,
    language,
):
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    url = _url("submission-return", submission)
    assert client_for(sdo_user).get(url).status_code == 403
    client = client_for(fao_user, language)
    page = client.get(url)
    title, consequence, button = RETURN[language]
    text = page.content.decode()
    assert title in text and consequence in text and button in text
    assert 'name="reason"' in text
    empty = client.post(url, {"form_once": _once(page), "reason": " "})
    assert empty.status_code == 200
    submission.refresh_from_db()
    assert submission.status == "submitted"
    page = client.get(url)
    client.post(url, {"form_once": _once(page), "reason": "The order has no value."})
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == ("returned", "The order has no value.")


@pytest.mark.parametrize("language", ["en", "th"])
def test_reopening_an_accepted_submission_says_it_stops_counting(
    submission,
    fao_user,
    client_for,
    language,
):
    Submission.objects.filter(pk=submission.pk).update(status="accepted")
    page = client_for(fao_user, language).get(_url("submission-return", submission))
    assert REOPEN[language] in page.content.decode()


def test_a_confirmation_of_a_state_that_moved_on_is_refused(submission, fao_user, client_for):
    # A draft cannot be accepted: the POST is refused with the service's reason.
    response = client_for(fao_user).post(_url("submission-accept", submission), follow=True)
    assert "Only a submitted submission can be accepted." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "draft"
