"""Settings of Plauen Digital, read from the environment (django-environ).

Without any environment the project runs on SQLite with Celery tasks executed in-process, so
`make run` needs no other service. `PRODUCTION=true` switches on every deployment safeguard.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional, for local overrides

PRODUCTION = env.bool("PRODUCTION", default=False)
DEBUG = False if PRODUCTION else env.bool("DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")  # must be set: no default in production
else:
    SECRET_KEY = env(
        "SECRET_KEY", default="django-insecure-dev-only-key-not-for-production-use-0123456789"
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Our apps come first: their templates and German texts take precedence over the contrib apps'
# (e.g. "Save" is "Speichern" here, not the admin's "Sichern").
INSTALLED_APPS = [
    # The order decides which app's catalogue wins where two translate the same msgid (the
    # first listed); it is not the layering (docs/architecture.md, "Layers").
    "core",
    "accounts",
    "plauen_digital",
    "strategy",
    "finance",
    "schools_wg",
    "participation",
    "plauen_digital.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates for the form renderer below
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_filters",
    "django_celery_beat",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.GermanByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.PrivacyHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plauen_digital.urls"
WSGI_APPLICATION = "plauen_digital.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.municipality",
            ],
            "builtins": [
                "core.templatetags.pd_format",
                "core.templatetags.pd_layout",
            ],
        },
    }
]

# Every form renders with KERN-UX markup (core/forms.py, templates/forms/kern/).
FORM_RENDERER = "core.forms.KernFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # throttles failed logins; must come first
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.StaffModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.GermanCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures per user name and address lock for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "accounts.forms.axes_username"
# The client's address, not the proxy's, behind nginx (core/proxy.py).
AXES_CLIENT_IP_CALLABLE = "core.proxy.client_ip"

# Sessions end after eight hours, or when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Generated files (report PDFs) are private: stored through the storage API, never served as media.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "files")))
MEDIA_URL = "/private-files-are-never-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Per process. Entries that must agree across processes carry a data stamp in their key
# (core/caching.py), so no shared cache is needed for correctness.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 500},  # least recently used go first
    }
}

# Celery: without a broker, tasks run in-process (eagerly), so nothing else has to run.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One limit for every task, the longest being the status report: the hard limit ends the task's
# process, the soft one (a minute earlier) lets it fail the job with a German message; the
# stale-job reaper treats a report without a heartbeat for this long as dead; and Redis hands an
# unacknowledged message to another worker only after the limit (plus a margin), so a task that
# is still running is never delivered twice.
TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=10 * 60)
TASK_SOFT_TIME_LIMIT = max(TASK_TIME_LIMIT - 60, TASK_TIME_LIMIT * 9 // 10)
CELERY_TASK_TIME_LIMIT = TASK_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = TASK_SOFT_TIME_LIMIT
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when Redis is down or stalled: one connection attempt of at most a
# second, no retries; the outbox row waits for beat's dispatcher (core/outbox.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "visibility_timeout": TASK_TIME_LIMIT + 60,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    # participation: announce opened consultations, remind 48 h before closing, daily digest.
    "participation-notify-opened": {
        "task": "participation.notify_all_opened",
        "schedule": timedelta(minutes=15),
    },
    "participation-notify-closing-soon": {
        "task": "participation.notify_closing_soon",
        "schedule": timedelta(hours=1),
    },
    "participation-send-digests": {
        "task": "participation.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # The outbox: hand waiting side effects to the workers (they are tried after each commit too).
    # Both expire after a minute: with the workers down, runs do not pile up in the queue.
    "outbox-dispatch": {
        "task": "plauen_digital.dispatch_outbox",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # reports: requeue (once) or fail report jobs whose worker has died.
    "reports-reap-stale-jobs": {
        "task": "reports.reap_stale_jobs",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # reports: daily check that creates the December status report once a year.
    "reports-annual-status-report": {
        "task": "reports.create_annual_report",
        "schedule": crontab(hour=6, minute=30),
    },
}
# The day the yearly status report is created (default 1 December).
STATUS_REPORT_MONTH = env.int("STATUS_REPORT_MONTH", default=12)
STATUS_REPORT_DAY = env.int("STATUS_REPORT_DAY", default=1)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="digitalisierung@plauen.example")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Security headers; the strict ones switch on with PRODUCTION.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No script needs the cookie: htmx sends the token from the page (hx-headers in base.html).
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "plauen_digital.views.csrf_failure"
# Behind the reverse proxy (docker-compose.yml, deploy/nginx.conf.template) nginx sets
# X-Forwarded-For and X-Forwarded-Proto itself; only then are they trusted. Never the forwarded
# host or port: the Host header nginx passes is checked against ALLOWED_HOSTS.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)  # proxies in front of gunicorn
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy: scripts only from our own origin, never inline.
CSP_DEFAULT_SRC = ("'self'",)
CSP_SCRIPT_SRC = ("'self'",)
CSP_STYLE_SRC = ("'self'", "'unsafe-inline'")  # inline styles only (widths of bars), no scripts
CSP_IMG_SRC = ("'self'", "data:")
CSP_FONT_SRC = ("'self'",)
CSP_FRAME_ANCESTORS = ("'none'",)
CSP_FORM_ACTION = ("'self'",)
CSP_BASE_URI = ("'self'",)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Sections that apps built on top add to pages of apps below them, so that imports point one way
# (e.g. finance adds costs to a measure page; strategy never imports finance). Each entry is a
# dotted path to a function (request, obj) -> None | {"template": ..., **context}.
DETAIL_PANELS: dict[str, list[str]] = {
    "strategy.field": [],
    "strategy.goal": ["participation.panels.goal_panel"],
    "strategy.measure": ["finance.panels.measure_panel"],
    "schools_wg.school": ["finance.panels.school_panel"],
}

# What depends on an object (core.dependents): dotted paths to (obj) -> [Dependent],
# per kind of object. Deletion and archiving confirmations list the union.
DEPENDENTS_PROVIDERS: dict[str, list[str]] = {
    "strategy.field": [
        "strategy.dependents.below",
        "participation.dependents.council_records",
        "finance.dependents.costs",
        "schools_wg.dependents.working_group_links",
    ],
    "strategy.goal": [
        "strategy.dependents.below",
        "participation.dependents.council_records",
        "finance.dependents.costs",
        "schools_wg.dependents.working_group_links",
    ],
    "strategy.measure": [
        "strategy.dependents.below",
        "finance.dependents.costs",
        "schools_wg.dependents.working_group_links",
    ],
    "strategy.milestone": ["schools_wg.dependents.working_group_links"],
    "finance.costitem": ["finance.dependents.cost_item"],
    "finance.fundingsource": ["finance.dependents.funding_source"],
    "finance.budgetline": [],
    "schools_wg.agendaitem": [],
}

# Who holds which personal data (GDPR access and export): dotted paths to (user) -> sections.
PERSONAL_DATA_PROVIDERS: list[str] = [
    "accounts.personal_data.account_data",
    "strategy.personal_data.personal_data",
    "participation.personal_data.personal_data",
    "schools_wg.personal_data.personal_data",
    "accounts.personal_data.history_authorship",
]

# The municipality's name is data (accounts.Municipality); this is only the fallback.
MUNICIPALITY_FALLBACK_NAME = env("MUNICIPALITY_NAME", default="Kommune")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
