"""gunicorn's settings for the web container (`gunicorn -c python:bbportal.gunicorn_conf`).

Its access log keeps the path of each request but never a query string or a link token:
the PDPA search sends a person's name or e-mail in the query, the calendar feed its token,
and a vendor's own link is a token in the path (core.log_privacy).
"""

from gunicorn.glogging import Logger

from core.log_privacy import redact

accesslog = "-"
# The combined format without the user agent; the referer is a URL and is redacted too.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" %(M)sms'


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger
