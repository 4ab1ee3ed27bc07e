"""The outcome request and the "returned" notice reach a LINE-linked vendor over LINE
(the fake LINE over HTTPS), in Thai, with its signed link."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.models import LineLink, OutboxMessage
from outcomes.links import vendor_link_create, vendor_link_resolve, vendor_link_url
from outcomes.models import Submission
from outcomes.services import submission_return

from .test_links import submission  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def thai_label(period) -> str:
    with translation.override("th"):
        return str(period.label)


@pytest.fixture
def on_line(submission, fake_line):  # noqa: F811
    vendor = submission.vendor
    LineLink.objects.create(vendor=vendor, line_user_id=fake_line.new_user())
    return vendor


def test_the_outcome_request_goes_by_line_in_thai_with_the_signed_link(
    submission,  # noqa: F811
    on_line,
    fake_line,
    sdo_user,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        link = vendor_link_create(submission=submission, acting_user=sdo_user)
    (text,) = fake_line.delivered[on_line.line_link.line_user_id]
    first, second, url = text.splitlines()
    assert first == f"BB Portal: รายงานผลรอบหกเดือน {thai_label(submission.period)}"
    assert second.startswith("กรุณาแจ้งว่าท่านได้ติดต่อกับใครบ้างหลังการประชุม กรอกแบบฟอร์มภายในวันที่ ")
    assert url.startswith("http") and vendor_link_resolve(url.rstrip("/").rsplit("/", 1)[1]) == link


def test_a_returned_submission_tells_the_vendor_to_correct_it_with_its_link(
    submission,  # noqa: F811
    on_line,
    fake_line,
    sdo_user,
    fao_user,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        link = vendor_link_create(submission=submission, acting_user=sdo_user)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    submission.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        submission_return(submission=submission, reason="dates missing", acting_user=fao_user)
    texts = fake_line.delivered[on_line.line_link.line_user_id]
    first, second, url = texts[-1].splitlines()
    assert first == f"BB Portal: รายงานรอบ {thai_label(submission.period)} ของท่านต้องแก้ไข"
    assert second == "กรุณาแก้ไขผ่านลิงก์เดิม:"
    assert vendor_link_resolve(url.rstrip("/").rsplit("/", 1)[1]) == link
    assert OutboxMessage.objects.filter(template="outcomes.submission_returned").count() == 1


def test_the_vendor_page_shows_its_line_code_until_it_is_linked(
    submission,  # noqa: F811
    sdo_user,
    client_for,
    fake_line,
    settings,
):
    settings.LINE_BOT_BASIC_ID = "@bbportal"
    link = vendor_link_create(submission=submission, acting_user=sdo_user)
    page = client_for(None).get(vendor_link_url(link, absolute=False))
    code = submission.vendor.line_link_codes.get().code
    assert code in page.content.decode()
    assert "https://line.me/R/ti/p/@bbportal" in page.content.decode()
    fake_line.webhook(
        client_for(None),
        [fake_line.message_event(fake_line.new_user(), code)],
        path=reverse("notifications:line-webhook"),
    )
    page = client_for(None).get(vendor_link_url(link, absolute=False))
    assert 'id="line-code"' not in page.content.decode()
