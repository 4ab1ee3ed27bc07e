"""Delivering a session report to the executives asks first and says it cannot be undone
(issue 16, item 3); sending the confirmation twice delivers once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meetings.models import Session
from reports.models import ReportGeneration

from .test_views import done_generation  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

DELIVER = {
    "en": (
        "Deliver the report to the executives?",
        "The executives are told that the report is ready, and the session becomes "
        "“Reported”: it is closed for good. This cannot be undone.",
        "Yes, it is delivered",
    ),
    "th": (
        "เสนอรายงานต่อผู้บริหารหรือไม่",
        "ผู้บริหารจะได้รับแจ้งว่ารายงานพร้อมแล้ว และสถานะการประชุมจะเป็น “รายงานแล้ว” ซึ่งปิดถาวร ย้อนกลับไม่ได้",
        "ยืนยัน เสนอผู้บริหารแล้ว",
    ),
}


@pytest.mark.parametrize("language", ["en", "th"])
def test_delivering_asks_first_and_delivers_once(
    done_generation,  # noqa: F811
    fao_user,
    executive_user,
    client_for,
    language,
):
    url = reverse("reports:deliver", args=[done_generation.pk])
    assert client_for(executive_user).get(url).status_code == 403
    client = client_for(fao_user, language)
    report = client.get(reverse("reports:session", args=[done_generation.session_id]))
    assert f'href="{url}"' in report.content.decode()
    page = client.get(url)
    title, consequence, button = DELIVER[language]
    text = page.content.decode()
    assert page.status_code == 200
    assert title in text and consequence in text and button in text
    assert ReportGeneration.objects.get(pk=done_generation.pk).delivered_at is None

    token = re.search(r'name="form_once" value="([^"]+)"', text).group(1)
    client.post(url, {"form_once": token})
    delivered_at = ReportGeneration.objects.get(pk=done_generation.pk).delivered_at
    assert delivered_at is not None
    assert Session.objects.get(pk=done_generation.session_id).status == Session.Status.REPORTED
    client.post(url, {"form_once": token})
    assert ReportGeneration.objects.get(pk=done_generation.pk).delivered_at == delivered_at
