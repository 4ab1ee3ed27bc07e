"""vendors/templatetags/vendor_rows.py writes the vendor list's rows as the template loop
it replaced wrote them (#19)."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.translation import override

from notifications.models import LineLink
from tests.factories import ProductFactory, VendorFactory
from vendors import selectors

pytestmark = pytest.mark.django_db

# The loop vendor_list.html had, cell for cell.
LOOP = Template(
    '{% load i18n thai %}{% translate "Not linked" as not_linked %}{% for vendor in vendors %}'
    '<tr><td><a href="{{ vendor.detail_url }}">{{ vendor.business_name }}</a></td>'
    "<td>{{ vendor.certificate_number }}</td><td>{{ vendor.district.name }}</td>"
    "<td>{{ vendor.certificate_expires_on|bedate }}</td>"
    '<td class="text-end">{{ vendor.product_count }}</td>'
    "<td>{% if vendor.is_active %}✓{% else %}–{% endif %}</td>"
    '<td>{% if vendor.line_badge %}<span class="badge {{ vendor.line_badge.0 }}">'
    "{{ vendor.line_badge.1 }}</span>{% else %}"
    '<span class="text-muted">{{ not_linked }}</span>{% endif %}\n</td></tr>\n{% endfor %}'
)
TAG = Template("{% load vendor_rows %}{% vendor_rows vendors %}")


def _page_rows() -> list:
    rows = selectors.vendor_page_counts(list(selectors.vendor_search(q="")))
    for vendor in rows:
        vendor.detail_url = f"/vendors/{vendor.pk}/?a=1&b=<2>"
        link = getattr(vendor, "line_link", None)
        vendor.line_badge = ("text-bg-success", link.get_status_display()) if link else None
    return rows


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_rows_are_the_loop_s_html(language):
    hostile = VendorFactory(
        business_name_th='ร้าน "ดี" <script>&',
        business_name_en="Shop <b>&amp; co",
        certificate_number="BB<1>",
        certificate_expires_on=dt.date(2027, 2, 28),
        is_active=False,
    )
    ProductFactory.create_batch(3, vendor=hostile)
    VendorFactory(certificate_expires_on=None)
    LineLink.objects.create(vendor=VendorFactory(), line_user_id="U" + "0" * 32)
    with override(language):
        rows = _page_rows()
        written = TAG.render(Context({"vendors": rows}))
        looped = LOOP.render(Context({"vendors": rows}))
    assert written == looped
    assert written.count("<tr>") == 3
    assert "&lt;script&gt;" in written or "&lt;b&gt;" in written
    assert "<script>" not in written


@pytest.mark.parametrize(
    ("language", "not_linked", "none_match"),
    [
        ("en", "Not linked", "No vendor matches."),
        ("th", "ยังไม่เชื่อมต่อ", "ไม่พบผู้ประกอบการที่ตรงกับเงื่อนไข"),
    ],
)
def test_the_list_shows_the_rows_or_that_none_matches(
    client_for, sdo_user, language, not_linked, none_match
):
    VendorFactory(business_name_en="Durian house", business_name_th="บ้านทุเรียน")
    client = client_for(sdo_user, language)
    html = client.get(reverse("vendors:list")).content.decode()
    row = re.search(r"<tr><td><a href=\"/vendors/\d+/\">[^<]+</a></td>.*?</tr>", html, re.S)
    assert row and f'<span class="text-muted">{not_linked}</span>\n</td>' in row.group(0)
    empty = client.get(reverse("vendors:list") + "?q=nothing-like-this").content.decode()
    assert none_match in empty
