"""Settings shared by every environment; values come from environment variables.

``dev`` (manage.py's default), ``test`` (pytest) and ``production`` (wsgi, Celery, compose)
build on this module.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "longbien.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "auditlog",
    "longbien.core.third_party_apps.AxesConfig",
    "csp",
    "django_htmx",
    "longbien.org",
    "longbien.attachments",
    "cadres",
    "longbien.procedures",
    "resolutions",
    "inspections",
    "dialogues",
    "longbien.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Refuses bad input (NUL, oversized bodies) before anything reads the request.
    "longbien.core.edges.EdgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "longbien.core.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
    "longbien.core.middleware.CurrentUnitMiddleware",
    "longbien.core.middleware.NoStoreForUsersMiddleware",
]

ROOT_URLCONF = "longbien.urls"
WSGI_APPLICATION = "longbien.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "longbien.core.context_processors.portal",
            ],
            "builtins": ["longbien.core.templatetags.vn"],
        },
    }
]

# Database: DATABASE_URL, else the embedded PostgreSQL (pgserver) under var/pgdata.
DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    from longbien.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url(BASE_DIR)
# No JIT compilation: the portal's queries are short, and PostgreSQL's JIT, triggered by a
# cost estimate, spent 0,9 s compiling a 0,1 s query (the overlap check at city scale).
_NO_JIT = {"options": "-c jit=off"}
DATABASES = {
    "default": {
        **dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True),
        "OPTIONS": _NO_JIT,
    }
}
# A PostgreSQL replica for the dashboards' and term reports' reads (longbien/replica.py).
if env("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(env("DATABASE_REPLICA_URL"), conn_max_age=60,
                                conn_health_checks=True),
        "OPTIONS": _NO_JIT,
        "TEST": {"MIRROR": "default"},
    }  # fmt: skip
DATABASE_ROUTERS = ["longbien.replica.Router"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django's form templates, the select and input widgets drawn without an include per option.
FORM_RENDERER = "longbien.core.forms.FormRenderer"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "longbien.org.backends.PersonModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: five failures per username and address lock the pair for 30 minutes.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Reverse proxies in front of the app, each appending to X-Forwarded-For (production: 1). The
# default 0 suits runserver, which nobody fronts: trusting the header there would let a client
# choose the address its failures count against. See longbien/client.py.
PROXY_COUNT = int(env("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "longbien.client.client_address"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are shown and typed as dd/mm/yyyy in every interface language (the browser's language
# plays no part: forms use longbien.core.forms.DateField, a text input with a calendar).
FORMAT_MODULE_PATH = ["longbien.core.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
# Attachments live outside the web root and are served only through a permission check.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file any form takes (attachments; imports take 10 MB, core/io_views.py). A
# multipart body declared larger than this plus DATA_UPLOAD_MAX_MEMORY_SIZE is refused before
# it is read, and a file stream is stopped past it (longbien/core/edges.py).
UPLOAD_MAX_BYTES = max(ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "longbien.core.edges.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The API refuses JSON nested deeper than this (longbien/core/edges.py).
API_JSON_MAX_DEPTH = int(env("API_JSON_MAX_DEPTH", "32"))

# Sessions in the database keep the web tier stateless; read through the shared cache (Redis),
# so a request does not spend a query on its session (written to both, so a cache lost or
# flushed loses nothing). Whether the account may still log in is checked on every request
# all the same (the user is read from the database: deactivated, or the password changed).
SESSION_ENGINE = "longbien.core.sessions"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "longbien.core.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis gives a task not yet acknowledged (acks_late: until it ends) to a worker again after
# this many seconds: how long the task of a worker killed outright waits to run again (a
# killed pool process's task comes back at once). It must exceed the longest time limit and
# countdown, or a task still running is delivered twice. Tests shorten it through the env.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", str(60 * 60)))
}
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "*.report_*": {"queue": "reports"},
    "*.import_*": {"queue": "imports"},
}
CELERY_TIMEZONE = TIME_ZONE
# A worker whose resident memory grows past this (KiB) is replaced after its current task: the
# term report's renderer is the largest user (run the reports queue with it).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(env("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "800000"))
CELERY_BEAT_SCHEDULE: dict = {
    "deadline-reminders": {
        "task": "resolutions.send_deadline_reminders_task",
        "schedule": 60 * 60 * 6,  # four times a day; each reminder is sent once
    },
    # The figure cache's record of writes folded into one row per table (versions unchanged).
    "figure-changes-compact": {
        "task": "core.compact_figure_changes_task",
        "schedule": 60 * 10,
    },
    # The top units' dashboards computed ahead of the Standing Committee (only what changed).
    "dashboards-warm": {
        "task": "reporting.warm_dashboards_task",
        "schedule": 60 * 10,
    },
    "import-files-purge": {
        "task": "core.purge_import_files_task",
        "schedule": 60 * 60,  # hourly: no uploaded file outlives its retention by much
    },
    # Inspections: follow-ups to their units, cases' time limits to the inspection role only.
    "inspection-follow-up-reminders": {
        "task": "inspections.send_follow_up_reminders_task",
        "schedule": 60 * 60 * 6,
    },
    "inspection-case-reminders": {
        "task": "inspections.send_case_reminders_task",
        "schedule": 60 * 60 * 6,
    },
    # Dialogues: commitments to their owner units, opinion cases to their assigned units.
    "dialogue-reminders": {
        "task": "dialogues.send_reminders_task",
        "schedule": 60 * 60 * 6,
    },
    # Quarterly reports: the quarter just ended opened for every reporting unit, then the
    # deadline's reminders to the units whose report is not sent.
    "quarterly-report-reminders": {
        "task": "reporting.send_report_reminders_task",
        "schedule": 60 * 60 * 6,
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # drf-spectacular's, with the refusals and stored nulls and blanks every operation has.
    "DEFAULT_SCHEMA_CLASS": "longbien.core.schema.AutoSchema",
    # DRF's parsers, refusing NUL and deep nesting with Vietnamese messages (core/edges.py).
    "DEFAULT_PARSER_CLASSES": [
        "longbien.core.edges.JSONParser",
        "longbien.core.edges.FormParser",
        "longbien.core.edges.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "2000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng công tác Quận ủy Long Biên: API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set used under several field names.
    "ENUM_NAME_OVERRIDES": {
        "RatingEnum": "cadres.choices.Rating",
        "InspectionKindEnum": "inspections.choices.InspectionKind",
        "CaseKindEnum": "inspections.choices.CaseKind",
        "DialogueLevelEnum": "dialogues.choices.DialogueLevel",
        "OpinionCaseStatusEnum": "dialogues.choices.CaseStatus",
        "OpinionCaseOutcomeEnum": "dialogues.choices.Outcome",
        "CritiqueKindEnum": "dialogues.choices.CritiqueKind",
        # The Fatherland Front and the organisations: a critique's organiser, feedback's sender.
        "OrganiserEnum": "dialogues.choices.Organiser",
        # District or grassroots: the same choices for procedures and denunciations.
        "DistrictOrGrassrootsEnum": "inspections.choices.CaseLevel",
        "CaseOutcomeEnum": "inspections.choices.CaseOutcome",
        "QuarterlyReportStatusEnum": "longbien.reporting.choices.ReportStatus",
    },
}

IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Files with more rows than this are checked and imported by a Celery worker.
IMPORT_BACKGROUND_ROWS = int(env("IMPORT_BACKGROUND_ROWS", "300"))
# Uploaded import files carry personal data: one checked and never applied (nor abandoned) is
# deleted after this many days by core.purge_import_files_task.
IMPORT_FILE_RETENTION_DAYS = int(env("IMPORT_FILE_RETENTION_DAYS", "2"))
# The monthly approval grid shows one unit's cadres; a larger unit is asked to narrow down.
EVALUATION_GRID_MAX_ROWS = int(env("EVALUATION_GRID_MAX_ROWS", "200"))

AUDITLOG_INCLUDE_ALL_MODELS = False

# The root of the organisation tree shown in reports (configurable per deployment).
PORTAL_ROOT_UNIT_CODE = env("PORTAL_ROOT_UNIT_CODE", "QU-LB")
PORTAL_NAME = env("PORTAL_NAME", "Cổng công tác Quận ủy Long Biên")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Reminders: this many working days before a task's deadline, and once its effective deadline
# has passed (longbien/reminders.py).
TASK_REMINDER_DAYS = int(env("TASK_REMINDER_DAYS", "3"))
# The same for inspections' follow-ups and for cases' time limits (inspections/tasks.py).
INSPECTION_REMINDER_DAYS = int(env("INSPECTION_REMINDER_DAYS", "3"))
CASE_REMINDER_DAYS = int(env("CASE_REMINDER_DAYS", "5"))
# Two visits of different bodies on the same topic to the same unit this many months apart
# or less overlap (inspections/selectors.py overlaps_of).
# Working days an assigned unit has to answer a public-opinion case, by urgency
# ("normal:15,urgent:5,very_urgent:2").
OPINION_CASE_DUE_DAYS = {
    key: int(days)
    for key, days in (
        item.split(":")
        for item in env("OPINION_CASE_DUE_DAYS", "normal:15,urgent:5,very_urgent:2").split(",")
    )
}
# Ward quarterly reports: the deadline is this day of the month after the quarter; the kinds of
# unit that report (ward committees, other grassroots organisations, the enterprise bloc).
QUARTERLY_REPORT_DUE_DAY = int(env("QUARTERLY_REPORT_DUE_DAY", "15"))
QUARTERLY_REPORT_UNIT_KINDS = env_list(
    "QUARTERLY_REPORT_UNIT_KINDS", "ward_committee,grassroots,enterprise_bloc"
)
# Reminders of a quarterly report not sent: this many working days before its deadline, and
# once it has passed (longbien/reporting/tasks.py).
QUARTERLY_REPORT_REMIND_DAYS = int(env("QUARTERLY_REPORT_REMIND_DAYS", "5"))
INSPECTION_TOPIC_WINDOW_MONTHS = int(env("INSPECTION_TOPIC_WINDOW_MONTHS", "6"))

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "cong-thong-tin@longbien.local")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "fontTools": {"level": "ERROR"},
        "weasyprint": {"level": "ERROR"},
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Its DEBUG record of a missing variable holds the repr of the whole page context,
        # confidential text included: never written, whatever DJANGO_LOG_LEVEL says.
        "django.template": {"level": "INFO"},
    },
}
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "longbien.core.api.exception_handler"
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [
    "rest_framework.permissions.IsAuthenticated",
    "longbien.core.permissions.AreaPermission",
]

# The demo creates well-known logins; dev and test settings allow it, production does not.
DEMO_DATA_ALLOWED = False
