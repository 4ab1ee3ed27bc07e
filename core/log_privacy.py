"""What the request and access logs may keep of a URL: the path, never the query string
(search terms such as the PDPA page's name or e-mail, the calendar feed's token) and never
the token that is itself part of a path (the vendor's own link).

`RedactFilter` sits on the portal's log handlers (settings.LOGGING, runserver's access
lines included); bbportal/gunicorn_conf.py applies `redact` to gunicorn's access log.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[…]"

# A query string inside a logged line: "?" directly followed by text up to the next
# blank or quote. "Is it up? No" keeps its question mark.
_QUERY = re.compile(r"\?(?=[^\s\"'<>])[^\s\"'<>]*")
# Paths whose segment after the prefix is a bearer token. tests/core/test_log_privacy.py
# fails on a URL with a `token` parameter that is not listed here.
TOKEN_PATH_PREFIXES = (
    "/outcomes/v/",  # a vendor's own link
    "/meetings/pack/",  # a city's coordination pack
    "/buyers/showcase/",  # a buyer's contact form, under the showcase's token
    "/showcase/",  # the buyers' showcase
)
_TOKEN_PATH = re.compile(
    "(" + "|".join(re.escape(p) for p in TOKEN_PATH_PREFIXES) + r")[^/\s\"'?<>]+"
)


def redact(text: str) -> str:
    """`text` with every query string and every path token replaced by `[…]`."""
    if "?" not in text and not any(p in text for p in TOKEN_PATH_PREFIXES):
        return text
    text = _TOKEN_PATH.sub(lambda m: m.group(1) + REDACTED, text)
    return _QUERY.sub("?" + REDACTED, text)


class RedactFilter(logging.Filter):
    """Rewrites the record's message once; later handlers see the redacted text too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let the handler report it as usual
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
