"""The buyer's "request contact" form: in their language, guarded against spam, sent once,
and heard of by the vendor (LINE or e-mail) and the buyer (a confirmation)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buyers.models import Lead
from notifications.models import Channel, OutboxMessage, RecipientKind
from notifications.rendering import render_message
from tests.factories import VendorFactory

from .conftest import REQUEST

pytestmark = pytest.mark.django_db


def _url(link, vendor, **query) -> str:
    url = reverse("buyers:lead-request", kwargs={"token": link.token, "vendor_id": vendor.pk})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _once(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_once" value="([^"]+)"', html).group(1)


def _send(client: Client, url: str, **changes):
    data = {**REQUEST, **changes, "form_once": _once(client, url)}
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def test_the_form_opens_in_the_citys_language_and_names_vendor_and_product(showcase):
    link, vendor, product = showcase
    html = Client().get(_url(link, vendor, product=product.pk)).content.decode()
    assert '<html lang="ko">' in html
    assert "Siam Silk" in html and "Silk scarf" in html
    assert "연락 요청" in html  # "Request contact", Seoul's default language


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Request contact"), ("th", "ขอให้ติดต่อกลับ"), ("ko", "연락 요청")]
)
def test_the_language_in_the_url_wins(showcase, lang, title):
    link, vendor, _ = showcase
    html = Client().get(_url(link, vendor, lang=lang)).content.decode()
    assert f'<html lang="{lang}">' in html and title in html


def test_a_request_makes_a_lead_tied_to_vendor_product_city_and_session(showcase):
    link, vendor, product = showcase
    response = _send(Client(), _url(link, vendor, product=product.pk, lang="en"))
    assert response.status_code == 200
    assert "Thank you. Your request was sent to the vendor" in response.content.decode()
    lead = Lead.objects.get()
    assert (lead.vendor, lead.product, lead.city, lead.session) == (
        vendor,
        product,
        link.city,
        link.session,
    )
    assert (lead.status, lead.verification, lead.language) == ("new", "pending", "en")
    assert lead.messenger == "kakaotalk" and lead.messenger_handle == "minji.k"


def test_the_vendor_is_told_by_email_in_thai_and_the_buyer_in_korean(showcase):
    link, vendor, product = showcase
    _send(Client(), _url(link, vendor, product=product.pk, lang="ko"))
    lead = Lead.objects.get()
    to_vendor = OutboxMessage.objects.get(template="buyers.lead_vendor")
    assert (to_vendor.recipient_kind, to_vendor.channel, to_vendor.address) == (
        RecipientKind.VENDOR,
        Channel.EMAIL,
        "silk@example.org",
    )
    assert to_vendor.language == "th"
    assert to_vendor.context == {
        "lead_id": lead.pk,
        "vendor_id": vendor.pk,
        "product_id": product.pk,
    }
    with translation.override("th"):
        text = render_message(to_vendor).text
    assert text.startswith("BB Portal: ผู้ซื้อจาก โซล ขอให้ติดต่อเรื่อง ผ้าพันคอไหม")
    assert "minji@hanbit.example" in text and "KakaoTalk minji.k" in text

    to_buyer = OutboxMessage.objects.get(template="buyers.lead_buyer")
    assert (to_buyer.recipient_kind, to_buyer.address, to_buyer.language) == (
        RecipientKind.ADDRESS,
        "minji@hanbit.example",
        "ko",
    )
    rendered = render_message(to_buyer)
    assert rendered.subject == "요청이 접수되었습니다"
    assert rendered.text.startswith("Kim Minji 님, Siam Silk에 관심을 가져 주셔서 감사합니다.")


def test_a_vendor_linked_on_line_is_told_by_line(showcase, settings):
    from notifications.models import LineLink

    settings.LINE_CHANNEL_ACCESS_TOKEN = "test-token"
    settings.LINE_CHANNEL_SECRET = "test-secret"
    link, vendor, _ = showcase
    LineLink.objects.create(vendor=vendor, line_user_id="U" + "a" * 32)
    _send(Client(), _url(link, vendor))
    message = OutboxMessage.objects.get(template="buyers.lead_vendor")
    assert (message.channel, message.address) == (Channel.LINE, "U" + "a" * 32)


def test_the_same_request_sent_again_changes_nothing(showcase):
    link, vendor, product = showcase
    client = Client()
    url = _url(link, vendor, product=product.pk)
    _send(client, url)
    _send(client, url)  # a fresh form, the same buyer, vendor and product
    assert Lead.objects.count() == 1
    assert OutboxMessage.objects.count() == 2  # one to the vendor, one to the buyer


def test_the_same_form_sent_twice_changes_nothing(showcase):
    link, vendor, _ = showcase
    client = Client()
    url = _url(link, vendor)
    data = {**REQUEST, "form_once": _once(client, url)}
    client.post(url, data)
    client.post(url, data)
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    ("lang", "changes", "message"),
    [
        ("en", {"consent": None}, "Please agree to the use of your data."),
        ("th", {"consent": None}, "โปรดยินยอมให้ใช้ข้อมูลของท่าน"),
        ("ko", {"consent": None}, "개인정보 이용에 동의해 주십시오."),
        ("en", {"email": "", "phone": ""}, "Please give an e-mail address or a phone number."),
        ("th", {"email": "", "phone": ""}, "โปรดระบุอีเมลหรือหมายเลขโทรศัพท์"),
        ("ko", {"email": "", "phone": ""}, "이메일 주소나 전화번호를 입력해 주십시오."),
    ],
)
def test_a_refused_request_says_why_in_the_buyers_language(showcase, lang, changes, message):
    link, vendor, _ = showcase
    response = _send(Client(), _url(link, vendor, lang=lang), **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Lead.objects.count() == 0


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(showcase):
    link, vendor, _ = showcase
    response = _send(Client(), _url(link, vendor, lang="en"), website="http://spam.example")
    assert "Thank you." in response.content.decode()
    assert Lead.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_too_long_a_text_is_refused(showcase):
    link, vendor, _ = showcase
    response = _send(Client(), _url(link, vendor, lang="en"), interest="x" * 2001)
    assert (
        "Ensure this value has at most 2000 characters (it has 2001)." in response.content.decode()
    )
    assert Lead.objects.count() == 0


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Too many requests were sent from here. Please try again later."),
        ("th", "มีการส่งคำขอจากที่นี่มากเกินไป โปรดลองใหม่ภายหลัง"),
        ("ko", "이곳에서 너무 많은 요청이 전송되었습니다. 나중에 다시 시도해 주십시오."),
    ],
)
def test_one_address_may_send_only_a_few_requests_an_hour(showcase, settings, lang, message):
    settings.LEADS_PER_ADDRESS_PER_HOUR = 2
    link, vendor, _ = showcase
    client = Client()
    url = _url(link, vendor, lang=lang)
    for n in range(2):
        _send(client, url, email=f"buyer{n}@example.org")
    response = _send(client, url, email="buyer9@example.org")
    assert response.status_code == 429
    assert message in response.content.decode()
    assert Lead.objects.count() == 2


def test_one_link_may_send_only_so_many_requests_an_hour(showcase, settings):
    settings.LEADS_PER_TOKEN_PER_HOUR = 2
    link, vendor, _ = showcase
    url = _url(link, vendor)
    for n in range(2):
        _send(Client(REMOTE_ADDR=f"10.0.0.{n}"), url, email=f"buyer{n}@example.org")
    response = _send(Client(REMOTE_ADDR="10.0.0.9"), url, email="buyer9@example.org")
    assert response.status_code == 429 and Lead.objects.count() == 2


def test_a_dead_link_a_vendor_not_shown_or_a_forged_token_is_not_found(showcase):
    link, vendor, _ = showcase
    other = VendorFactory()  # in the registry, but not on this session's showcase
    client = Client()
    assert client.get(_url(link, other)).status_code == 404
    forged = reverse("buyers:lead-request", kwargs={"token": "x" * 43, "vendor_id": vendor.pk})
    assert client.get(forged).status_code == 404
    link.enabled = False
    link.save()
    assert client.get(_url(link, vendor)).status_code == 404


def test_a_product_the_vendor_does_not_present_is_ignored(showcase):
    link, vendor, _ = showcase
    response = _send(Client(), _url(link, vendor, product="99999", lang="en"))
    assert response.status_code == 200
    assert Lead.objects.get().product is None
