"""Generating a document for the first time issues its number, which is never taken back:
the year page asks first, stating the number (issue 16, item 3). A new version of a
numbered document issues nothing and is not asked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.roles import Role
from documents.models import Document, NumberSequence

pytestmark = pytest.mark.django_db

ISSUE = {
    "en": (
        "Issue a number and generate the document?",
        "The document takes the next number of the register, now BMA 1401/101. A number "
        "once issued cannot be taken back or given to another document; later versions "
        "keep it.",
        "Yes, issue the number",
    ),
    "th": (
        "ออกเลขที่และจัดทำหนังสือหรือไม่",
        "หนังสือจะได้เลขที่ถัดไปของทะเบียน ขณะนี้คือ กท ๑๔๐๑/๑๐๑ "
        "เลขที่ที่ออกแล้วเรียกคืนหรือให้หนังสืออื่นไม่ได้ ฉบับแก้ไขภายหลังใช้เลขเดิม",
        "ยืนยัน ออกเลขที่",
    ),
}


@pytest.mark.parametrize("language", ["en", "th"])
def test_the_first_generation_asks_and_issues_the_number_once(
    programme, fao_user, make_user, client_for, language
):
    client = client_for(fao_user, language)
    year_url = reverse("documents:year", args=[2564])
    year_page = client.get(year_url).content.decode()
    url = reverse("documents:generate", args=[2564])
    # The row of a document not yet numbered asks first (a GET form to the confirmation).
    assert f'<form method="get" action="{url}"' in year_page
    query = {"kind": "report_cover", "session": programme.sessions[0].pk, "language": "th"}
    assert client_for(make_user(Role.EXECUTIVE)).get(url, query).status_code == 403
    page = client.get(url, query)
    assert page.status_code == 200
    title, consequence, button = ISSUE[language]
    text = page.content.decode()
    assert title in text and consequence in text and button in text
    assert not Document.objects.exists()

    token = re.search(r'name="form_once" value="([^"]+)"', text).group(1)
    data = {**query, "form_once": token}
    client.post(url, data)
    client.post(url, data)
    document = Document.objects.get()
    assert (document.number, document.versions.count()) == (101, 1)
    assert NumberSequence.objects.get().next_number == 102
    # Numbered now: its row posts a new version straight away.
    year_page = client.get(year_url).content.decode()
    row = year_page[year_page.index('data-kind="report_cover"') :]
    assert '<form method="post"' in row[: row.index("</tr>")]


def test_a_bare_confirmation_goes_back_to_the_year(programme, fao_user, client_for):
    response = client_for(fao_user).get(reverse("documents:generate", args=[2564]))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:year", args=[2564])
