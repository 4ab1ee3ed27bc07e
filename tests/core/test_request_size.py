"""A request body over the limit is refused before it is read, with a clear page."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

TOO_LARGE = {
    "en": "The request is too large",
    "th": "คำขอมีขนาดใหญ่เกินไป",
}


def send_headers_then_wait(url: str, path: str, content_length: int, language: str, sent: int):
    """Announce a body of `content_length` bytes, send only `sent` of them, and read what
    the server answers meanwhile."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {parts.hostname}\r\n"
                f"Accept-Language: {language}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {content_length}\r\n\r\n"
            ).encode()
            + b"x" * sent
        )
        started = time.monotonic()
        answer = b""
        while b"</html>" not in answer.lower():
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer.decode("utf-8", "replace"), time.monotonic() - started


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_300_mb_login_post_is_refused_before_its_body_is_read(live_server, language):
    answer, seconds = send_headers_then_wait(
        live_server.url, reverse("login"), 300 * 1024 * 1024, language, sent=1024
    )
    status_line = answer.split("\r\n", 1)[0]
    assert status_line == "HTTP/1.1 413 Request Entity Too Large"
    assert TOO_LARGE[language] in answer
    assert seconds < 5  # answered while 300 MB less 1 KB were still unsent


def test_the_limit_is_one_upload_plus_the_form_fields():
    largest_file = max(settings.UPLOAD_MAX_BYTES, settings.PHOTO_MAX_UPLOAD_BYTES)
    assert largest_file + settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_MAX_BYTES


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000, REQUEST_MAX_BYTES=2000)
def test_a_multipart_body_over_the_limit_is_stopped_while_streaming(client):
    """Content-Length can understate the body (a proxy, ASGI): the upload handler counts
    what actually streams in and stops there."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.requests import RequestTooLarge, StreamLimitUploadHandler

    handler = StreamLimitUploadHandler()
    handler.handle_raw_input(None, {}, 100, b"b", "utf-8")  # the header says 100 bytes
    handler.receive_data_chunk(b"x" * 1500, 0)
    with pytest.raises(RequestTooLarge):
        handler.receive_data_chunk(b"x" * 1500, 1500)
    response = client.post(
        reverse("login"),
        {"username": "u", "file": SimpleUploadedFile("big.bin", b"x" * 3000)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert TOO_LARGE["en"] in response.content.decode()
