"""Django settings, read from the environment.

SQLite is the embedded default; set DATABASE_URL (postgres://…) to use PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from casework.api import drf_settings
from casework.logging_settings import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Production serving: secure by default (DEBUG only when asked, no default secret) ---
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY, or the file named by SECRET_KEY_FILE (default var/secret_key, which `make run`
    and `make dev` generate once): never a key written in the code."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    key_file = Path(os.environ.get("SECRET_KEY_FILE", "") or BASE_DIR / "var" / "secret_key")
    if key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(
            f"Set SECRET_KEY or SECRET_KEY_FILE (no key in {key_file}; `make secret` writes one)"
        )
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "casework.apps.StaticFiles",
    "csp",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "casework.audit",
    "casework.accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "casework.policy",
    "casework.registry",
    "casework.cases",
    "casework.training",
    "casework.placement",
    "casework.posts",
    "casework.notices",
    "casework.api",
    "casework.pairing",
    "casework.monitoring",
    "casework.reports",
    "casework.ledgers",
    "casework.ops",
    # Last: its post_migrate syncs the roles, once every permission they name exists.
    "workflows",
]

MIDDLEWARE = [
    "casework.middleware.IdentifierQueryMiddleware",  # first: see "Bad input" below
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Chinese 404/500 pages also with DEBUG on, for everyone but staff (casework/middleware.py).
    "casework.middleware.ChineseErrorPagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "casework.accounts.middleware.IdleTimeoutMiddleware",
    "casework.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "casework.audit.context.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflows.middleware.ObjectPermissionCacheMiddleware",
    "workflows.middleware.WorkflowScopeMiddleware",
    "casework.middleware.DatabaseBusyMiddleware",
    # Last: it turns a lockout found while the login view ran into the lockout response.
    "axes.middleware.AxesMiddleware",
]  # viewflow appends its SiteMiddleware and HotwireTurboMiddleware itself

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

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
            ],
        },
    },
]

_SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue
    # instead of failing with "database is locked" half-way through (viewflow.md §5).
    "transaction_mode": "IMMEDIATE",
    "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),  # seconds a writer waits
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    _SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": _SQLITE_PATH}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", _SQLITE_OPTIONS)
else:  # PostgreSQL: no JIT (compiling took ~5 s per short query on tables without statistics);
    # random reads priced as on SSDs, not spinning disks (4), or lists read whole tables.
    _PAGE_COST = float(os.environ.get("POSTGRES_RANDOM_PAGE_COST") or "1.1")
    _PG_OPTIONS = f"-c jit=off -c random_page_cost={_PAGE_COST}"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", _PG_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Availability on SQLite while another process writes (a ledger import holds the write lock for
# its whole write phase): writers wait up to the busy timeout above; updates of an existing session
# wait briefly and are skipped rather than failing the page (casework/common/sessions.py); a
# request that still finds the database locked gets the 503 busy page (DatabaseBusyMiddleware).
SESSION_ENGINE = "casework.common.sessions"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "casework.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors see nothing

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Project strings first, then our translation of viewflow (which ships none for zh_Hans).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "viewflow"]
TIME_ZONE = "Asia/Shanghai"
# --- Chinese interface: dates typed and picked as 2026-11-28 (casework/formats/zh_Hans) ---
FORMAT_MODULE_PATH = ["casework.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Batch exports of case files: private files, served only through a permission-checked view.
EXPORT_ROOT = Path(os.environ.get("EXPORT_ROOT", str(BASE_DIR / "exports")))

# --- Background work and private files --- Tasks (django-tasks): the database queue by default,
# worked by `manage.py db_worker`; TASKS_BACKEND=rq puts the same tasks on Redis (REDIS_URL) for
# `manage.py rqworker --job-class django_tasks_rq.Job` on any number of machines.
_TASKS_ON_RQ = os.environ.get("TASKS_BACKEND", "database") == "rq"
INSTALLED_APPS += ["django_tasks", "django_tasks_db"] + (["django_rq"] if _TASKS_ON_RQ else [])
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 6 * 60 * 60}}
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend"
        if _TASKS_ON_RQ
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job with no sign of life (heartbeat) for this long is taken to have lost its
# worker: the scheduler's reaper runs it again (JOB_RETRIES times) or marks it failed.
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "300"))
JOB_RETRIES = 1
CASEFILE_PART_SIZE = 20  # case files per task: a batch is spread over every worker
CASEFILE_ZIP_RETENTION_DAYS = int(os.environ.get("CASEFILE_ZIP_RETENTION_DAYS", "7"))
# "private": uploads, exports and ZIPs with personal data, never served directly. Local disk
# under EXPORT_ROOT by default; PRIVATE_STORAGE=s3 puts them in an S3-compatible bucket
# (S3_BUCKET, S3_ENDPOINT_URL, S3_REGION; credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY), so web and worker machines need not share a disk.
if os.environ.get("PRIVATE_STORAGE") == "s3":
    _PRIVATE_STORAGE: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(EXPORT_ROOT), "base_url": None},
    }
# "default" and "staticfiles" as Django's own defaults; production serving may replace them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": _PRIVATE_STORAGE,
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"

# Logins: lockout after failed attempts, idle timeout, two-factor, password reset by mail.
# A lockout is keyed on the username and the address together: a township office shares one
# address, and one person's typing errors must not lock out the colleagues beside them.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out are refused and recorded, but do not lengthen the lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "casework.accounts.views.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # the audit chain records logins and logouts
AXES_ENABLE_ADMIN = False  # locks are listed and released on our own page (/logins/)
AXES_VERBOSE = False
# Behind a proxy (the TLS front), the client's address is the Nth from the right of
# X-Forwarded-For, N being the number of proxies we run; 0 reads REMOTE_ADDR.
LOGIN_TRUSTED_PROXIES = int(os.environ.get("LOGIN_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "casework.accounts.addresses.client_address"
# A session unused for this long is ended (besides SESSION_COOKIE_AGE, the absolute limit).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# Administrators and managers must give a TOTP code after their password.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "就业帮扶"
# Password reset by e-mail only where a mail server is configured; otherwise the login page
# sends people to their administrator, who sets a new password on /logins/.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# --- Production serving: static files (WhiteNoise serves them, compressed, under hashed names) ---
STATICFILES_DIRS = [BASE_DIR / "static"]
if (BASE_DIR / "build" / "static").is_dir():  # front-end libraries, copied by `make vendor`
    STATICFILES_DIRS.append(BASE_DIR / "build" / "static")
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Only the hashed names are served (every page names its files through {% static %}), so only
# they are kept and compressed. Not compressed either: source maps (read by developer tools
# only) and the EOT/OTF/TTF fonts (browsers take the WOFF2 files beside them): brotli on those
# was most of collectstatic's minute.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("woff", "woff2", "map", "eot", "otf", "ttf"),
]

# --- Production serving: TLS behind a proxy (HTTPS=true when users reach the site over https) ---
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# The header the TLS proxy sets, e.g. PROXY_SSL_HEADER=X-Forwarded-Proto (the proxy must
# overwrite it on every request); then a request is secure when its value is "https".
if os.environ.get("PROXY_SSL_HEADER"):
    _header = os.environ["PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# W021 asks for HSTS "preload", which puts the whole registrable domain (often a shared government
# domain) in browsers' built-in lists: its owner decides (HSTS_PRELOAD=true brings W021 back).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# --- Production serving: Content-Security-Policy (django-csp) ---
# Scripts and style sheets only from our own static files. The nonce is for the one <style>
# element Turbo creates (its progress bar; base.html hands it the nonce in <meta name=csp-nonce>).
# style="" attributes stay allowed: viewflow's own templates use dozens of them, and an attribute
# cannot carry a nonce; style attributes cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = logging_config(os.environ.get("LOG_LEVEL", "WARNING"))

# Bad input (issue 16). An ID or phone number in a query string is refused by the first
# middleware (a 303 to the lookup by POST) and blanked in every log line printed here, the
# development server's request lines included. The household ledger import's limits
# (casework/ledgers/household/limits.py explains the defaults) may be overridden here by key:
# upload_mb, rows, cell_chars, member_mb, shared_strings_mb, total_mb, ratio, members.
LEDGER_IMPORT_LIMITS: dict[str, int] = {}

# Audit chain kept honest from outside its database (README "Audit log"): the HMAC key (the
# environment, or a file made once by `manage.py audit_key`), the append-only anchor file the
# scheduler writes the chain's head to, and on PostgreSQL the owner's connection for `migrate`
# and `db_roles` (MIGRATE_DATABASE_URL) while DATABASE_URL names the application's own role.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
AUDIT_HMAC_KEY_FILE = Path(
    os.environ.get("AUDIT_HMAC_KEY_FILE", str(BASE_DIR / "var" / "audit_hmac_key"))
)
AUDIT_ANCHOR_PATH = Path(
    os.environ.get("AUDIT_ANCHOR_PATH", str(BASE_DIR / "var" / "audit-anchor.log"))
)
if os.environ.get("MIGRATE_DATABASE_URL"):
    DATABASES["owner"] = {
        **dj_database_url.parse(os.environ["MIGRATE_DATABASE_URL"]),
        "TEST": {"MIRROR": "default"},
    }

# The API (/api/v1/): Django REST Framework and its OpenAPI schema (casework/api/drf_settings.py).
REST_FRAMEWORK = drf_settings.REST_FRAMEWORK
SPECTACULAR_SETTINGS = drf_settings.SPECTACULAR_SETTINGS
# Counts shared by every worker process (the API's calls a minute per client): a table of the
# database (made by the api app's migrations); the default cache stays in each process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": drf_settings.SHARED_CACHE,
}
