"""The report pages: who may see and download, generation from the page, the status the
progress bar polls, the evaluation form, and query counts that do not grow with rows."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.roles import Role
from meetings.models import Session
from reports.models import ReportGeneration, SessionEvaluation
from reports.services import report_generation_request, report_generation_run

from ..factories import ProgrammeYearFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_generation(held_session):
    generation, _ = report_generation_request(
        kind="session", session=held_session.session, language="th", acting_user=None, enqueue=False
    )
    return report_generation_run(generation_id=generation.pk)


@pytest.mark.parametrize("role", [Role.SDO, Role.SEO])
def test_download_is_refused_to_roles_that_may_not_read_reports(
    role, done_generation, make_user, client_for
):
    url = reverse("reports:download", args=[done_generation.pk])
    response = client_for(make_user(role)).get(url)
    assert response.status_code == 403
    assert "Your role does not include this part of the portal." in response.content.decode()


def test_download_sends_an_anonymous_visitor_to_log_in(done_generation, client):
    response = client.get(reverse("reports:download", args=[done_generation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.FAO])
def test_executives_and_fao_download_the_pdf(role, done_generation, make_user, client_for):
    response = client_for(make_user(role)).get(
        reverse("reports:download", args=[done_generation.pk])
    )
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="bb-report-FY2569-session-2-v1-th.pdf"'
    )
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == done_generation.sha256
    assert response["X-Content-SHA256"] == done_generation.sha256


def test_the_file_is_not_under_a_public_url(done_generation, executive_user, client_for):
    assert not done_generation.file.name.startswith("/")
    public = client_for(executive_user).get("/media/" + done_generation.file.name)
    assert public.status_code == 404


def test_an_unfinished_version_cannot_be_downloaded(held_session, executive_user, client_for):
    generation, _ = report_generation_request(
        kind="session", session=held_session.session, language="en", acting_user=None, enqueue=False
    )
    response = client_for(executive_user).get(reverse("reports:download", args=[generation.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.FAO, 200), (Role.EXECUTIVE, 200), (Role.SDO, 403), (Role.SEO, 403)],
)
def test_report_pages_are_for_fao_and_executives(role, status, held_session, make_user, client_for):
    client = client_for(make_user(role))
    for url in (
        reverse("reports:index"),
        reverse("reports:session", args=[held_session.session.pk]),
        reverse("reports:annual", args=[2569]),
    ):
        assert client.get(url).status_code == status, url


def test_an_executive_makes_a_report_from_the_page(
    held_session, executive_user, client_for, django_capture_on_commit_callbacks
):
    client = client_for(executive_user)
    url = reverse("reports:session", args=[held_session.session.pk])
    # Without a broker the task runs in-process, after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"language": "th"})
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    generation = ReportGeneration.objects.get()
    assert generation.status == ReportGeneration.Status.DONE
    assert generation.requested_by == executive_user
    assert "Version 1 is being made. You can download it here when it is ready." in text
    assert reverse("reports:download", args=[generation.pk]) in text
    assert 'id="version-1"' in text


def test_the_page_speaks_thai(held_session, executive_user, client_for):
    response = client_for(executive_user, language="th").get(
        reverse("reports:session", args=[held_session.session.pk])
    )
    text = response.content.decode()
    assert "รายงานผลการประชุมครั้งที่ 2 ปีงบประมาณ 2569" in text
    assert "แนวทางที่ยกมาจากการประชุมครั้งก่อน" in text
    assert "ทดสอบระบบภาพและเสียงล่วงหน้าหนึ่งสัปดาห์" in text
    assert "จัดทำไฟล์ PDF" in text


def test_a_session_not_held_offers_no_generation(executive_user, client_for):
    session = SessionFactory(status=Session.Status.SCHEDULED)
    client = client_for(executive_user)
    url = reverse("reports:session", args=[session.pk])
    assert (
        "A report is made only for a session that has been held."
        in client.get(url).content.decode()
    )
    response = client.post(url, {"language": "en"}, follow=True)
    assert "A report is made only for a session that has been held." in response.content.decode()
    assert not ReportGeneration.objects.exists()


def test_status_feeds_the_progress_bar(held_session, executive_user, client_for):
    generation, _ = report_generation_request(
        kind="session", session=held_session.session, language="en", acting_user=None, enqueue=False
    )
    client = client_for(executive_user)
    url = reverse("reports:status", args=[generation.pk])
    queued = client.get(url).json()
    assert queued["status"] == "queued" and queued["status_label"] == "Queued"
    assert queued["finished"] is False and queued["download_url"] is None
    ReportGeneration.objects.filter(pk=generation.pk).update(
        status="rendering", progress=41, stage="layout"
    )
    rendering = client.get(url).json()
    assert (rendering["progress"], rendering["stage_label"]) == (41, "Laying out the pages")
    report_generation_run(generation_id=generation.pk)
    done = client.get(url).json()
    assert done["status"] == "done" and done["progress"] == 100
    assert done["download_url"] == reverse("reports:download", args=[generation.pk])
    ReportGeneration.objects.filter(pk=generation.pk).update(status="failed", error="disk full")
    failed = client.get(url).json()
    assert (failed["status_label"], failed["error"]) == ("Failed", "disk full")


def test_status_is_refused_to_sdo(done_generation, sdo_user, client_for):
    assert (
        client_for(sdo_user).get(reverse("reports:status", args=[done_generation.pk])).status_code
        == 403
    )


def test_fao_delivers_and_executives_may_not(done_generation, fao_user, executive_user, client_for):
    url = reverse("reports:deliver", args=[done_generation.pk])
    assert client_for(executive_user).post(url).status_code == 403
    response = client_for(fao_user).post(url, follow=True)
    assert "Version 1 is recorded as delivered to the executives." in response.content.decode()
    assert Session.objects.get(pk=done_generation.session_id).status == Session.Status.REPORTED


def test_fao_writes_the_evaluation(held_session, fao_user, client_for):
    session = held_session.session
    SessionEvaluation.objects.filter(session=session).delete()
    url = reverse("reports:evaluation", args=[session.pk])
    client = client_for(fao_user)
    assert client.get(url).status_code == 200
    data = {
        "plan_th": "แผน",
        "plan_en": "",
        "did_th": "ผล",
        "did_en": "",
        "findings-TOTAL_FORMS": "2",
        "findings-INITIAL_FORMS": "0",
        "findings-0-problem_th": "ไมโครโฟนมีเสียงสะท้อน",
        "findings-0-cause_th": "ห้องประชุมไม่มีวัสดุซับเสียง",
        "findings-1-problem_th": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-action_th": "ใช้ห้องประชุมของ สยป.",
        "actions-0-responsible": "สยป.",
        "actions-1-action_en": "English only is not enough",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Describe the action in Thai." in response.content.decode()
    data["actions-1-action_en"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    evaluation = SessionEvaluation.objects.get(session=session)
    assert [f.problem_th for f in evaluation.findings.all()] == ["ไมโครโฟนมีเสียงสะท้อน"]
    assert [(a.action_th, a.responsible) for a in evaluation.actions.all()] == [
        ("ใช้ห้องประชุมของ สยป.", "สยป.")
    ]


def test_executives_cannot_write_the_evaluation(held_session, executive_user, client_for):
    url = reverse("reports:evaluation", args=[held_session.session.pk])
    assert client_for(executive_user).get(url).status_code == 403


def test_reports_appear_in_the_menu_of_fao_and_executives_only(make_user, client_for):
    for role, shown in [
        (Role.FAO, True),
        (Role.EXECUTIVE, True),
        (Role.SDO, False),
        (Role.SEO, False),
    ]:
        text = client_for(make_user(role)).get(reverse("home")).content.decode()
        assert ('data-nav="reports"' in text) is shown, role


def _sessions(count: int) -> None:
    year = ProgrammeYearFactory(fiscal_year=2570)
    for number in range(1, count + 1):
        SessionFactory(year=year, number=number, status=Session.Status.HELD)


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_of_sessions_does_not_query_per_row(
    count, executive_user, client_for, django_assert_max_num_queries
):
    _sessions(count)
    client = client_for(executive_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:index"))
    assert response.content.decode().count('data-session="') == count


@pytest.mark.parametrize("versions", [1, 15])
def test_the_versions_list_does_not_query_per_row(
    versions, held_session, executive_user, client_for, django_assert_max_num_queries
):
    for _ in range(versions):
        report_generation_request(
            kind="session",
            session=held_session.session,
            language="en",
            acting_user=executive_user,
            enqueue=False,
        )
    client = client_for(executive_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:session", args=[held_session.session.pk]))
    assert response.content.decode().count('data-version="') == versions


def test_render_report_command(held_session, capsys, tmp_path):
    output = tmp_path / "out.pdf"
    call_command(
        "render_report", str(held_session.session.pk), "--lang", "en", "--output", str(output)
    )
    generation = ReportGeneration.objects.get()
    assert generation.status == "done" and generation.language == "en"
    assert output.read_bytes().startswith(b"%PDF-")
    assert hashlib.sha256(output.read_bytes()).hexdigest() == generation.sha256
    assert f"Version 1 (en): {generation.file.path}" in capsys.readouterr().out


STALLED = {
    "en": "The worker making this report has given no sign of life for a few minutes; it "
    "may have stopped. The report will be started again automatically.",
    "th": "ตัวประมวลผลที่กำลังจัดทำรายงานนี้ไม่แสดงความเคลื่อนไหวมาหลายนาทีแล้ว "
    "อาจหยุดทำงานไป ระบบจะเริ่มจัดทำรายงานนี้ใหม่ให้โดยอัตโนมัติ",
}


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_render_whose_worker_fell_silent_says_so(
    language, held_session, executive_user, client_for, settings
):
    import datetime as dt

    from django.utils import timezone

    generation = report_generation_request(
        kind="session", session=held_session.session, language="en", acting_user=executive_user
    )[0]
    client = client_for(executive_user, language=language)
    url = reverse("reports:status", args=[generation.pk])
    ReportGeneration.objects.filter(pk=generation.pk).update(
        status="rendering", started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    assert client.get(url).json()["stalled"] is False
    ReportGeneration.objects.filter(pk=generation.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.WORK_STALL_SECONDS + 5)
    )
    status = client.get(url).json()
    assert (status["stalled"], status["error"]) == (True, STALLED[language])
    page = client.get(reverse("reports:session", args=[held_session.session.pk]))
    assert STALLED[language] in page.content.decode()
