"""Issue #16 item 6: the notes on contact and order lines reach FAO wherever it reviews
them: on the submission page while it waits for review and after acceptance."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from outcomes.models import Submission

from ..factories import OrderLineFactory, OutcomeContactFactory, ProductFactory, VendorFactory
from .conftest import submission_for

pytestmark = pytest.mark.django_db

CONTACT_NOTE = "Asked for a halal certificate before ordering"
ORDER_NOTE = "Ships by sea in March; <b>fragile</b>"


@pytest.fixture
def noted(seoul):
    vendor = VendorFactory(business_name_en="Phra Nakhon Desserts")
    product = ProductFactory(vendor=vendor, name_en="Coconut rolls", unit="box")
    submission = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.SUBMITTED)
    OutcomeContactFactory(submission=submission, city=seoul, notes=CONTACT_NOTE)
    OutcomeContactFactory(submission=submission, city=seoul, notes="")
    OrderLineFactory(submission=submission, product=product, city=seoul, notes=ORDER_NOTE)
    return submission


def notes_of(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return [
        re.sub(r"\s+", " ", n).strip()
        for n in re.findall(r'class="[^"]*line-note[^"]*">(.*?)</div>', body, re.S)
    ]


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_fao_reads_the_line_notes_during_review_and_after_acceptance(
    noted, status, fao_user, client_for
):
    Submission.objects.filter(pk=noted.pk).update(status=status)
    url = reverse("outcomes:submission-detail", kwargs={"pk": noted.pk})
    html = client_for(fao_user).get(url).content.decode()
    assert notes_of(html, "contacts-table") == [
        f'<span class="fw-semibold">Note:</span> {CONTACT_NOTE}'
    ]
    # Escaped like any other text a vendor typed.
    assert notes_of(html, "orders-table") == [
        '<span class="fw-semibold">Note:</span> Ships by sea in March; &lt;b&gt;fragile&lt;/b&gt;'
    ]


def test_the_line_notes_in_thai(noted, fao_user, client_for):
    url = reverse("outcomes:submission-detail", kwargs={"pk": noted.pk})
    html = client_for(fao_user, language="th").get(url).content.decode()
    assert notes_of(html, "contacts-table") == [
        f'<span class="fw-semibold">หมายเหตุ:</span> {CONTACT_NOTE}'
    ]
