"""Settings shared by every environment.

Every value that differs between a laptop and production comes from the environment
(cookiecutter-django style). The defaults are the *embedded* set-up: a SQLite file,
Celery tasks run in-process, console e-mail and the local Teams backend, so that
`make run` works on a bare machine.
"""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.client_ip import axes_ipware_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- Applications -------------------------------------------------------------------
DJANGO_APPS = [
    "core.admin_apps.PortalAdminConfig",  # django.contrib.admin with BE/CE date inputs
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "simple_history",
    "parler",
    "axes",
    "csp",
]
LOCAL_APPS = [
    "core",
    "vendors",
    "cities",
    "meetings",
    "outcomes",
    "reports",
    "documents",
    "notifications",
    # Built on sessions, cities and vendors: the showcase for sister cities' buyers, and
    # their contact requests.
    "buyers",
    # Built on every app above: PDPA search, export and erasure.
    "privacy",
    # Demo cities, vendors and users (manage.py load_demo_data, never in production).
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every answer; Cache-Control: no-store unless a view chose.
    "core.middleware.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a body: too large a request is refused unread (413), in the
    # reader's language.
    "core.requests.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses NUL bytes and lone surrogates in any parameter before a view stores or
    # filters on them (after the locale and the user, so its page has both).
    "core.middleware.UnstorableInputMiddleware",
    # A form sent twice (a double click, a resend) changes things once (core/once.py).
    "core.once.OneTimeFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the acting user on every admin edit; services set it explicitly.
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bbportal.urls"
WSGI_APPLICATION = "bbportal.wsgi.application"
ASGI_APPLICATION = "bbportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Every {% csrf_token %} also writes the form's one-time token (core/once.py).
            "builtins": ["core.templatetags.form_once"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "microsoft.context_processors.sign_in",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "core.auth_backends.LockoutBackend",
    "core.auth_backends.PortalBackend",
]
# django-axes: lock a username at one address after repeated failures, so that a
# password cannot be guessed, while a colleague behind the same office NAT is unaffected.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_USERNAME_CALLABLE = "core.views.lockout_username"
# The client's address behind AXES_PROXY_COUNT reverse proxies (django-ipware).
# Not named AXES_PROXY_COUNT in settings: django-axes 8 flags that name as deprecated.
PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
_client_ip = axes_ipware_settings(PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_ip["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_ip["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _client_ip["AXES_IPWARE_PROXY_ORDER"]
IPWARE_STRICT = _client_ip["IPWARE_STRICT"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Django's database sessions, read in one statement written once (core/sessions.py, #19).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
# Longest query parameter (a search, a filter) accepted; longer gets a 400 page.
QUERY_VALUE_MAX_CHARS = 1000
# How long a repeated form waits for the first sending to finish (core/once.py).
FORM_ONCE_WAIT_SECONDS = 5
# Browser features no page of the portal uses (the Permissions-Policy header).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# A personal calendar feed link works this long (and until its user's password changes).
CALENDAR_FEED_MAX_AGE_DAYS = env.int("CALENDAR_FEED_MAX_AGE_DAYS", default=180)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere: pages load their JavaScript from /static/. Styles allow
# inline attributes because Django's admin and crispy-forms templates use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# The product texts in the buyers' languages (vendors.ProductTranslation) are kept by
# django-parler, which checks its PARLER_LANGUAGES against these staff languages: it is
# left unset, and the translation model's own choices (core.languages) admit Korean,
# Japanese and Chinese. A missing text falls back to English on the showcase
# (buyers.selectors), with a note, not through parler.
# The pages read the rows in one query each (buyers.selectors, the product form), never
# through parler's per-object cache, which would go stale across processes.
PARLER_ENABLE_CACHING = False
# The portal's own Thai first, then the Thai Django and third-party apps lack (see
# locale_thirdparty/th/LC_MESSAGES/django.po); both win over the apps' catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]
TIME_ZONE = "Asia/Bangkok"
FORMAT_MODULE_PATH = ["bbportal.formats"]  # English dates day-first, 24-hour
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (workbooks, photos, reports) never sit under a public URL: they are served
# only by permission-checked views, so MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-is-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Form fields, files aside (Django's default).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Uploaded workbooks (vendor imports, outcome forms) hold personal data: their files are
# deleted this many days after upload, the rows and checksums kept (core/retention.py).
UPLOAD_RETENTION_DAYS = env.int("UPLOAD_RETENTION_DAYS", default=90)
FILE_UPLOAD_HANDLERS = [
    "core.requests.StreamLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# An inquiry letter's attachment (a PDF, a scan, a .docx).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Excel imports (core.spreadsheets): rows per sheet, and how far an .xlsx (a zip) may
# unpack before it is refused as a zip bomb.
SPREADSHEET_MAX_ROWS = env.int("SPREADSHEET_MAX_ROWS", default=50_000)
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env.int(
    "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024
)
# Product photos (vendors.validators): the largest upload, and the most pixels a photo may
# have, read from its header before anything is decoded (decompression bombs).
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
# The largest request body read at all: one upload and the form around it. Larger ones
# get 413 before their body is read (core.requests), from Content-Length and, for a body
# that says less than it sends, while streaming.
REQUEST_MAX_BYTES = max(UPLOAD_MAX_BYTES, PHOTO_MAX_UPLOAD_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Forms --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="BB Portal <bbportal@localhost>")

# --- Celery ---------------------------------------------------------------------------
# With no broker configured the embedded default runs every task in-process, so the
# portal works on a bare machine; CELERY_BROKER_URL=redis://... switches to a worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# No result backend: every task records its outcome on a database row (a ping, a Teams
# request, a report, an import job) and nothing reads Celery's results. A Redis result
# backend also made each announcement wait ~19 s for it while Redis was down.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A web request that announces work must not wait on a dead or unreachable broker: it
# gives up quickly (core.queue's retry policy) and the sweep announces the work later.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task gives the task back
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task running when the broker connection drops cannot be acknowledged on the new one,
# so it would come back anyway: stop it and let it come back now (Celery 6's default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# With late acknowledgement, Redis gives a killed worker's task to another worker once
# this many seconds have passed: longer than any task runs (time limit: 15 minutes).
# Workers look for such tasks every CELERY_RESTORE_INTERVAL seconds (kombu's default,
# ten sweeps of ten seconds apart of which only one scans, would wait 100 s).
# kombu's Redis transport, except that a worker holding tasks survives a Redis restart
# and queues them again (bbportal/redis_transport.py).
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "bbportal.redis_transport:Transport"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=30),
    "unacked_restore_throttle": 1,
    # A broker host that does not answer at all (rather than refusing) fails as fast.
    "socket_connect_timeout": 0.5,
}
# A running report or import stamps its row every HEARTBEAT_SECONDS; one not stamped for
# WORK_STALL_SECONDS lost its worker: the page says so and the sweep restarts it
# (core.heartbeat), instead of waiting for the visibility timeout.
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=30)
WORK_STALL_SECONDS = env.int("WORK_STALL_SECONDS", default=180)
CELERY_BEAT_SCHEDULE: dict = {
    # Work recorded while the broker was down is announced again (core/queue.py).
    "sweep-pending-work": {"task": "core.tasks.sweep_pending_work", "schedule": 60.0},
    # Uploaded workbooks older than UPLOAD_RETENTION_DAYS lose their file (PDPA).
    "purge-source-files": {
        "task": "core.tasks.purge_source_files",
        "schedule": crontab(hour=2, minute=15),
    },
    # Outcomes: every programme year's KPI each night; SDO's reminders each morning.
    "outcomes-kpi-nightly": {
        "task": "outcomes.tasks.compute_kpi_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    "outcomes-reminders": {
        "task": "outcomes.tasks.send_outcome_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Staff who chose a daily digest get their to-do list once a morning (notifications/staff.py).
    "notifications-staff-digests": {
        "task": "notifications.tasks.send_staff_digests",
        "schedule": crontab(hour=7, minute=30),
    },
}

# --- Microsoft Teams through Graph ------------------------------------------------------
TEAMS_BACKEND = env("TEAMS_BACKEND", default="local")
GRAPH_TENANT_ID = env("GRAPH_TENANT_ID", default="")
GRAPH_CLIENT_ID = env("GRAPH_CLIENT_ID", default="")
GRAPH_CLIENT_SECRET = env("GRAPH_CLIENT_SECRET", default="")
GRAPH_ORGANIZER = env("GRAPH_ORGANIZER", default="")
GRAPH_AUTHORITY_HOST = env("GRAPH_AUTHORITY_HOST", default="https://login.microsoftonline.com")
GRAPH_API_BASE = env("GRAPH_API_BASE", default="https://graph.microsoft.com/v1.0")
GRAPH_TIMEOUT_SECONDS = env.float("GRAPH_TIMEOUT_SECONDS", default=20.0)
# In-client retries of a throttled or failing Graph call (429/5xx), before the Celery task
# takes over; a Retry-After beyond GRAPH_MAX_WAIT_SECONDS goes straight back to the task.
GRAPH_MAX_ATTEMPTS = env.int("GRAPH_MAX_ATTEMPTS", default=3)
GRAPH_BACKOFF_SECONDS = env.float("GRAPH_BACKOFF_SECONDS", default=1.0)
GRAPH_MAX_WAIT_SECONDS = env.float("GRAPH_MAX_WAIT_SECONDS", default=30.0)

# --- Programme defaults -----------------------------------------------------------------
PORTAL_SITE_URL = env("PORTAL_SITE_URL", default="http://127.0.0.1:8000")

# Every handler drops query strings and link tokens from what it writes (PDPA: search terms,
# tokens; core.log_privacy). runserver's access lines go through it too, instead of Django's
# own "django.server" handler; gunicorn's access log: bbportal/gunicorn_conf.py.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.log_privacy.RedactFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (console only with DEBUG, mail to the unset ADMINS) write
        # unfiltered: its records go to the root's handler instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Demo data and demo users may be created only where this is true (never in production).
DEMO_DATA_ALLOWED = False

# --- Sign in with Microsoft (Entra ID) ------------------------------------------------------
# Off unless the tenant, client id and secret are all set. ENTRA_GROUP_ROLES maps Entra
# group object ids to portal roles: "<group-id>:fao,<group-id>:sdo,...". A user whose
# groups map to no role is refused with a page that says so.
ENTRA_TENANT_ID = env("ENTRA_TENANT_ID", default="")
ENTRA_CLIENT_ID = env("ENTRA_CLIENT_ID", default="")
ENTRA_CLIENT_SECRET = env("ENTRA_CLIENT_SECRET", default="")
ENTRA_AUTHORITY_HOST = env("ENTRA_AUTHORITY_HOST", default="https://login.microsoftonline.com")
ENTRA_GROUP_ROLES = env("ENTRA_GROUP_ROLES", default="")
ENTRA_TIMEOUT_SECONDS = env.float("ENTRA_TIMEOUT_SECONDS", default=15.0)

# --- Year plan and sessions (meetings) -----------------------------------------------------
# Reminders go to the participants of the sessions that start within a day; the
# unique row per recipient and start time keeps a second run from sending twice.
CELERY_BEAT_SCHEDULE["meetings-session-reminders"] = {
    "task": "meetings.tasks.queue_session_reminders",
    "schedule": 15 * 60.0,
}

# --- Outgoing messages and LINE (notifications) -----------------------------------------
# One outbox for every message; see notifications/services.py. Attempts per message, the
# first retry's wait (doubling, with jitter), how long a claimed row may stay "sending"
# before the sweep takes it back, and how long past due before the sweep re-announces it.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60.0)
NOTIFICATIONS_STALE_SECONDS = env.int("NOTIFICATIONS_STALE_SECONDS", default=20 * 60)
NOTIFICATIONS_SWEEP_GRACE_SECONDS = env.int("NOTIFICATIONS_SWEEP_GRACE_SECONDS", default=120)
# LINE Messaging API: off (the console backend writes to the log) unless a channel
# access token is configured.
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", default="")
LINE_BACKEND = env("LINE_BACKEND", default="line" if LINE_CHANNEL_ACCESS_TOKEN else "console")
LINE_API_BASE = env("LINE_API_BASE", default="https://api.line.me")
LINE_BOT_BASIC_ID = env("LINE_BOT_BASIC_ID", default="")
LINE_TIMEOUT_SECONDS = env.float("LINE_TIMEOUT_SECONDS", default=10.0)
LINE_MAX_TRIES = env.int("LINE_MAX_TRIES", default=2)
LINE_BACKOFF_SECONDS = env.float("LINE_BACKOFF_SECONDS", default=1.0)
LINE_MAX_WAIT_SECONDS = env.float("LINE_MAX_WAIT_SECONDS", default=10.0)
LINE_LINK_CODE_DAYS = env.int("LINE_LINK_CODE_DAYS", default=30)
LINE_WEBHOOK_RATE_PER_MINUTE = env.int("LINE_WEBHOOK_RATE_PER_MINUTE", default=600)
