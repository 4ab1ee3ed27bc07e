"""The signed, expiring link with which a vendor fills in its own submission."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from outcomes.links import vendor_link_create, vendor_link_email_send, vendor_link_url
from outcomes.models import Submission, VendorLink

from ..factories import ProductFactory, VendorFactory
from .conftest import attend, submission_for

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


@pytest.fixture
def submission(session1):
    vendor = VendorFactory(business_name_en="Lat Krabang Herbals", email="herbals@example.org")
    attend(vendor, session1)
    ProductFactory(vendor=vendor, name_en="Herbal balm", unit="jar")
    submission = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.DRAFT)
    submission.period.locked_on = timezone.localdate() + dt.timedelta(days=60)
    submission.period.save()
    return submission


def path_of(link) -> str:
    return vendor_link_url(link, absolute=False)


def contact_post(city, **changes) -> dict:
    data = {
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "orders-TOTAL_FORMS": "0",
        "orders-INITIAL_FORMS": "0",
        "orders-MIN_NUM_FORMS": "0",
        "orders-MAX_NUM_FORMS": "1000",
        "contacts-0-city": city.pk,
        "contacts-0-counterpart_name": "Choi Seo-yeon",
        "contacts-0-counterpart_kind": "customer",
        "contacts-0-direction": "incoming",
        "contacts-0-contacted_on": "22/1/2569",
        "contacts-0-channel": "line",
        "contacts-0-about_buying": "on",
    }
    data.update(changes)
    return data


def test_sdo_creates_a_link_and_the_vendor_fills_in_without_an_account(
    submission, seoul, sdo_user, client_for
):
    client = client_for(None)
    response = client_for(sdo_user).post(
        reverse("outcomes:vendor-link-create", kwargs={"pk": submission.pk}),
        {"email": "", "days": "14"},
    )
    shown = re.search(r'value="([^"]+)" id="vendor-link-url"', response.content.decode())
    link = VendorLink.objects.get()
    assert link.email_status == "not_sent" and link.created_by == sdo_user
    assert (link.expires_at - timezone.now()).days == 13
    assert shown.group(1).startswith("http://127.0.0.1:8000/outcomes/v/")

    form = client.get(path_of(link))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Lat Krabang Herbals" in page and "Herbal balm" in page
    saved = client.post(path_of(link), contact_post(seoul))
    assert "Thank you. Your form was saved" in saved.content.decode()

    submission.refresh_from_db()
    contact = submission.contacts.get()
    assert (contact.counterpart_name, contact.channel, contact.about_buying) == (
        "Choi Seo-yeon",
        "line",
        True,
    )
    assert submission.entered_via == "vendor_link" and submission.vendor_filled_at is not None
    assert submission.status == "draft"  # SDO checks and submits it
    record = contact.history.first()
    assert record.history_user is None
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_the_vendor_form_says_when_it_is_closed(submission, sdo_user, client_for):
    client = client_for(None)
    link = vendor_link_create(submission=submission, acting_user=sdo_user)
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    text = client.get(path_of(link)).content.decode()
    assert (
        "This form has been sent to FAO or its period is closed, so it can no longer be "
        "changed here." in text
    )


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda link: VendorLink.objects.filter(pk=link.pk).update(
                expires_at=timezone.now() - dt.timedelta(minutes=1)
            ),
            "This link has expired. Ask the Social Development Office for a new one.",
        ),
        (
            lambda link: VendorLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now()),
            "This link was withdrawn. Ask the Social Development Office for a new one.",
        ),
    ],
)
def test_an_expired_or_withdrawn_link_does_not_open(
    submission, sdo_user, client_for, spoil, message
):
    client = client_for(None)
    link = vendor_link_create(submission=submission, acting_user=sdo_user)
    path = path_of(link)
    spoil(link)
    response = client.get(path)
    assert response.status_code == 403
    assert message in response.content.decode()


def test_a_tampered_token_does_not_open(submission, sdo_user, client_for):
    from django.core.signing import b64_encode

    client = client_for(None)
    link = vendor_link_create(submission=submission, acting_user=sdo_user)
    token = path_of(link).rstrip("/").rsplit("/", 1)[1]
    _, timestamp, signature = token.rsplit(":", 2)
    other = VendorFactory()
    payload = f'{{"l":{link.pk},"v":{other.pk},"p":{submission.period_id}}}'.encode()
    forged = f"{b64_encode(payload).decode()}:{timestamp}:{signature}"
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.get(reverse("outcomes:vendor-form", kwargs={"token": bad}))
        assert response.status_code == 403
        assert (
            "This link is not valid. Ask the Social Development Office for a new one."
            in response.content.decode()
        )


def test_a_token_older_than_the_longest_life_is_refused(
    submission, sdo_user, client_for, monkeypatch
):
    client = client_for(None)
    import time

    link = vendor_link_create(submission=submission, acting_user=sdo_user, days=60)
    path = path_of(link)
    later = time.time() + 61 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get(path)
    assert "This link has expired." in response.content.decode()


def test_the_link_is_e_mailed_in_thai_and_english(
    submission, sdo_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sdo_user).post(
            reverse("outcomes:vendor-link-create", kwargs={"pk": submission.pk}),
            {"email": "herbals@example.org", "days": "7"},
        )
    link = VendorLink.objects.get()
    assert (link.email_status, link.email_attempts) == ("sent", 1)
    message = mail.outbox[-1]
    assert message.to == ["herbals@example.org"]
    assert message.subject == (
        "Bangkok Brand: แบบรายงานผลของท่านสำหรับปีงบประมาณ 2569 ครึ่งปีแรก (ต.ค.–มี.ค.)"
    )
    assert "http://127.0.0.1:8000/outcomes/v/" in message.body
    assert "The Social Development Office asks you to fill in" in message.body
    assert "สำนักพัฒนาสังคมขอให้ท่านกรอกแบบรายงานผลรายหกเดือน" in message.body


@override_settings(EMAIL_BACKEND="tests.outcomes.test_links.RefusingBackend")
def test_a_failed_e_mail_is_recorded_on_the_link(submission, sdo_user):
    link = VendorLink.objects.create(
        submission=submission,
        created_by=sdo_user,
        expires_at=timezone.now() + dt.timedelta(days=3),
        email="herbals@example.org",
        email_status=VendorLink.EmailStatus.PENDING,
    )
    vendor_link_email_send(link_id=link.pk)
    link.refresh_from_db()
    assert (link.email_status, link.email_attempts) == ("failed", 1)
    assert link.email_last_error == "ConnectionRefusedError: SMTP server refused the connection"


def test_sdo_withdraws_a_link(submission, sdo_user, client_for):
    client = client_for(None)
    link = vendor_link_create(submission=submission, acting_user=sdo_user)
    response = client_for(sdo_user).post(
        reverse("outcomes:vendor-link-revoke", kwargs={"pk": link.pk}), follow=True
    )
    assert "The link was withdrawn: it no longer opens the form." in response.content.decode()
    assert client.get(path_of(link)).status_code == 403


@pytest.mark.parametrize("owner", ["Mallory <mallory@evil.example> (", "Lee, Ji-woo"])
def test_the_owners_name_never_changes_where_the_link_goes(
    submission, sdo_user, owner, django_capture_on_commit_callbacks
):
    from django.core.mail.message import sanitize_address

    submission.vendor.owner_name = owner
    submission.vendor.business_name_en = owner
    submission.vendor.save()
    with django_capture_on_commit_callbacks(execute=True):
        link = vendor_link_create(
            submission=submission, acting_user=sdo_user, email="herbals@example.org"
        )
    link.refresh_from_db()
    assert link.email_status == "sent"
    (message,) = mail.outbox
    assert [sanitize_address(r, "utf-8") for r in message.recipients()] == ["herbals@example.org"]
