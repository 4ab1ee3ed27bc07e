"""Issue #16 item 3 in a real browser, in English and Thai: FAO clicks "Accept" on a
submission and "Mark as delivered to executives" on a report, and reads what follows before
anything happens. The screenshots stay in test-artifacts/ (confirm-accept-*.png,
confirm-deliver-*.png)."""

import datetime as dt

import pytest

from meetings.models import Session
from outcomes.models import Submission
from reports.models import ReportGeneration

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import VendorFactory
from ..outcomes.conftest import submission_for
from .test_views import done_generation  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SAYS = {
    "en": ("count in the statistics and the KPI", "This cannot be undone."),
    "th": ("จะนับในสถิติและตัวชี้วัด", "ย้อนกลับไม่ได้"),
}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_fao_reads_the_consequence_before_accepting_and_delivering(
    done_generation,  # noqa: F811
    live_portal,
    fao_user,
    password,
):
    vendor = VendorFactory(business_name_en="Bang Rak Silk", business_name_th="ผ้าไหมบางรัก")
    waiting = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.SUBMITTED)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    log_in(page, fao_user.username, password)
    for language in ("en", "th"):
        choose_language(page, language)
        page.goto(f"{page.base_url}/outcomes/{waiting.pk}/")
        follow(page, "#accept-submission")
        page.wait_for_load_state("networkidle")
        assert SAYS[language][0] in page.inner_text("#consequence")
        shot(page, f"confirm-accept-{language}")
        page.goto(f"{page.base_url}/reports/sessions/{done_generation.session_id}/")
        follow(page, f"#deliver-{done_generation.pk}")
        page.wait_for_load_state("networkidle")
        assert SAYS[language][1] in page.inner_text("#consequence")
        shot(page, f"confirm-deliver-{language}")
        follow(page, "#confirm-back")
        page.wait_for_load_state("networkidle")
    # Reading changed nothing.
    assert Submission.objects.get(pk=waiting.pk).status == "submitted"
    assert ReportGeneration.objects.get(pk=done_generation.pk).delivered_at is None
    # The Thai page's button delivers.
    follow(page, f"#deliver-{done_generation.pk}")
    follow(page, "#confirm-action")
    page.wait_for_load_state("networkidle")
    assert "เสนอผู้บริหาร" in page.inner_text("main")
    assert Session.objects.get(pk=done_generation.session_id).status == "reported"
