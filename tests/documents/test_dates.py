"""The register's dates are typed in the portal's one date field, BE or CE, with the format
shown beside them and a day that does not exist named (issue 16, item 12), not the
browser's date picker."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Document

from .test_register import generate_letter

pytestmark = pytest.mark.django_db

TEXT = {
    "th": {
        "hint": "วว/ดด/ปปปป (พ.ศ.) เช่น 23/11/2569",
        "bad_day": "31/02/2564",
        "no_day": "ไม่มีวันที่ 31/02/2564: เดือนกุมภาพันธ์ 2564 มี 28 วัน",
    },
    "en": {
        "hint": "dd/mm/yyyy, for example 23/11/2026",
        "bad_day": "31/02/2021",
        "no_day": "31/02/2021 does not exist: February 2021 has 28 days.",
    },
}


def _once(page) -> str:
    return re.search(r'name="form_once" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_sent_and_reply_dates_take_be_or_ce_and_name_a_day_that_does_not_exist(
    programme, fao_user, client_for, language
):
    document = Document.objects.get(
        pk=generate_letter(programme, fao_user, programme.fukuoka).document_id
    )
    client = client_for(fao_user, language)
    url = reverse("documents:detail", args=[document.pk])
    page = client.get(url)
    text = page.content.decode()
    assert 'type="date"' not in text
    assert text.count(TEXT[language]["hint"]) == 2  # the date sent and the date of the reply

    response = client.post(
        reverse("documents:sent", args=[document.pk]),
        {"form_once": _once(page), "sent_on": TEXT[language]["bad_day"]},
        follow=True,
    )
    assert TEXT[language]["no_day"] in response.content.decode()
    document.refresh_from_db()
    assert document.sent_on is None

    page = client.get(url)
    today = timezone.localdate()
    year = today.year + 543 if language == "th" else today.year
    typed = f"{today.day}/{today.month}/{year}"
    client.post(
        reverse("documents:sent", args=[document.pk]), {"form_once": _once(page), "sent_on": typed}
    )
    document.refresh_from_db()
    assert document.sent_on == today

    page = client.get(url)
    response = client.post(
        reverse("documents:reply", args=[document.pk]),
        {"form_once": _once(page), "reply": "accepted", "replied_on": TEXT[language]["bad_day"]},
        follow=True,
    )
    assert TEXT[language]["no_day"] in response.content.decode()
