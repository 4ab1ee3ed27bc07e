"""Workbooks for tests, built the way users' files come: with openpyxl, or broken."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook


def xlsx(
    sheets: dict[str, Sequence[Sequence]],
    merges: dict[str, Iterable[str]] | None = None,
    hidden: Iterable[str] = (),
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merges or {}).get(title, ()):
            sheet.merge_cells(cell_range)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encrypted(data: bytes, password: str = "secret") -> bytes:
    """A real password-protected workbook (Agile encryption, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def with_member(data: bytes, name: str, payload: bytes) -> bytes:
    """The workbook with one more (compressed) part, e.g. a huge run of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, payload)
    return out.getvalue()


def lying_sizes(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite the sizes a zip declares for `name` (local header and central directory),
    as a crafted bomb does, leaving the compressed data as it is."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", buffer, info.header_offset + 22, declared)
    encoded = name.encode()
    pos = buffer.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", buffer, pos + 28)[0]
        if bytes(buffer[pos + 46 : pos + 46 + name_len]) == encoded:
            struct.pack_into("<I", buffer, pos + 24, declared)
            break
        pos = buffer.find(b"PK\x01\x02", pos + 4)
    return bytes(buffer)


OLE_HEADER = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)


# A "billion laughs" in miniature: entities that expand to each other, as an attack does.
ENTITY_DTD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<!DOCTYPE root [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)


def with_entity(data: bytes, member: str, text: str | None = None) -> bytes:
    """The workbook with a document type declaring entities at the top of `member`, and
    the cell holding `text` (if given) replaced by a reference to one of them."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        assert member in source.namelist(), f"{member} is not in {source.namelist()}"
        for item in source.infolist():
            payload = source.read(item.filename)
            if item.filename == member:
                if payload.startswith(b"<?xml"):
                    payload = payload[payload.index(b"?>") + 2 :]
                if text is not None:
                    found = f">{text}<".encode()
                    assert found in payload, f"{text!r} is not in {member}"
                    payload = payload.replace(found, b">&b;<")
                payload = ENTITY_DTD + payload
            target.writestr(item, payload)
    return out.getvalue()
