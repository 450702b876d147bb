"""Settings read from the environment. Defaults give the embedded demo (SQLite, local files).

Environment variables: DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG,
MEDIA_ROOT, STATIC_ROOT, S3_BUCKET (with AWS_* variables), SESSION_IDLE_MINUTES.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent  # the safecommunity package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(environ.Env().str("SAFECOMMUNITY_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Off by default, `make run` included: a newcomer sees the product's own 403/404/500 pages, and
# WhiteNoise serves the static files (from the finders) as it does in production. DEBUG=true for
# Django's debug pages.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Our own apps, in import order: core -> orgunits -> accounts -> domain apps -> dashboards/api.
SAFECOMMUNITY_APPS = [
    "safecommunity.core",
    "safecommunity.orgunits",
    "safecommunity.accounts",
    "safecommunity.archive",
    "safecommunity.records",
    "safecommunity.creation",
    "safecommunity.injuries",
    "safecommunity.feeds",
    "safecommunity.hazards",
    "safecommunity.projects",
    "safecommunity.activities",
    "safecommunity.reports",
    "safecommunity.evaluation",
    "safecommunity.scorecard",
    "safecommunity.security",
    "safecommunity.surveys",
    "safecommunity.inspections",
    "safecommunity.patrols",
    "safecommunity.league",
    "safecommunity.bigscreen",
    "safecommunity.dashboards",
    "safecommunity.api",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "safecommunity.core.apps.StaticFilesConfig",  # django.contrib.staticfiles, unused vendor builds left out
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "auditlog",
    *SAFECOMMUNITY_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "safecommunity.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safecommunity.security.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safecommunity.core.middleware.RequestGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safecommunity.urls"
WSGI_APPLICATION = "safecommunity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safecommunity.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default under concurrent requests: write-ahead log (readers never wait for a
    # writer), a writer waits up to 20 s for the lock instead of failing with "database is locked",
    # and every transaction takes the write lock when it begins (a deferred one that later writes
    # cannot wait for it: SQLite fails it at once).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The org-unit tree every scoped record hangs from; core names it only through this setting
# (core.scoping.org_unit_model), as Django names the user model, so core imports no app.
ORG_UNIT_MODEL = "orgunits.OrgUnit"
# What the archive reads of the evaluation app, named here so that archive (which evaluation
# builds on) imports nothing of it: the applications whose experts read a unit's archive, and the
# scoring schemes whose items index the binder. Empty: no such grant / no scheme.
ARCHIVE_EXPERT_GRANT_MODEL = "evaluation.Application"
ARCHIVE_SCHEME_MODEL = "evaluation.Scheme"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id (accounts.hashers: OWASP's parameters, a quarter of PBKDF2's CPU a sign-in); hashes
# stored with Django's PBKDF2 still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "safecommunity.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Idle session timeout: a request renews the session (at most once a minute, see
# core.middleware.SessionRenewalMiddleware); it lapses after this many idle minutes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Lock per account, not per IP: on a government intranet whole offices share one NAT address,
# and an IP lock would shut every colleague out after one person's five mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Audit trail of every change to every record (django-auditlog).
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "axes",
    "auditlog",
    "contenttypes",
    "admin.logentry",
    "authtoken",
    "knox",
    "otp_totp",
    "otp_static",
    "security",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login", "updated_at")
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages installed from npm at build time (see package.json); served by the app itself.
NODE_MODULES = PROJECT_DIR / "node_modules"
for _prefix, _sub in [
    ("vendor/bootstrap", "bootstrap/dist"),
    ("vendor/bootstrap-icons", "bootstrap-icons/font"),
    ("vendor/echarts", "echarts/dist"),
    ("vendor/tom-select", "tom-select/dist"),
]:
    if (NODE_MODULES / _sub).is_dir():
        STATICFILES_DIRS.append((_prefix, NODE_MODULES / _sub))
WHITENOISE_USE_FINDERS = True

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env.str("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
# Uploaded evidence: limits (checked by archive.services before anything is stored).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_MB", default=50) * 1024 * 1024
ATTACHMENT_ALLOWED_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "odt", "ods",
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff",
    "mp3", "wav", "m4a", "amr", "mp4", "mov", "avi", "wmv", "zip", "rar", "7z",
]  # fmt: skip
# A date field holds nothing before 1900 or more than this many years ahead (core.validators.plausible_date).
DATE_MAX_YEARS_AHEAD = env.int("DATE_MAX_YEARS_AHEAD", default=50)
# Spreadsheet imports: refused before any reader opens them when a sheet spans more (core.excel.check_workbook).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=8_000_000)  # rows × columns spanned, as the reader allocates them
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=500)
IMPORT_MAX_ZIP_RATIO = env.int("IMPORT_MAX_ZIP_RATIO", default=200)
# A file read by a background worker (REDIS_URL set: core.excel.read_sheet streams it, so these bound
# the time an import takes, not its memory). Without a worker, imports run in the request under the limits above.
IMPORT_WORKER_MAX_ROWS = env.int("IMPORT_WORKER_MAX_ROWS", default=1_048_576)  # Excel's own most rows of a sheet
IMPORT_WORKER_MAX_CELLS = env.int("IMPORT_WORKER_MAX_CELLS", default=40_000_000)
IMPORT_WORKER_MAX_UNPACKED_MB = env.int("IMPORT_WORKER_MAX_UNPACKED_MB", default=4096)
# A workbook within these is read whole by python-calamine (fast, about 1.3 KB of memory a 19-column
# row); a larger one is streamed by openpyxl's read-only reader, one row at a time.
IMPORT_IN_MEMORY_MAX_ROWS = env.int("IMPORT_IN_MEMORY_MAX_ROWS", default=120_000)
IMPORT_IN_MEMORY_MAX_COLUMNS = env.int("IMPORT_IN_MEMORY_MAX_COLUMNS", default=32)
# Rows of an injury import checked, written and reported as progress together.
IMPORT_CHUNK_ROWS = env.int("IMPORT_CHUNK_ROWS", default=5000)
# An import with no sign of life for this long is dead (its worker was killed): it can be retried or cancelled.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=30)
# Files holding personal data (the originals of injury imports and hospital files): stored encrypted,
# never listed in the archive, downloadable only by who sees clear personal values, deleted after
# PERSONAL_FILE_RETENTION_DAYS (archive.services.personal_files_sweep, daily).
ATTACHMENT_PERSONAL_ROLES = ["injury_import", "injury_feed"]
PERSONAL_FILE_RETENTION_DAYS = env.int("PERSONAL_FILE_RETENTION_DAYS", default=180)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis keeps one client per process (Django's own backend builds a client for every
    # call: about 0.4 ms of CPU a cache operation against 0.16, and a page makes dozens).
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Figures many users read (core.figures_cache) are kept this long, only where the cache is shared
# by every app process (Redis): a process-local cache would not see the other processes' writes.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=600 if REDIS_URL else 0)
# Each app's to-do items of a user (the count in every page's top bar), kept likewise until a
# model they read changes, and at most this long: a deadline falls due with time, not with a write.
TODOS_CACHE_SECONDS = env.int("TODOS_CACHE_SECONDS", default=120 if REDIS_URL else 0)

# Background work: Celery with Redis in production; eagerly in-process without REDIS_URL.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}  # apps add daily jobs in their tasks modules (see core.registry)
# Long work (core.jobs): a running job marks itself alive every JOB_HEARTBEAT_SECONDS; one silent for
# JOB_STALE_SECONDS (queued: JOB_QUEUED_STALE_SECONDS) is shown interrupted and may be run again.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=15)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=120)
JOB_QUEUED_STALE_SECONDS = env.int("JOB_QUEUED_STALE_SECONDS", default=3600)
JOB_RESULT_DAYS = env.int("JOB_RESULT_DAYS", default=7)  # a job's file is kept this long
JOBS_RUN_AT_ONCE = False  # tests: a job runs where it is started, inside the caller's transaction
# A list export (?export=xlsx) of more rows than this is made by a job; smaller ones answer at once.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safecommunity.security.authentication.ExpiringTokenAuthentication",
        "safecommunity.security.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "safecommunity.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "safecommunity.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SafeCommunity API",
    "DESCRIPTION": "Safe community creation management platform. Every endpoint applies the same "
    "org-unit scoping as the web pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safecommunity.api.schema.document_error_responses",
    ],
}

MESSAGE_TAGS = {40: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The city this deployment serves (its root org unit code).
CITY_CODE = env.str("CITY_CODE", default="500000")

# Read replica (optional): statistics, dashboards and exports read a PostgreSQL streaming
# replica when DATABASE_REPLICA_URL is set; writes, sign-in and anything read back after a
# write stay on the primary (safecommunity.core.replica).
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
REPLICA_URL_NAMES = frozenset({
    "dashboards:home", "hazards:stats", "hazards:risk_map", "injuries:analysis", "injuries:effect",
    "reports:board", "reports:completeness", "reports:city_summary", "scorecard:city",
    "scorecard:district", "creation:plan_detail", "creation:three_year", "bigscreen:screen",
    "bigscreen:data", "league:table",
})
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["safecommunity.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "safecommunity.core.replica.ReplicaMiddleware",
    )

# API tokens (django-rest-knox): stored as a hash, expire after API_TOKEN_DAYS, revocable; all of a
# user's tokens and sessions end on a password, role, unit or active change (security.signals).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}

# Second factor (django-otp TOTP + recovery codes): these roles must enrol before they work.
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["city", "sysadmin"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="SafeCommunity")

# Tamper-evident audit trail (security.audit): each row chained by a hash; SM3 needs `pip install .[gm]`.
AUDIT_HASH_ALGORITHM = env.str("AUDIT_HASH_ALGORITHM", default="sha256")
# Key that signs the checkpoint kept when old audit rows are pruned (defaults to one derived from SECRET_KEY).
AUDIT_CHECKPOINT_KEY = env.str("AUDIT_CHECKPOINT_KEY", default="")

# Personal data keys (core.personal), apart from SECRET_KEY: "id:base64 of 32 bytes", comma
# separated; the first encrypts, every one decrypts. New key: `safecommunity personal_keys new`;
# after putting it first, `safecommunity personal_keys rotate` re-encrypts the stored values.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
