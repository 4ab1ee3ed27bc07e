"""Issue #19: the statistics' line-by-line workbook is written by the worker, the page
follows it, and only the statistics' readers ask for it and download it."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core import queue
from core.retention import source_files_purge
from core.roles import Role
from outcomes import lines_export
from outcomes.models import LinesExport
from outcomes.tasks import build_lines_export

pytestmark = pytest.mark.django_db
Status = LinesExport.Status
ASK = reverse("outcomes:statistics-lines-export")


def detail(job):
    return reverse("outcomes:lines-export-detail", args=[job.pk])


def download(job):
    return reverse("outcomes:lines-export-download", args=[job.pk])


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This export was already asked for; it is shown below."),
        ("th", "มีการขอส่งออกนี้ไว้แล้ว แสดงอยู่ด้านล่าง"),
    ],
)
def test_asking_again_while_one_is_pending_makes_no_second_export(
    year, fao_user, sdo_user, client_for, django_capture_on_commit_callbacks, language, message
):
    with django_capture_on_commit_callbacks() as announced:
        first = client_for(fao_user, language).post(ASK, {"year": year.fiscal_year})
    job = LinesExport.objects.get()
    assert first["Location"] == detail(job)
    assert (job.filters, job.language, job.status) == (
        {"year": year.fiscal_year},
        language,
        "queued",
    )
    assert len(announced) == 1
    # Another reader presses the same button before the worker got to it.
    with django_capture_on_commit_callbacks() as again:
        second = client_for(sdo_user, language).post(ASK, {"year": year.fiscal_year})
    assert second["Location"] == detail(job)
    assert LinesExport.objects.count() == 1 and again == []
    assert [str(m) for m in get_messages(second.wsgi_request)] == [message]


def test_a_finished_export_does_not_stop_a_new_one(year, fao_user, client_for):
    LinesExport.objects.create(
        created_by=fao_user, language="en", filters={"year": year.fiscal_year}, status=Status.DONE
    )
    client_for(fao_user).post(ASK, {"year": year.fiscal_year})
    assert LinesExport.objects.count() == 2


def test_only_the_statistics_readers_ask_follow_and_download(
    year, fao_user, executive_user, make_user, client_for
):
    job = LinesExport.objects.create(
        created_by=fao_user, language="en", filters={"year": 2569}, status=Status.DONE
    )
    job.file.save("lines.xlsx", ContentFile(b"PK lines"), save=True)
    seo = client_for(make_user(Role.SEO))
    assert seo.post(ASK, {"year": year.fiscal_year}).status_code == 403
    assert seo.get(detail(job)).status_code == 403
    assert seo.get(download(job)).status_code == 403
    assert LinesExport.objects.count() == 1
    # Another reader than the one who asked: the lines are what the statistics show them.
    response = client_for(executive_user).get(download(job))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK lines"
    assert 'filename="outcome-lines-2569.xlsx"' in response["Content-Disposition"]
    job.file.delete()


def test_an_unfinished_export_has_nothing_to_download(fao_user, client_for):
    job = LinesExport.objects.create(created_by=fao_user, status=Status.RUNNING)
    assert client_for(fao_user).get(download(job)).status_code == 404


@pytest.mark.parametrize(
    ("language", "status", "progress", "heading"),
    [
        (
            "en",
            "Being written",
            "2000 of 8000 rows written",
            "Export of every contact and order line",
        ),
        ("th", "กำลังเขียน", "เขียนแล้ว 2000 จาก 8000 แถว", "ส่งออกรายการติดต่อและคำสั่งซื้อทุกรายการ"),
    ],
)
def test_the_page_shows_the_progress_in_a_fixed_number_of_queries(
    fao_user, client_for, django_assert_num_queries, language, status, progress, heading
):
    job = LinesExport.objects.create(
        created_by=fao_user,
        filters={"year": 2569},
        status=Status.RUNNING,
        progress_done=2000,
        progress_total=8000,
    )
    client = client_for(fao_user, language)
    client.get(detail(job))
    # The base page's three (session, the user with their groups, the menu's) and the
    # export, read once.
    with django_assert_num_queries(4):
        text = client.get(detail(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in text
    assert 'aria-valuenow="25"' in text
    assert status in text and progress in text and heading in text
    requested = {"en": "Fiscal year 2569, requested on ", "th": "ปีงบประมาณ 2569 ขอเมื่อ "}
    assert requested[language] in text
    assert "export-download" not in text


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The export of the lines failed. Go back to the statistics and export again."),
        ("th", "ส่งออกรายการไม่สำเร็จ กลับไปที่สถิติผลการดำเนินงานแล้วส่งออกอีกครั้ง"),
    ],
)
def test_a_failure_is_retried_then_shown_in_the_reader_s_language(
    monkeypatch, fao_user, client_for, language, message
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(lines_export, "write_export_into", broken)
    job = LinesExport.objects.create(created_by=fao_user, filters={"year": 2569})
    first = lines_export.LINES_EXPORTS.build(export_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (Status.QUEUED, 1, "OSError('disk full')")
    assert first.retry_in is not None
    retrying = client_for(fao_user, language).get(detail(job)).content.decode()
    assert 'id="export-retry"' in retrying and message not in retrying
    lines_export.LINES_EXPORTS.build(export_id=job.pk)
    assert build_lines_export.apply(args=(job.pk,)).result == "failed"
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.FAILED, 3)
    text = client_for(fao_user, language).get(detail(job)).content.decode()
    assert message in text
    assert "http-equiv" not in text and "export-download" not in text


def test_the_sweeper_announces_an_export_a_broker_outage_left_waiting(fao_user):
    job = LinesExport.objects.create(created_by=fao_user, filters={"year": 2569})
    LinesExport.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=3)
    )
    pending = lines_export.LINES_EXPORTS.pending()
    assert pending == [(build_lines_export, (job.pk,))]
    assert queue._SWEEPERS["outcomes.lines_exports"].pending() == pending


def test_an_old_lines_file_is_deleted_like_an_upload(
    settings, fao_user, django_capture_on_commit_callbacks
):
    job = LinesExport.objects.create(created_by=fao_user, status=Status.DONE)
    job.file.save("lines.xlsx", ContentFile(b"PK"), save=True)
    name = job.file.name
    LinesExport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert source_files_purge() == 1
    job.refresh_from_db()
    assert job.file.name == "" and not job.file.storage.exists(name)


def test_an_erasure_deletes_a_lines_file_naming_the_person(
    fao_user, django_capture_on_commit_callbacks
):
    from core.retention import source_files_erase
    from core.spreadsheets import ExportSheet, write_export

    job = LinesExport.objects.create(created_by=fao_user, status=Status.DONE)
    workbook = write_export([ExportSheet("Contacts", ["Counterpart"], [["Kim Ji-woo"]])])
    job.file.save("lines.xlsx", ContentFile(workbook), save=True)
    name = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        touched = source_files_erase(needles={"Kim Ji-woo"}, scrub_text=lambda t: t)
    assert touched["outcomes.linesexport"]["files"] == 1
    job.refresh_from_db()
    assert job.file.name == "" and not job.file.storage.exists(name)
