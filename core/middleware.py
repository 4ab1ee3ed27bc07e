"""Request-wide guards that no single view should have to remember."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

# PostgreSQL refuses NUL in text (a DataError, hence a 500, from any filter or save), and a
# lone surrogate cannot be encoded to UTF-8 at all: neither belongs in any field.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _texts(request: HttpRequest) -> Iterable[str]:
    yield request.path_info
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from (v for v in values if isinstance(v, str))
    for key, files in request.FILES.lists():
        yield key
        yield from (f.name or "" for f in files)


def refuse_bad_request(request: HttpRequest, *, too_long: bool = False) -> HttpResponse:
    return render(
        request,
        "400.html",
        {"too_long": too_long, "limit": settings.QUERY_VALUE_MAX_CHARS},
        status=400,
    )


def _too_long(request: HttpRequest) -> bool:
    """A search or filter value no person types: SQLite refuses a LIKE pattern over 50 kB,
    and every list would search for it."""
    limit = settings.QUERY_VALUE_MAX_CHARS
    return any(len(v) > limit for _key, values in request.GET.lists() for v in values)


class UnstorableInputMiddleware:
    """Answers 400, with a page in the reader's language, to a request whose path, query
    parameters or form fields hold a NUL byte or a lone surrogate, or whose query
    parameter is longer than QUERY_VALUE_MAX_CHARS, before any view sees it.
    Runs before the login view too, so such a request never counts as a failed sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            unstorable = any(UNSTORABLE.search(text) for text in _texts(request))
        except MultiPartParserError:
            unstorable = True
        if unstorable:
            return refuse_bad_request(request)
        if _too_long(request):
            return refuse_bad_request(request, too_long=True)
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Every answer denies the browser features the portal never uses; every answer a view
    did not mark cacheable itself is never stored (signed-in pages, downloads, and the
    token pages a vendor or a calendar application opens), so a shared computer's cache
    or a proxy keeps no copy of personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
