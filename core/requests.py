"""The largest request the portal reads: refused before its body is read.

Nothing else stops a client from sending hundreds of megabytes to any URL, the login page
included: Django would read a multipart body in full, spooling its files to disk, before
any form could say the file is too large. The limit is one upload (UPLOAD_MAX_BYTES) plus
the form fields around it (DATA_UPLOAD_MAX_MEMORY_SIZE). The reverse proxy applies the
same limit in front; this is the portal's own guard behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.views import defaults


class RequestTooLarge(RequestDataTooBig):
    """A body over REQUEST_MAX_BYTES found while streaming."""


def bad_request(
    request: HttpRequest, exception: Exception, *args: Any, **kwargs: Any
) -> HttpResponse:
    """handler400: a body too large (ours, or Django's DATA_UPLOAD_MAX_MEMORY_SIZE) is 413
    with its page; anything else is Django's 400."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return defaults.bad_request(request, exception, *args, **kwargs)


def too_large(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        render_to_string(
            "413.html",
            {
                "limit": filesizeformat(settings.REQUEST_MAX_BYTES),
                "upload_limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
            request=None,  # no context processors: the request has not been authenticated
        ),
        status=413,
    )


class RequestSizeLimitMiddleware:
    """Answers 413 from Content-Length alone, before anything reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return too_large(request)
        return self.get_response(request)


class StreamLimitUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes of a multipart body's files as they
    stream in and stops at the limit, whatever Content-Length said."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.received: int = 0
        if content_length and content_length > settings.REQUEST_MAX_BYTES:
            raise RequestTooLarge("Request body exceeded REQUEST_MAX_BYTES.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > settings.REQUEST_MAX_BYTES:
            raise RequestTooLarge("Request body exceeded REQUEST_MAX_BYTES.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file
