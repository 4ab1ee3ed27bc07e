"""The registry, shortlist and candidate pages as a person sees them, in Thai and English."""

import pytest

from core.roles import Role
from tests.browser_support import ARTIFACTS, choose_language, follow, log_in
from tests.factories import (
    AgreementFactory,
    ProductFactory,
    SessionFactory,
    ShortlistEntryFactory,
    VendorFactory,
)
from vendors.models import ProductCategory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("language", ["th", "en"])
def test_shortlist_and_registry_pages(language, live_portal, make_user, password):
    user = make_user(Role.FAO)
    city = AgreementFactory(city__name_en="Seoul", city__name_th="โซล", field_codes=["trade"]).city
    city.interested_categories.set(ProductCategory.objects.filter(code=1))
    session = SessionFactory()
    session.cities.add(city)
    chosen = ProductFactory(name_th="ทองม้วน", name_en="Coconut rolls")
    entry = ShortlistEntryFactory(session=session, vendor=chosen.vendor, position=1)
    entry.products.set([chosen])
    ProductFactory(
        vendor=VendorFactory(business_name_th="ขนมไทยบ้านสวน", business_name_en="Garden Thai sweets")
    )
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, language)
    log_in(page, user.username, password)

    page.goto(f"{page.base_url}/vendors/shortlists/{session.pk}/")
    suggestions = page.inner_text("#suggestions")
    expected = {"th": "ขนมไทยบ้านสวน", "en": "Garden Thai sweets"}[language]
    assert expected in suggestions
    assert {"th": "ยังไม่เคยนำเสนอ", "en": "never presented"}[language] in suggestions
    page.screenshot(path=str(ARTIFACTS / f"shortlist-{language}.png"), full_page=True)
    follow(page, "#approve-shortlist")
    page.wait_for_load_state("networkidle")
    assert {"th": "อนุมัติโดย", "en": "Approved by"}[language] in page.inner_text("#approval-state")

    page.goto(f"{page.base_url}/vendors/")
    assert expected in page.inner_text("#vendor-table")
    page.screenshot(path=str(ARTIFACTS / f"vendor-list-{language}.png"), full_page=True)

    page.goto(f"{page.base_url}/cities/candidates/")
    assert {"th": "โซล", "en": "Seoul"}[language] in page.inner_text("#candidates")
    page.screenshot(path=str(ARTIFACTS / f"candidates-{language}.png"), full_page=True)
