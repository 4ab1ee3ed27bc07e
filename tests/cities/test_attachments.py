"""An inquiry letter's attachment is a PDF, a JPEG or PNG image or a Word document (.docx),
judged by its content, and no larger than ATTACHMENT_MAX_BYTES (#11 item 15)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cities.models import InquiryLetterAttachment
from tests.factories import InquiryLetterFactory
from tests.html_forms import forms_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _post(client, letter, name: str, content: bytes):
    url = reverse("admin:cities_inquiryletter_change", args=[letter.pk])
    (form,) = [
        f
        for f in forms_of(client.get(url).content.decode(), url)
        if f.attrs.get("id") == "inquiryletter_form"
    ]
    data = {k: v if len(v) > 1 else v[0] for k, v in form.data().items()}
    data["attachments-0-file"] = SimpleUploadedFile(name, content)
    data["attachments-0-description"] = "Reply"
    return client.post(url, data)


@pytest.mark.parametrize(
    ("name", "content"),
    [("reply.pdf", PDF), ("scan.png", PNG), ("scan.jpg", JPEG), ("reply.docx", _docx())],
)
def test_documents_and_images_are_accepted(client_for, fao_user, name, content):
    letter = InquiryLetterFactory()
    response = _post(client_for(fao_user), letter, name, content)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert letter.attachments.count() == 1


WRONG_TYPE_EN = (
    "An attachment must be a PDF, a JPEG or PNG image or a Word document (.docx), "
    "with the matching file extension."
)
WRONG_TYPE_TH = "ไฟล์แนบต้องเป็น PDF รูปภาพ JPEG หรือ PNG หรือเอกสาร Word (.docx) และมีนามสกุลไฟล์ที่ตรงกัน"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("letter.pdf", b"<html><script>alert(1)</script></html>"),  # renamed HTML
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60),
        ("reply.pdf", PNG),  # a real image under another type's name
        ("archive.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_other_files_are_refused_with_a_message(client_for, fao_user, name, content):
    letter = InquiryLetterFactory()
    response = _post(client_for(fao_user), letter, name, content)
    assert response.status_code == 200
    assert WRONG_TYPE_EN in response.content.decode()
    assert not InquiryLetterAttachment.objects.exists()


def test_the_refusal_speaks_thai(client_for, fao_user):
    letter = InquiryLetterFactory()
    response = _post(client_for(fao_user, "th"), letter, "page.html", b"<html></html>")
    assert WRONG_TYPE_TH in response.content.decode()


def test_a_file_over_the_limit_is_refused(client_for, fao_user, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    letter = InquiryLetterFactory()
    big = PDF + b"0" * (2 * 1024 * 1024)
    response = _post(client_for(fao_user), letter, "big.pdf", big)
    assert response.status_code == 200
    assert "The file is 2 MB; an attachment may be at most 1 MB." in response.content.decode()
    assert not InquiryLetterAttachment.objects.exists()
