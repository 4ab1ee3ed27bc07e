"""Sister cities: eligibility as the source defines it, candidates, inquiry letters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.models import InquiryLetter, SisterCity
from cities.selectors import candidates_for_year, with_eligibility
from core.roles import Role
from tests.factories import (
    AgreementFactory,
    CityContactFactory,
    InquiryLetterAttachmentFactory,
    InquiryLetterFactory,
    SisterCityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities():
    trade = AgreementFactory(city__name_en="Seoul", field_codes=["economy", "culture"]).city
    culture_only = AgreementFactory(city__name_en="Culture Town", field_codes=["culture"]).city
    dormant = AgreementFactory(
        city__name_en="Sleepy Port", city__is_active_with_bma=False, field_codes=["trade"]
    ).city
    return trade, culture_only, dormant


def test_eligible_needs_an_economic_tie_and_activity(cities):
    trade = cities[0]
    flags = dict(with_eligibility(SisterCity.objects.all()).values_list("name_en", "is_eligible"))
    assert flags == {"Seoul": True, "Culture Town": False, "Sleepy Port": False}
    assert list(SisterCity.objects.eligible()) == [trade]


def test_candidates_page_lists_eligible_cities_with_this_years_letters(
    cities, client_for, executive_user
):
    trade = cities[0]
    CityContactFactory(city=trade, name="Kim Min-jun")
    InquiryLetterFactory(city=trade, fiscal_year=2569, reply=InquiryLetter.Reply.ACCEPTED)
    InquiryLetterFactory(city=trade, fiscal_year=2568, signed_by="Old letter")
    text = (
        client_for(executive_user)
        .get(reverse("cities:candidates-year", args=[2569]))
        .content.decode()
    )
    assert "Candidate sister cities for FY 2569" in text
    assert "Seoul" in text and "Kim Min-jun" in text and "Accepted" in text
    assert "Culture Town" not in text and "Sleepy Port" not in text
    thai = (
        client_for(executive_user, language="th")
        .get(reverse("cities:candidates-year", args=[2569]))
        .content.decode()
    )
    assert "เมืองพี่เมืองน้องที่เข้าเกณฑ์ ปีงบประมาณ พ.ศ. 2569" in thai


def test_candidates_query_count_does_not_grow():
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            cities = list(candidates_for_year(2569))
            for city in cities:
                list(city.contacts.all()), list(city.interested_categories.all())
                for letter in city.letters_this_year:
                    list(letter.attachments.all())
                for agreement in city.agreements.all():
                    list(agreement.fields.all())
        return len(context)

    first = AgreementFactory(field_codes=["trade"]).city
    CityContactFactory(city=first)
    InquiryLetterAttachmentFactory(letter=InquiryLetterFactory(city=first))
    one = count()
    for _ in range(10):
        city = AgreementFactory(field_codes=["trade"]).city
        CityContactFactory(city=city)
        InquiryLetterAttachmentFactory(letter=InquiryLetterFactory(city=city))
    assert count() == one


@pytest.mark.parametrize("role", list(Role))
def test_pages_and_attachments_are_for_signed_in_roles(role, make_user, client_for, client):
    attachment = InquiryLetterAttachmentFactory()
    logged_in = client_for(make_user(role))
    for url in (reverse("cities:candidates"), reverse("cities:letters-year", args=[2569])):
        assert logged_in.get(url).status_code == 200
    url = reverse("cities:attachment", args=[attachment.pk])
    response = logged_in.get(url)
    assert response.status_code == 200
    # The storage adds a suffix when test media already holds a letter.pdf.
    assert re.fullmatch(
        r'attachment; filename="letter(_\w+)?\.pdf"', response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.4 letter"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_gets_403_for_attachments(make_user, client_for):
    attachment = InquiryLetterAttachmentFactory()
    response = client_for(make_user(None)).get(reverse("cities:attachment", args=[attachment.pk]))
    assert response.status_code == 403


def test_admin_shows_eligibility_column_and_filter(cities, client_for, fao_user):
    client = client_for(fao_user)
    url = reverse("admin:cities_sistercity_changelist")
    text = client.get(url, {"eligible": "yes"}).content.decode()
    assert ">Seoul</a>" in text and ">Culture Town</a>" not in text
    text = client.get(url, {"eligible": "no"}).content.decode()
    assert ">Culture Town</a>" in text and ">Sleepy Port</a>" in text
    assert ">Seoul</a>" not in text
    assert 'class="field-eligible"' in text


def test_admin_city_list_queries_do_not_grow(client_for, fao_user):
    client = client_for(fao_user)
    url = reverse("admin:cities_sistercity_changelist")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    AgreementFactory(field_codes=["trade"])
    one = count()
    for _ in range(19):
        AgreementFactory(field_codes=["trade"])
    assert count() == one


def test_admin_letter_links_its_files_through_the_checked_view(client_for, fao_user):
    attachment = InquiryLetterAttachmentFactory()
    text = (
        client_for(fao_user)
        .get(reverse("admin:cities_inquiryletter_change", args=[attachment.letter.pk]))
        .content.decode()
    )
    assert reverse("cities:attachment", args=[attachment.pk]) in text
    assert "/media-is-not-served/" not in text


def test_sdo_reads_cities_in_the_admin_but_cannot_change_them(client_for, sdo_user):
    city = SisterCityFactory()
    client = client_for(sdo_user)
    assert client.get(reverse("admin:cities_sistercity_changelist")).status_code == 200
    response = client.post(
        reverse("admin:cities_sistercity_change", args=[city.pk]), {"name_en": "Hacked"}
    )
    assert response.status_code == 403
