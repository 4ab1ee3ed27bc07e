"""A NUL byte or a lone surrogate in any query parameter or form field gets a clear 400 page
in the reader's language, never a 500 (PostgreSQL refuses NUL in text)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REFUSED_EN = "The request contains characters that cannot be stored"
REFUSED_TH = "คำขอมีอักขระที่ระบบจัดเก็บไม่ได้"


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("fao", "/outcomes/?q=%00"),
        ("fao", "/outcomes/?q=a%00b"),
        ("fao", "/admin/vendors/vendor/?q=%00"),
        ("fao", "/admin/vendors/product/?certificate=%00"),
        ("fao", "/admin/cities/sistercity/?eligible=%00"),
        ("fao", "/admin/meetings/session/?status=%00"),
        ("fao", "/vendors/?q=%00"),
        ("fao", "/vendors/?q%00=x"),
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_refused_with_a_message(
    client_for, users_by_role, role, url
):
    response = client_for(users_by_role[role]).get(url)
    assert response.status_code == 400
    assert REFUSED_EN in response.content.decode()


def test_the_refusal_speaks_thai(client_for, fao_user):
    response = client_for(fao_user, "th").get("/outcomes/?q=%00")
    assert response.status_code == 400
    assert REFUSED_TH in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_refused(client_for, fao_user):
    response = client_for(fao_user).post(reverse("meetings:year-plan"), {"fiscal_year": "25\x0070"})
    assert response.status_code == 400
    assert REFUSED_EN in response.content.decode()


def test_a_lone_surrogate_in_a_form_field_is_refused(client_for, fao_user):
    from django.test.client import encode_multipart

    body = encode_multipart("BoUnDaRy", {"fiscal_year": "2570"}).replace(
        b"2570", "25\ud80070".encode("utf-8", "surrogatepass")
    )
    response = client_for(fao_user).post(
        reverse("meetings:year-plan"), body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    # Django decodes the broken UTF-8 into U+FFFD: harmless, a form error, not a 500.
    assert response.status_code in (200, 400)


def test_a_nul_byte_in_the_login_form_is_refused_without_a_lockout_count(client):
    response = client.post(reverse("login"), {"username": "fao\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/outcomes/?q=", "/vendors/?q=", "/admin/vendors/vendor/?q=", "/admin/cities/sistercity/?q="],
)
def test_a_search_too_long_is_refused_with_a_message(client_for, fao_user, url):
    # SQLite refuses a LIKE pattern over 50 kB ("pattern too complex", a 500).
    response = client_for(fao_user).get(url + "x" * 100_000)
    assert response.status_code == 400
    assert "A search or filter value is too long" in response.content.decode()
    th = client_for(fao_user, "th").get(url + "x" * 1001)
    assert "ค่าในที่อยู่เว็บมีได้ไม่เกิน 1000 ตัวอักษร" in th.content.decode()
    assert client_for(fao_user).get(url + "x" * 1000).status_code == 200


def test_an_id_beyond_64_bits_in_a_multiple_choice_field_is_a_form_error(client_for, fao_user):
    from tests.factories import SessionFactory

    session = SessionFactory()
    response = client_for(fao_user).post(
        reverse("meetings:session-details", args=[session.pk]),
        {"cities": [str(2**63)], "organizer_mailbox": ""},
    )
    assert response.status_code == 200


def test_a_period_id_beyond_64_bits_in_the_outcomes_filter_is_ignored(client_for, fao_user):
    assert client_for(fao_user).get(f"/outcomes/?period={2**63}").status_code == 200


def test_an_autocomplete_field_given_no_id_shows_the_form_error(client_for, fao_user):
    response = client_for(fao_user).post(
        reverse("admin:vendors_product_add"), {"vendor": "abc", "name_th": "x"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_a_forged_inline_form_count_in_the_admin_is_bounded(client_for, fao_user):
    """TOTAL_FORMS is the browser's word: 2**31 made each inline 2,000 forms."""
    from tests.factories import CityContactFactory, SisterCityFactory

    city = SisterCityFactory()
    CityContactFactory(city=city)
    url = reverse("admin:cities_sistercity_change", args=[city.pk])
    data = {"name_en": city.name_en}
    for prefix in ("agreements", "contacts"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(2**31),
                f"{prefix}-INITIAL_FORMS": str(2**31),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    response = client_for(fao_user).post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    # Only the stored rows are built again (one contact, no agreement), not 200 forms.
    forms = {
        p: {int(n) for n in re.findall(rf'name="{p}-(\d+)-', html)}
        for p in ("agreements", "contacts")
    }
    assert forms["agreements"] == set() and forms["contacts"] == {0}
