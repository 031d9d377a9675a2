"""Settings for the SKM platform, read from environment variables (docs/deployment.md lists them).

Defaults are safe for a laptop demo: DEBUG off unless SKM_DEBUG is set, an embedded SQLite
database under var/. With SKM_PRODUCTION=1 the process refuses to start while DEBUG is on or
the secret key is the development default, and turns on secure cookies and HSTS.

Every value is checked here, as it is read (skm.lib.env): a bad one stops the process with
ImproperlyConfigured naming the variable. Importing this module creates nothing on disk: the
`skm` command makes the SQLite folder before it runs (skm.cli), collectstatic makes STATIC_ROOT.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from skm.lib.env import (
    env_address,
    env_bool,
    env_choice,
    env_hosts,
    env_int,
    env_origins,
    env_path,
    env_public_url,
    env_rate,
    env_secret,
    env_str,
    env_timezone,
    env_url,
    redact,
    refuse,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("SKM_VAR_DIR", BASE_DIR / "var")

DEV_SECRET_KEY = "skm-dev-only-not-secret"  # noqa: S105 - refused in production below

PRODUCTION = env_bool("SKM_PRODUCTION", False)
DEBUG = env_bool("SKM_DEBUG", False)
SECRET_KEY = env_secret("SKM_SECRET_KEY", DEV_SECRET_KEY)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured(
            "SKM_DEBUG tidak boleh aktif di produksi (SKM_PRODUCTION=1). / "
            "SKM_DEBUG must be off in production (SKM_PRODUCTION=1)."
        )
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SKM_SECRET_KEY wajib diisi (minimal 50 karakter acak, paling sedikit 5 berbeda) di produksi; "
            "kunci bawaan pengembangan ditolak. / In production SKM_SECRET_KEY must be set (at least 50 "
            "random characters, 5 of them different); the development key is refused."
        )

ALLOWED_HOSTS = env_hosts("SKM_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_origins("SKM_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "skm.accounts",
    "skm.organisation",
    "skm.instrument",
    "skm.collection",
    "skm.followup",
    "skm.recaps",
    "skm.results",
    "skm.workspace",
    "skm.periods",
    "skm.reports",
    "skm.public",
    "skm.api",
    "ninja",  # django-ninja's own Swagger UI files: /api/v1/docs without a CDN
    "skm.maintenance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "skm.middleware.StaticFilesMiddleware",  # whitenoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skm.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "skm.middleware.UnreadableFormMiddleware",  # before any view reads request.POST
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "skm.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skm.urls"
WSGI_APPLICATION = "skm.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "skm" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skm.workspace.nav.staff_nav",
            ],
            "libraries": {"skm_format": "skm.lib.format_tags"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded SQLite under var/ by default; PostgreSQL in production through DATABASE_URL.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'skm.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
    example="postgres://skm:SANDI@127.0.0.1:5432/skm",
)
# Connections are kept between requests (SQLite too: opening one and setting its pragmas costs
# more than storing an answer).
SKM_DB_CONN_MAX_AGE = env_int("SKM_DB_CONN_MAX_AGE", 60, minimum=0)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=SKM_DB_CONN_MAX_AGE)}
except ValueError as exc:  # a port that is not a number, …
    raise refuse(
        "DATABASE_URL", redact(DATABASE_URL), f"tidak terbaca ({exc})", f"unreadable ({exc})"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers (dashboards) run beside the writer; IMMEDIATE avoids the
        # "database is locked" upgrade deadlock of deferred transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use an in-memory database unless SKM_TEST_SQLITE names a file.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str("SKM_TEST_SQLITE", "") or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, lockouts): local memory by default, Redis when SKM_REDIS_URL is set ---
REDIS_URL = env_url(
    "SKM_REDIS_URL", "", schemes=("redis", "rediss", "unix"), example="redis://127.0.0.1:6379/0"
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering must not hold answers up (see integrity.count).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Mail: reminders before the reporting deadline (`skm remind`) ---------------------------
# Without SKM_EMAIL_HOST mail is printed to the console (development); with it, sent by SMTP.
EMAIL_HOST = env_str("SKM_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("SKM_EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("SKM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("SKM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SKM_EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("SKM_EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise refuse(
        "SKM_EMAIL_USE_SSL",
        "1",
        "pilih salah satu: SKM_EMAIL_USE_TLS (STARTTLS, port 587) atau SKM_EMAIL_USE_SSL (port 465)",
        "choose one: SKM_EMAIL_USE_TLS (STARTTLS, port 587) or SKM_EMAIL_USE_SSL (port 465)",
    )
EMAIL_TIMEOUT = env_int("SKM_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("SKM_EMAIL_FROM", "SKM <skm@localhost>")

# --- Passwords: argon2 first ----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout after repeated failures, before the real check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time: Indonesian first, English available ----------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "skm" / "locale"]
# The choice made with Django's set_language (/i18n/setlang/) is remembered for a year, not only
# until the browser closes: a kiosk or an officer's laptop keeps its language.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env_timezone("SKM_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
USE_TZ = True

# --- Static files: served by the app itself (whitenoise), never from a CDN -------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "skm" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# `skm serve` collects static files at every start: keep only the hashed copies and don't
# compress source maps (ninja's Swagger UI ships 10 MB of them) — 41 s of CPU down to 9 s.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
MEDIA_ROOT = VAR_DIR / "media"

# --- Lockout after repeated failed logins (django-axes) --------------------------------------
AXES_FAILURE_LIMIT = env_int("SKM_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("SKM_LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "skm.lib.http.client_ip"
AXES_VERBOSE = False

# --- Sessions and cookies --------------------------------------------------------------------
# A session ends after SKM_SESSION_AGE seconds without activity, or when the browser closes.
SESSION_COOKIE_AGE = env_int("SKM_SESSION_AGE", 2 * 3600, minimum=300)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Read (and so checked) in every mode, used only in production.
SKM_SSL_REDIRECT = env_bool("SKM_SSL_REDIRECT", True)
SKM_HSTS_SECONDS = env_int("SKM_HSTS_SECONDS", 31536000, minimum=0)
SKM_HSTS_PRELOAD = env_bool("SKM_HSTS_PRELOAD", True)
if PRODUCTION:
    SECURE_SSL_REDIRECT = SKM_SSL_REDIRECT
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = SKM_HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = SKM_HSTS_PRELOAD

# --- Content-Security-Policy: everything from our own origin, no inline script or style ------
CONTENT_SECURITY_POLICY = {
    # Swagger UI (django-ninja's own copy, served by us) configures itself with an inline script.
    # The answer endpoint returns JSON only, never a page: building the policy for each of its
    # thousands of replies a second would cost more than the rest of Django's middleware.
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs", "/api/v1/answers"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Keyed hash for device and IP (SPEC §8: kept only as a keyed hash).
HASH_KEY = env_secret("SKM_HASH_KEY", SECRET_KEY)

# Flood limits per device / network ("N/s|m|h|d"; "0/h" = off) and the integrity flags (SPEC §8).
SKM_RATE_DEVICE = env_rate("SKM_RATE_DEVICE", "20/h")
SKM_RATE_KIOSK = env_rate("SKM_RATE_KIOSK", "600/h")
SKM_RATE_IP = env_rate("SKM_RATE_IP", "600/h")
SKM_FLAG_DEVICE_REPEAT = env_int("SKM_FLAG_DEVICE_REPEAT", 2, minimum=1)
SKM_FLAG_BURST_COUNT = env_int("SKM_FLAG_BURST_COUNT", 3, minimum=2)
SKM_FLAG_BURST_SECONDS = env_int("SKM_FLAG_BURST_SECONDS", 600, minimum=10)
SKM_FLAG_FAST_SECONDS = env_int("SKM_FLAG_FAST_SECONDS", 20, minimum=0)
# Device and IP hashes are blanked after this many days (`skm purge-hashes`).
SKM_HASH_RETENTION_DAYS = env_int("SKM_HASH_RETENTION_DAYS", 90, minimum=1)
# RTL evidence uploads (PDF, JPG, PNG, DOCX, XLSX; /kelola/rtl/): the largest file accepted, in MB.
SKM_RTL_EVIDENCE_MAX_MB = env_int("SKM_RTL_EVIDENCE_MAX_MB", 5, minimum=1, maximum=50)

# The public address printed on QR posters ("https://skm.banjarmasinkota.go.id"); empty: the
# address the request came in on.
SKM_PUBLIC_URL = env_public_url("SKM_PUBLIC_URL")

# Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none; nginx only: 1).
SKM_TRUSTED_PROXY_COUNT = env_int("SKM_TRUSTED_PROXY_COUNT", 0, minimum=0)
CSRF_FAILURE_VIEW = "skm.views.csrf_failure"

LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("SKM_LOG_LEVEL", "WARNING", LOG_LEVELS)},
}

# --- Production server (`skm serve`: granian, WSGI) and background worker (`skm worker`) -------
# Defaults fit a 2-core box: one worker process per core, 8 threads each. The threads mostly wait
# for their answer's group commit; with 8 rather than 4 a commit carries ~3.2 answers instead of
# ~1.9 and the box stores ~25 % more answers a second (bench/serve_load.py; 16 measured the same).
SKM_HOST = env_address("SKM_HOST", "127.0.0.1")
SKM_PORT = env_int("SKM_PORT", 8000, minimum=1, maximum=65535)
SKM_WORKERS = env_int("SKM_WORKERS", max(1, os.cpu_count() or 1), minimum=1)
SKM_THREADS = env_int("SKM_THREADS", 8, minimum=1)
SKM_BACKLOG = env_int("SKM_BACKLOG", 1024, minimum=128)
# PostgreSQL: answers arriving together are stored in one statement and commit by one writer
# thread per process (skm.collection.group_commit). Off: one statement per answer.
SKM_GROUP_COMMIT = env_bool("SKM_GROUP_COMMIT", True)
