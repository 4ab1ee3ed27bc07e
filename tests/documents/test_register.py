"""The register: steps 1–3 from the records, the city's reply driving "city confirmed",
signed copies checked by content and served only to those who may read them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cities.models import InquiryLetter
from core.roles import Role
from documents.models import Document, WorkingGroupMember
from documents.services import (
    document_record_reply,
    document_record_sent,
    document_upload_signed,
    first_steps_sync,
)
from meetings.models import Session
from meetings.services.workplan import workplan_step_tick

from .test_generation import generate

pytestmark = pytest.mark.django_db


def steps_done(programme) -> dict[int, bool]:
    session = programme.sessions[0]
    return {s.number: s.done_at is not None for s in session.steps.filter(number__lte=3)}


def test_steps_one_to_three_tick_from_the_records(programme, fao_user):
    assert steps_done(programme) == {1: False, 2: False, 3: False}
    first_steps_sync(year=programme.year, acting_user=fao_user)
    # The working group of the fixture has its SDO chair and members of SDO, SEO and FAO.
    assert steps_done(programme) == {1: False, 2: True, 3: False}
    generate(programme, fao_user, "approval_memo", "th")
    assert steps_done(programme) == {1: True, 2: True, 3: False}
    group = programme.group
    group.approved_on, group.approval_reference = dt.date(2020, 11, 2), "กท 1401/101"
    group.save()
    first_steps_sync(year=programme.year, acting_user=fao_user)
    assert steps_done(programme)[3] is False  # the order is not signed yet
    group.order_number, group.order_signed_on = "3012/2563", dt.date(2020, 11, 20)
    group.save()
    first_steps_sync(year=programme.year, acting_user=fao_user)
    assert steps_done(programme) == {1: True, 2: True, 3: True}
    # Without a member from SEO the group is not set up: the step opens again.
    group.members.filter(office="seo").delete()
    first_steps_sync(year=programme.year, acting_user=fao_user)
    assert steps_done(programme)[2] is False


def test_the_chair_is_the_sdo_director(programme):
    member = WorkingGroupMember(
        group=programme.group, name="x", job_title="y", office="fao", role="chair"
    )
    with pytest.raises(ValidationError) as error:
        member.clean()
    assert error.value.message_dict["office"] == [
        "The chair is the director of the Social Development Office."
    ]
    with translation.override("th"):
        with pytest.raises(ValidationError) as error:
            member.clean()
        assert error.value.message_dict["office"] == ["ประธานคณะทำงานคือผู้อำนวยการสำนักพัฒนาสังคม"]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_steps_one_to_three_are_not_ticked_by_hand(programme, fao_user, number):
    step = programme.sessions[0].steps.get(number=number)
    with pytest.raises(ValidationError) as error:
        workplan_step_tick(step_id=step.pk, acting_user=fao_user)
    assert error.value.messages == [
        "This step ticks itself from the records of the official documents: the approval "
        "memo, the working group, the approval and the order."
    ]


def test_the_timeline_offers_no_tick_button_for_steps_one_to_three(programme, fao_user, client_for):
    text = client_for(fao_user).get(reverse("meetings:year-timeline", args=[2564])).content
    text = text.decode()
    assert 'data-tick="1-4"' in text
    assert all(f'data-tick="1-{n}"' not in text for n in (1, 2, 3))


def _send_both_letters(programme, user) -> list[Document]:
    letters = []
    for city in (programme.seoul, programme.fukuoka):
        version = generate_letter(programme, user, city)
        letters.append(
            document_record_sent(
                document_id=version.document_id, sent_on=timezone.localdate(), acting_user=user
            )
        )
    return letters


def generate_letter(programme, user, city):
    from documents.services import document_generate

    return document_generate(
        kind="inquiry_letter",
        year_id=programme.year.pk,
        session_id=programme.sessions[1].pk,
        city_id=city.pk,
        language="en",
        acting_user=user,
    )


def test_the_replies_of_every_city_confirm_the_session(programme, fao_user):
    session = programme.sessions[1]
    session.cities.add(programme.seoul)
    seoul, fukuoka = _send_both_letters(programme, fao_user)
    session.refresh_from_db()
    assert session.status == Session.Status.CITY_INVITED
    assert session.steps.get(number=4).done_at is not None
    assert InquiryLetter.objects.filter(session=session).count() == 2
    today = timezone.localdate()
    document_record_reply(
        document_id=seoul.pk, reply="accepted", replied_on=today, acting_user=fao_user
    )
    session.refresh_from_db()
    assert session.status == Session.Status.CITY_INVITED  # Fukuoka has not answered
    document_record_reply(
        document_id=fukuoka.pk,
        reply="accepted",
        replied_on=today,
        note="Happy to join",
        attachment=SimpleUploadedFile("reply.pdf", pdf_bytes()),
        acting_user=fao_user,
    )
    session.refresh_from_db()
    assert session.status == Session.Status.CITY_CONFIRMED
    letter = InquiryLetter.objects.get(document__pk=fukuoka.pk)
    assert (letter.reply, letter.replied_on, letter.notes) == ("accepted", today, "Happy to join")


def test_a_declined_reply_does_not_confirm(programme, fao_user):
    (fukuoka,) = [
        document_record_sent(
            document_id=generate_letter(programme, fao_user, programme.fukuoka).document_id,
            sent_on=timezone.localdate(),
            acting_user=fao_user,
        )
    ]
    document_record_reply(
        document_id=fukuoka.pk,
        reply="declined",
        replied_on=timezone.localdate(),
        acting_user=fao_user,
    )
    session = Session.objects.get(pk=programme.sessions[1].pk)
    assert session.status == Session.Status.CITY_INVITED


def test_a_reply_before_the_letter_was_sent_is_refused(programme, fao_user):
    version = generate_letter(programme, fao_user, programme.fukuoka)
    with pytest.raises(ValidationError) as error:
        document_record_reply(
            document_id=version.document_id,
            reply="accepted",
            replied_on=timezone.localdate(),
            acting_user=fao_user,
        )
    assert error.value.messages == ["Record the date the letter was sent before its reply."]


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    import io

    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "english", "thai"),
    [
        (
            b"<html>not a scan</html>",
            "The file must be a PDF document (a scan of the signed copy); this file is not one.",
            "ไฟล์ต้องเป็นเอกสาร PDF (ฉบับสแกนที่ลงนามแล้ว) ไฟล์นี้ไม่ใช่",
        ),
        (
            b"%PDF-1.7\nbroken",
            "The PDF could not be read; it may be damaged. Scan it again and upload it.",
            "อ่านไฟล์ PDF ไม่ได้ อาจเสียหาย โปรดสแกนใหม่แล้วอัปโหลดอีกครั้ง",
        ),
    ],
)
def test_a_signed_copy_must_be_a_readable_pdf(programme, fao_user, content, english, thai):
    document = generate(programme, fao_user, "approval_memo", "th").document
    for language, message in (("en", english), ("th", thai)):
        upload = SimpleUploadedFile("signed.pdf", content, content_type="application/pdf")
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                document_upload_signed(document_id=document.pk, upload=upload, acting_user=fao_user)
            assert error.value.messages == [message]
    document.refresh_from_db()
    assert not document.signed_copy


def test_a_signed_copy_is_size_capped(programme, fao_user, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    document = generate(programme, fao_user, "approval_memo", "th").document
    upload = SimpleUploadedFile("signed.pdf", pdf_bytes() + b"\0" * 2048)
    with pytest.raises(ValidationError) as error:
        document_upload_signed(document_id=document.pk, upload=upload, acting_user=fao_user)
    assert error.value.messages == ["The file is 0.0 MB; a scan may be at most 0 MB."]


def test_fao_uploads_the_signed_copy_and_only_readers_download_it(
    programme, fao_user, make_user, client_for
):
    document = generate(programme, fao_user, "approval_memo", "th").document
    response = client_for(fao_user).post(
        reverse("documents:upload-signed", args=[document.pk]),
        {"signed_copy": SimpleUploadedFile("scan.pdf", pdf_bytes())},
        follow=True,
    )
    assert "The signed copy is kept." in response.content.decode()
    url = reverse("documents:signed-copy", args=[document.pk])
    for role, status in [(Role.EXECUTIVE, 200), (Role.SDO, 403), (Role.SEO, 403)]:
        response = client_for(make_user(role)).get(url)
        assert response.status_code == status, role
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    document.refresh_from_db()
    assert document.signed_uploaded_by == fao_user


def test_fao_generates_from_the_year_page_and_the_executive_only_reads(
    programme, fao_user, make_user, client_for
):
    executive = client_for(make_user(Role.EXECUTIVE))
    page = executive.get(reverse("documents:year", args=[2564])).content.decode()
    assert "data-generate=" not in page
    url = reverse("documents:generate", args=[2564])
    data = {"kind": "report_cover", "session": programme.sessions[0].pk, "language": "th"}
    assert executive.post(url, data).status_code == 403
    response = client_for(fao_user).post(url, data, follow=True)
    text = response.content.decode()
    assert "Cover letter of the executive report no. กท ๑๔๐๑/๑๐๑, version 1, is ready." in text
    thai = client_for(fao_user, language="th").post(url, data, follow=True).content.decode()
    # The same request again at once (a double click) adds no second version.
    assert "หนังสือนำส่งรายงานผู้บริหาร เลขที่ กท ๑๔๐๑/๑๐๑ ฉบับที่ 1 พร้อมแล้ว" in thai
    assert Document.objects.get().versions.count() == 1
    version = Document.objects.get().versions.get(version=1)
    response = executive.get(reverse("documents:version-file", args=[version.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    b"".join(response.streaming_content)


def test_a_report_cover_waits_for_the_session_to_be_held(programme, fao_user, client_for):
    url = reverse("documents:generate", args=[2564])
    data = {"kind": "report_cover", "session": programme.sessions[1].pk, "language": "en"}
    response = client_for(fao_user).post(url, data, follow=True)
    assert "The cover letter of a report is written after the session." in (
        response.content.decode()
    )
    assert not Document.objects.exists()


def test_the_thai_page_writes_the_next_number_in_thai_digits(programme, fao_user, client_for):
    page = client_for(fao_user, language="th").get(reverse("documents:year", args=[2564]))
    assert "เลขที่ถัดไป: กท ๑๔๐๑/๑๐๑" in page.content.decode()
    page = client_for(fao_user).get(reverse("documents:year", args=[2564]))
    assert "Next number: BMA 1401/101" in page.content.decode()


def test_saving_the_working_group_in_the_admin_ticks_the_steps(programme, fao_user, client_for):
    group = programme.group
    members = list(group.members.all())
    data = {
        "year": programme.year.pk,
        "approved_on": "2020-11-02",
        "approval_reference": "กท 1401/101",
        "order_number": "3012/2563",
        "order_signed_on": "2020-11-20",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        for field in ("position", "name", "job_title", "office", "role"):
            data[f"members-{index}-{field}"] = getattr(member, field)
        data[f"members-{index}-id"] = member.pk
        data[f"members-{index}-group"] = group.pk
    url = reverse("admin:documents_workinggroup_change", args=[group.pk])
    response = client_for(fao_user).post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert steps_done(programme) == {1: False, 2: True, 3: True}
