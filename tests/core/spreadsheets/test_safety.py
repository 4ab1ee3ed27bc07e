"""Files that are not a sane .xlsx are refused before any parser sees them."""

import io
import os
import zipfile

import pytest
from django.test import override_settings

from core.spreadsheets import Limits, WorkbookRejected
from core.spreadsheets.safety import check_workbook

from .builders import (
    ENTITY_DTD,
    OLE_HEADER,
    encrypted,
    lying_sizes,
    with_entity,
    with_member,
    xlsx,
)

GOOD = xlsx({"Items": [["Name"], ["x"]]})


def rejection(data: bytes, **limits) -> str:
    base = Limits.from_settings()
    values = {**vars(base), **limits}
    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(io.BytesIO(data), Limits(**values))
    return caught.value.issue.message


def test_a_good_workbook_passes():
    stream = io.BytesIO(GOOD)
    check_workbook(stream, Limits.from_settings())
    assert stream.tell() == 0


def test_empty_file():
    assert rejection(b"") == "The file is empty."


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_file_over_the_size_limit():
    assert (
        rejection(GOOD) == f"The file is {len(GOOD) / 1024:.1f}\xa0KB; the limit is 1000\xa0bytes."
    )


def test_old_xls():
    assert rejection(OLE_HEADER + b"Workbook".ljust(512, b"\0")) == (
        "This is an old Excel 97–2003 file (.xls). Open it in Excel and save it as "
        "“Excel Workbook (.xlsx)”."
    )


def test_password_protected_workbook():
    assert rejection(encrypted(GOOD)) == (
        "This workbook is protected with a password. Remove the password in Excel "
        "(File › Info › Protect Workbook) and upload it again."
    )


@pytest.mark.parametrize(
    "text",
    [
        "ชื่อ,จำนวน\nขนม,12\n".encode(),
        "\ufeffName;Qty\r\nCake;3\r\n".encode(),
        "ชื่อ,จำนวน\n".encode("cp874"),
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    ],
)
def test_csv_or_text_renamed(text):
    assert rejection(text) == (
        "This file contains plain text (such as CSV), not an Excel workbook. Open it in "
        "Excel and save it as “Excel Workbook (.xlsx)”."
    )


def test_random_bytes():
    assert rejection(os.urandom(4096)) == "This file is not an Excel workbook (.xlsx)."


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert rejection(buffer.getvalue()) == (
        "This file is a zip archive but not an Excel workbook (.xlsx). Save the sheet as "
        "“Excel Workbook (.xlsx)”."
    )


def test_zip_bomb_by_declared_size():
    bomb = with_member(GOOD, "xl/media/zeros.bin", bytes(30 * 1024 * 1024))
    assert len(bomb) < 100 * 1024  # small on the wire
    assert rejection(bomb, max_uncompressed_bytes=20 * 1024 * 1024) == (
        "This workbook unpacks to more than 20.0\xa0MB, which no workbook of this kind needs; "
        "it was not opened."
    )


def test_zip_bomb_that_lies_about_its_size():
    bomb = with_member(GOOD, "xl/media/zeros.bin", bytes(30 * 1024 * 1024))
    liar = lying_sizes(bomb, "xl/media/zeros.bin", declared=100)
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert sum(i.file_size for i in archive.infolist()) < 1024 * 1024  # it claims little
    assert rejection(liar, max_uncompressed_bytes=20 * 1024 * 1024).startswith(
        "This workbook unpacks to more than 20.0\xa0MB"
    )


def test_too_many_parts():
    crowded = GOOD
    for i in range(5):
        crowded = with_member(crowded, f"xl/extra{i}.xml", b"<x/>")
    assert "unpacks to more than" in rejection(crowded, max_members=8)


XML_FORBIDDEN = (
    "This workbook contains XML features that are not allowed (a document type or entity "
    "declaration); Excel never writes them. Open the file in Excel, save it again as “Excel "
    "Workbook (.xlsx)” and upload it again."
)


@pytest.mark.parametrize(
    "member",
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml", "_rels/.rels"],
)
def test_a_document_type_or_entity_in_any_part_is_refused(member):
    assert rejection(with_entity(GOOD, member)) == XML_FORBIDDEN


def test_an_entity_in_shared_strings_is_refused():
    data = with_member(GOOD, "xl/sharedStrings.xml", ENTITY_DTD + b"<sst><si><t>&b;</t></si></sst>")
    assert rejection(data) == XML_FORBIDDEN


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_document_type_in_utf16_is_refused_too(encoding):
    payload = (ENTITY_DTD.replace(b"UTF-8", b"UTF-16") + b"<sst/>").decode().encode(encoding)
    assert rejection(with_member(GOOD, "xl/sharedStrings.xml", payload)) == XML_FORBIDDEN


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("marker", ["<!DOCTYPE sst>", '<!ENTITY a "b">'])
def test_either_marker_alone_in_any_encoding_is_refused(encoding, marker):
    payload = f"<sst>{marker}<si><t>a</t></si></sst>".encode(encoding)
    assert rejection(with_member(GOOD, "xl/sharedStrings.xml", payload)) == XML_FORBIDDEN


def test_a_document_type_split_across_read_chunks_is_found(monkeypatch):
    from core.spreadsheets import safety

    monkeypatch.setattr(safety, "READ_CHUNK", 7)
    assert rejection(with_entity(GOOD, "xl/worksheets/sheet1.xml")) == XML_FORBIDDEN


def test_the_word_doctype_in_a_cell_is_fine():
    stream = io.BytesIO(xlsx({"Items": [["Name"], ["<!DOCTYPE is just text here"]]}))
    check_workbook(stream, Limits.from_settings())
