"""Request-wide guards that no single view should have to remember."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

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


def refuse_bad_request(request: HttpRequest) -> HttpResponse:
    return render(request, "400.html", status=400)


class UnstorableInputMiddleware:
    """Answers 400, with a page in the reader's language, to a request whose path, query
    parameters or form fields hold a NUL byte or a lone surrogate, before any view sees it.
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
        return self.get_response(request)
