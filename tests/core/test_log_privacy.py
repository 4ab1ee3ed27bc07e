"""No personal data and no link tokens in the logs: what a person typed into a search, or
the token of a vendor's link, never reaches the request and access logs (PDPA)."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# As a browser sends it: encoded in the query string.
SEARCH = urlencode({"q": "Somchai Jaidee somchai@example.org"})
TOKEN = "eyJ2IjoxfQ:1vXyZa:Secret-Signature-Part"


def written(logger_name: str, msg: str, *args) -> list[str]:
    """The lines the portal's own handlers write for a record logged on `logger_name`."""
    logger = logging.getLogger(logger_name)
    record = logger.makeRecord(logger_name, logging.WARNING, __file__, 1, msg, args, None)
    lines = []
    while logger is not None:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest"):
                continue
            if handler.filter(record):
                lines.append(handler.format(record))
        if not logger.propagate:
            break
        logger = logger.parent
    assert lines, f"no handler writes {logger_name}'s records"
    return lines


def test_runserver_access_lines_keep_the_path_not_the_query():
    (line,) = written(
        "django.server", '"%s" %s %s', f"GET /core/pdpa/?{SEARCH} HTTP/1.1", "200", "5120"
    )
    assert "GET /core/pdpa/?" in line and "200 5120" in line
    assert "Somchai" not in line and "somchai@example.org" not in line


def test_a_refused_vendor_link_is_logged_without_its_token():
    path = reverse("outcomes:vendor-form", kwargs={"token": TOKEN})
    lines = written("django.request", "Forbidden (Permission denied): %s", path)
    assert [line for line in lines if "Forbidden (Permission denied): /outcomes/v/[…]/" in line]
    assert not [line for line in lines if "Secret-Signature-Part" in line]


def _token_urls() -> list[str]:
    urls = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and "token" in pattern.pattern.converters
            ):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                params = {k: "1" for k in pattern.pattern.converters if k != "token"}
                urls.append(reverse(name, kwargs={**params, "token": TOKEN}))

    walk(get_resolver(), "")
    return urls


def test_every_url_carrying_a_token_is_redacted():
    from core.log_privacy import redact

    urls = _token_urls()
    assert urls, "the vendor link at least carries a token"
    for url in urls:
        assert "Secret-Signature-Part" not in redact(f"GET {url} HTTP/1.1"), url
    # Tokens in a query string (the personal calendar feed) go with the query.
    feed = reverse("meetings:year-calendar", kwargs={"fiscal_year": 2569})
    assert redact(f"GET {feed}?token={TOKEN} HTTP/1.1") == f"GET {feed}?[…] HTTP/1.1"


def test_prose_with_a_question_mark_is_left_alone():
    from core.log_privacy import redact

    assert redact("Is the broker up? No: retrying") == "Is the broker up? No: retrying"


@pytest.fixture
def gunicorn_logger():
    from gunicorn.config import Config

    from bbportal import gunicorn_conf

    cfg = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        cfg.set(name, getattr(gunicorn_conf, name))
    return cfg.logger_class(cfg)


def test_gunicorns_access_log_keeps_no_query_no_token_and_no_referer_query(gunicorn_logger, caplog):
    vendor_path = reverse("outcomes:vendor-form", kwargs={"token": TOKEN})
    for raw_uri, referer in (
        (f"/core/pdpa/?{SEARCH}", f"https://portal.example/core/pdpa/?{SEARCH}"),
        (vendor_path, f"https://portal.example{vendor_path}"),
    ):
        path, _, query = raw_uri.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": raw_uri,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.7",
            "HTTP_REFERER": referer,
            "HTTP_USER_AGENT": "Firefox",
        }
        response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
        request = SimpleNamespace(headers=[("REFERER", referer), ("USER-AGENT", "Firefox")])
        gunicorn_logger.access(response, request, environ, dt.timedelta(milliseconds=42))
    lines = [r.getMessage() for r in caplog.records if r.name == "gunicorn.access"]
    assert len(lines) == 2
    assert (
        '"GET /core/pdpa/?[…] HTTP/1.1" 200 5120 "https://portal.example/core/pdpa/?[…]"'
        in (lines[0])
    )
    assert '"GET /outcomes/v/[…]/ HTTP/1.1" 200' in lines[1]
    for line in lines:
        assert "Somchai" not in line and "somchai" not in line
        assert "Secret-Signature-Part" not in line
