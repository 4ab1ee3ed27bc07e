"""A report made by a real Celery worker process, through Redis."""

import hashlib

import pytest

from reports.models import ReportGeneration
from reports.services import report_generation_request

from ..worker import wait_until
from .conftest import read_pdf


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_a_version(held_session, celery_worker_process, executive_user):
    generation, dispatch = report_generation_request(
        kind="session", session=held_session.session, language="th", acting_user=executive_user
    )
    assert dispatch.published is True
    finished = wait_until(
        lambda: ReportGeneration.objects.filter(
            pk=generation.pk, status__in=["done", "failed"]
        ).first(),
        timeout=120,
    )
    assert finished is not None, celery_worker_process.log()[-3000:]
    assert finished.status == "done", finished.error
    assert finished.attempts == 1 and finished.progress == 100
    with finished.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == finished.sha256
    pdf = read_pdf(content)
    assert pdf.contains("วิสาหกิจชุมชนน้ำพริกแม่สำราญ")
    assert finished.warnings == []
    assert "reports.tasks.render_report" in celery_worker_process.log()
