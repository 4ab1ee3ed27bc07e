"""With Redis down, the review and the dashboard answer at once, say honestly that the
KPI run waits, and the sweep has it done once the broker is back."""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.queue import sweep_pending_work
from outcomes.models import KpiSnapshot, OutcomeTally, RecomputeRequest

from ..factories import VendorFactory
from ..worker import publishing_to
from .conftest import attend, buying_contact

# Transactional: the announcement is made when the service's transaction commits, before
# the view writes its message, as in production (no test transaction around it).
pytestmark = pytest.mark.django_db(transaction=True)

SAVED = {
    "en": "The background worker cannot be reached just now. Your request is saved and will "
    "be handled automatically as soon as it is back.",
    "th": "ขณะนี้ติดต่อตัวประมวลผลเบื้องหลังไม่ได้ คำขอของคุณถูกบันทึกไว้แล้ว "
    "และจะดำเนินการให้อัตโนมัติเมื่อระบบกลับมาทำงาน",
}
ACCEPTED = {"en": "The submission was accepted.", "th": "ยอมรับแบบรายงานแล้ว"}


@pytest.fixture
def redis_down():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with publishing_to(f"redis://127.0.0.1:{port}/0", "bbtest-down"):
        yield


def messages_of(response, language: str) -> list[str]:
    """The page's messages as its reader sees them (and they are on the page)."""
    with translation.override(language):
        shown = [str(m) for m in response.context["messages"]]
    page = response.content.decode()
    assert all(message in page for message in shown)
    return shown


def timed_post(client, url):
    started = time.monotonic()
    response = client.post(url, follow=True)
    return response, time.monotonic() - started


def age_open_requests() -> None:
    RecomputeRequest.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=5))


@pytest.mark.parametrize("language", ["en", "th"])
def test_accepting_with_redis_down_is_quick_honest_and_swept_later(
    language,
    year,
    session1,
    seoul,
    fao_user,
    client_for,
    redis_down,
):
    vendor = VendorFactory()
    attend(vendor, session1)
    contact = buying_contact(vendor, seoul, dt.date(2026, 1, 20), status="submitted")
    url = reverse("outcomes:submission-accept", kwargs={"pk": contact.submission_id})
    response, seconds = timed_post(client_for(fao_user, language=language), url)
    assert response.status_code == 200
    assert seconds < 1.5, f"the page waited {seconds:.1f} s on a dead broker"
    assert messages_of(response, language) == [ACCEPTED[language], SAVED[language]]
    contact.submission.refresh_from_db()
    assert contact.submission.status == "accepted"
    assert not KpiSnapshot.objects.exists() and not OutcomeTally.objects.exists()
    assert RecomputeRequest.objects.filter(done_at__isnull=True).count() == 2


def test_recompute_with_redis_down_is_quick_and_honest(year, fao_user, client_for, redis_down):
    url = reverse("outcomes:kpi-recompute", kwargs={"year_id": year.pk})
    for language in ("en", "th"):
        response, seconds = timed_post(client_for(fao_user, language=language), url)
        assert seconds < 1.5, f"the page waited {seconds:.1f} s on a dead broker"
        assert messages_of(response, language) == [SAVED[language]]
    assert not KpiSnapshot.objects.exists()


def test_the_sweep_runs_the_owed_kpi_and_statistics_once_redis_is_back(
    year, session1, seoul, fao_user, client_for
):
    vendor = VendorFactory()
    attend(vendor, session1)
    contact = buying_contact(vendor, seoul, dt.date(2026, 1, 20), status="submitted")
    url = reverse("outcomes:submission-accept", kwargs={"pk": contact.submission_id})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with publishing_to(f"redis://127.0.0.1:{port}/0", "bbtest-down"):
        client_for(fao_user).post(url)
        client_for(fao_user).post(reverse("outcomes:kpi-recompute", kwargs={"year_id": year.pk}))
    assert RecomputeRequest.objects.filter(done_at__isnull=True).count() == 3

    # Back (tasks run in-process here): a fresh request waits for its own announcement...
    assert "outcomes.recompute" not in sweep_pending_work().published
    # ... and one left open for minutes is announced again, once per year.
    age_open_requests()
    report = sweep_pending_work()
    assert report.published["outcomes.recompute"] == 2  # the year's KPI, the FY's tallies
    snapshot = KpiSnapshot.objects.get()
    assert (snapshot.participants, snapshot.achieved) == (1, 1)
    assert OutcomeTally.objects.get().contacts == 1
    assert not RecomputeRequest.objects.filter(done_at__isnull=True).exists()
    assert "outcomes.recompute" not in sweep_pending_work().published
