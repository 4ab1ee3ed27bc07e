"""FAO reads a morning's work in the audit trail and exports it, in both languages
(#16, item 4). The screenshots are kept in test-artifacts/."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import save_audited
from core.models import AuditExport
from core.roles import Role
from meetings.models import Session
from vendors.models import Product, Vendor

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import ProductFactory, SessionFactory, VendorFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Before the page was grouped and paginated, one morning's work made it 9,700 px long.
MAX_HEIGHT = 4_000


def a_mornings_work(sdo, fao) -> None:
    """Fifty-seven changes to a few records from 08:00 in Bangkok, yesterday: a morning
    that is always over, whatever the hour the test runs (at 00:20 UTC, today's 08:00
    in Bangkok was still to come, and the vendors' edits sorted after the session's)."""
    yesterday = timezone.now().astimezone(dt.UTC) - dt.timedelta(days=1)
    start = yesterday.replace(hour=1, minute=0, second=0, microsecond=0)
    vendors = [
        VendorFactory(business_name_en=name, business_name_th=thai)
        for name, thai in (("Som Tam Shop", "ร้านส้มตำ"), ("Silk House", "บ้านผ้าไหม"))
    ]
    products = [ProductFactory(vendor=vendors[0], name_en="Chili paste", name_th="น้ำพริก")]
    session = SessionFactory(status=Session.Status.PLANNED)
    for n in range(55):
        vendor = vendors[n % 2]
        vendor.phone = f"02-000-{n:04d}"
        save_audited(vendor, acting_user=sdo, reason="phone corrected")
    session.status = Session.Status.CITY_INVITED
    save_audited(session, acting_user=fao)
    product = products[0]
    product.price_thb = 120
    save_audited(product, acting_user=sdo)
    # Every change gets its minute in the order it was made, whichever record it touched.
    minute = 0
    for history in (Vendor.history.model, Session.history.model, Product.history.model):
        for row in history.objects.order_by("history_id"):
            history.objects.filter(pk=row.pk).update(
                history_date=start + dt.timedelta(minutes=minute)
            )
            minute += 1


def shot(page, name: str) -> int:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize(
    ("language", "status", "time_note", "page_of"),
    [
        ("en", "Planned → City invited", "Times are Bangkok time.", "Page 1 of 2"),
        ("th", "วางแผนแล้ว → เชิญเมืองแล้ว", "เวลาทั้งหมดเป็นเวลากรุงเทพฯ", "หน้า 1 จาก 2"),
    ],
    ids=["en", "th"],
)
def test_fao_reads_a_mornings_work_and_exports_it(
    live_portal, make_user, password, language, status, time_note, page_of
):
    fao = make_user(Role.FAO)
    a_mornings_work(make_user(Role.SDO), fao)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, language)
    log_in(page, fao.username, password)

    page.goto(page.base_url + reverse("core:audit"))
    main = page.inner_text("main")
    assert status in main and time_note in main and page_of in main
    assert "city_invited" not in main
    height = shot(page, f"audit-trail-{language}")
    assert height < MAX_HEIGHT

    follow(page, "a[rel=next]")
    page.wait_for_load_state("networkidle")
    assert page_of.replace("1", "2", 1) in page.inner_text("main")

    # The worker's progress, as the page shows it while it writes.
    running = AuditExport.objects.create(
        created_by=fao, status=AuditExport.Status.RUNNING, progress_done=120, progress_total=500
    )
    # In a tab of its own: a running export's page reloads itself every 2 s, and a reload
    # firing while this tab went on to the next page aborted that navigation (a CI failure,
    # net::ERR_ABORTED on /core/audit/).
    progress = page.context.new_page()
    progress.goto(page.base_url + reverse("core:audit-export-detail", kwargs={"pk": running.pk}))
    assert progress.get_attribute("[role=progressbar]", "aria-valuenow") == "24"
    assert progress.get_attribute("#export-status", "aria-live") == "polite"
    shot(progress, f"audit-export-progress-{language}")
    progress.close()

    # The real export: in-process here, so it is ready when the page comes back.
    page.goto(page.base_url + reverse("core:audit"))
    follow(page, "#audit-export")
    page.wait_for_load_state("networkidle")
    assert page.locator("#export-download").count() == 1
    shot(page, f"audit-export-done-{language}")
    with page.expect_download() as download:
        follow(page, "#export-download")
    assert download.value.suggested_filename == "bbportal-audit-trail.xlsx"
