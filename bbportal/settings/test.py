"""Settings for the test suite. PostgreSQL and Redis when their URLs are given (CI)."""

import os

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One folder per database and pytest-xdist worker (CI runs SQLite and PostgreSQL side by
# side): a test that empties or lists it sees only its own files.
_ENGINE = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
MEDIA_ROOT = env.path(
    "MEDIA_ROOT",
    default=BASE_DIR
    / "var"
    / "test-media"
    / f"{_ENGINE}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
)
# Unit tests run tasks in-process; the worker tests start a real worker on the broker
# given in TEST_CELERY_BROKER_URL instead.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
CELERY_RESULT_BACKEND = None
TEST_CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="")
DEMO_DATA_ALLOWED = True
# runserver and the live test server serve static files themselves.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
# django-axes logs every log-in at INFO; tests log in hundreds of times.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}
# Every page the test browser opens arrives in two parts (tests/slow_pages.py says why).
BROWSER_PAGE_PAUSE = env.float("BROWSER_PAGE_PAUSE", default=0.1)
MIDDLEWARE = ["tests.slow_pages.SlowPages", *MIDDLEWARE]
