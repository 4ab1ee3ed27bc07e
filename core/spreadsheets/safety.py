"""Checks made on the raw bytes before any parser sees them.

A parser given a renamed CSV, an encrypted workbook, a zip bomb or XML entities (the
"billion laughs") fails with an error no user understands, or takes the machine down;
these checks turn each case into a message.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .messages import Issue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# An encrypted .xlsx is an OLE compound file holding these streams (MS-OFFCRYPTO).
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
READ_CHUNK = 1 << 20
# Excel never writes a document type: one in a part of the workbook can only declare
# entities, which expand without bound or read local files. Refused in every encoding an
# XML parser accepts. Media (an SVG may carry a harmless DOCTYPE) is not parsed, so not
# scanned.
XML_PARTS = (".xml", ".rels", ".vml")
_XML_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_MARKER_OVERLAP = max(len(m) for m in _XML_MARKERS) - 1


class WorkbookRejected(Exception):
    """The file cannot be read as a workbook; `issue` says why, in the reader's language."""

    def __init__(self, code: str, **params: object) -> None:
        self.issue = Issue(code=code, params=params)
        super().__init__(code)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_members: int
    max_rows: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_uncompressed_bytes=getattr(
                settings, "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024
            ),
            max_members=getattr(settings, "SPREADSHEET_MAX_MEMBERS", 500),
            max_rows=getattr(settings, "SPREADSHEET_MAX_ROWS", 50_000),
        )


def _size(n: int) -> str:
    return str(filesizeformat(n))


def check_workbook(stream: IO[bytes], limits: Limits) -> None:
    """Raise WorkbookRejected unless `stream` looks like a sane .xlsx. Leaves it at 0."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise WorkbookRejected("file_empty")
    if size > limits.max_bytes:
        raise WorkbookRejected("file_too_large", size=_size(size), limit=_size(limits.max_bytes))
    head = stream.read(4096)
    stream.seek(0)
    if head.startswith(OLE_MAGIC):
        data = stream.read()
        stream.seek(0)
        if any(name in data for name in ENCRYPTED_STREAMS):
            raise WorkbookRejected("encrypted")
        raise WorkbookRejected("not_xlsx_xls")
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookRejected("not_xlsx_text" if _looks_like_text(head) else "not_xlsx")
    _check_zip(stream, limits)
    stream.seek(0)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The 4 KiB cut may split a multi-byte character; one more try without the tail.
        try:
            text = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = head.decode("cp874")  # Thai Windows code page, common in old CSVs
            except UnicodeDecodeError:
                return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text) and printable / len(text) > 0.95


def _check_zip(stream: IO[bytes], limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as exc:
        raise WorkbookRejected("zip_corrupt", detail=str(exc)) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise WorkbookRejected("zip_bomb", limit=_size(limits.max_uncompressed_bytes))
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names:
            raise WorkbookRejected("not_xlsx_other_zip")
        if "xl/workbook.bin" in names:
            raise WorkbookRejected("not_xlsx_binary")
        if "xl/workbook.xml" not in names:
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise WorkbookRejected("not_xlsx_ods")
            raise WorkbookRejected("not_xlsx_other_zip")
        declared = sum(m.file_size for m in members)
        if declared > limits.max_uncompressed_bytes:
            raise WorkbookRejected("zip_bomb", limit=_size(limits.max_uncompressed_bytes))
        # The sizes in the directory are the sender's word; count what really comes out,
        # stopping as soon as the limit is passed, without keeping the bytes.
        budget = limits.max_uncompressed_bytes
        for member in members:
            scan = _MarkerScan() if member.filename.lower().endswith(XML_PARTS) else None
            budget -= _inflated_size(archive, member, budget, scan)
            if budget < 0:
                raise WorkbookRejected("zip_bomb", limit=_size(limits.max_uncompressed_bytes))


class _MarkerScan:
    """Looks for a document type or entity declaration in a part, chunk by chunk (a
    marker may straddle two chunks)."""

    def __init__(self) -> None:
        self.tail = b""

    def feed(self, data: bytes) -> None:
        window = self.tail + data
        if any(marker in window for marker in _XML_MARKERS):
            raise WorkbookRejected("xml_forbidden")
        self.tail = window[-_MARKER_OVERLAP:]


def _inflated_size(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    budget: int,
    scan: _MarkerScan | None = None,
) -> int:
    if member.compress_type == zipfile.ZIP_STORED:
        if scan is not None and member.file_size <= budget:
            with archive.open(member) as part:
                while chunk := part.read(READ_CHUNK):
                    scan.feed(chunk)
        return member.file_size
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise WorkbookRejected("zip_corrupt", detail=f"compression {member.compress_type}")
    # Read the raw deflate stream ourselves: zipfile would stop at the declared size.
    fp = archive.fp
    if fp is None:  # a closed archive: nothing to inflate
        raise WorkbookRejected("zip_corrupt", detail=member.filename)
    fp.seek(member.header_offset)
    local = fp.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise WorkbookRejected("zip_corrupt", detail=member.filename)
    name_len = int.from_bytes(local[26:28], "little")
    extra_len = int.from_bytes(local[28:30], "little")
    fp.seek(member.header_offset + 30 + name_len + extra_len)
    remaining = member.compress_size
    inflater = zlib.decompressobj(-15)
    total = 0
    try:
        while remaining > 0:
            chunk = fp.read(min(READ_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            # max_length bounds the memory of one step; unconsumed_tail carries the rest.
            data = inflater.decompress(chunk, READ_CHUNK)
            total += len(data)
            if scan is not None:
                scan.feed(data)
            while inflater.unconsumed_tail:
                if total > budget:
                    return total
                data = inflater.decompress(inflater.unconsumed_tail, READ_CHUNK)
                total += len(data)
                if scan is not None:
                    scan.feed(data)
            if total > budget:
                return total
        data = inflater.flush()
        total += len(data)
        if scan is not None:
            scan.feed(data)
    except zlib.error as exc:
        raise WorkbookRejected("zip_corrupt", detail=f"{member.filename}: {exc}") from exc
    return total
