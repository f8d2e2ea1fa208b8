"""Django settings, read from the environment (FLIPMASTERY_*); see README "Running it for a school"."""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from flipmastery import config
from flipmastery.server import stores

DATA_DIR = config.data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)
BASE_DIR = config.Path(__file__).resolve().parent

DEBUG = config.truthy(os.environ.get("FLIPMASTERY_DEBUG"))
SECRET_KEY = config.secret_key(DATA_DIR)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FLIPMASTERY_ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("FLIPMASTERY_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "flipmastery.apps.AdminConfig",  # django.contrib.admin, for superusers only (flipmastery/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "flipmastery.accounts",
    "flipmastery.courses",
    "flipmastery.classroom",
    "flipmastery.progress",
    "flipmastery.questions",
    "flipmastery.assessments",
    "flipmastery.cockpit",
    "flipmastery.notes",
    "flipmastery.exitslips",
    "flipmastery.sharing",  # short public links to an objective or a playlist
    "flipmastery.lti",  # LTI 1.3 Advantage: launched from Moodle, Canvas and other LMSs
    "flipmastery.oneroster",  # OneRoster 1.2 CSV: rosters in, results out
    "flipmastery.web",
    "flipmastery.demo",
    "flipmastery.server",
]

MIDDLEWARE = [
    "flipmastery.server.middleware.NodeName",  # FLIPMASTERY_NODE_NAME on every answer, errors too
    "flipmastery.server.middleware.ProxiedAddress",  # FLIPMASTERY_PROXY_REAL_IP: the address nginx saw
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "flipmastery.web.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "flipmastery.web.archived.ArchivedSectionsReadOnly",  # after auth: it refuses only the section's people
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "flipmastery.web.middleware.ContentSecurityPolicyMiddleware",
    # after the CSP: a session launched from an LMS may be framed by it
    "flipmastery.lti.middleware.LmsFraming",
]

ROOT_URLCONF = "flipmastery.urls"
WSGI_APPLICATION = "flipmastery.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = os.environ.get("FLIPMASTERY_DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a kept connection's health seen on its socket before a SELECT 1 is sent, and times
        # read by psycopg's compiled loader (flipmastery/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "flipmastery.postgresql"
    if os.environ.get("FLIPMASTERY_DATABASE_PREPARED", "1") != "0":
        # The values go to PostgreSQL apart from the SQL, and a statement run twice on a connection is
        # prepared there: PostgreSQL then plans it once, not at every run (planning cost it more than running
        # the hot path's small indexed reads: 0.2-0.9 ms each). 0 turns it off, for a pooler in transaction
        # mode that cannot keep prepared statements (PgBouncer before 1.21).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
else:
    # One laptop serving a class of 60: WAL lets readers and a writer work together, IMMEDIATE takes the
    # write lock at BEGIN (no deadlocking lock upgrades), the writers of this process take turns in
    # arrival order (flipmastery/sqlite; SQLite itself polls and can starve one) and the timeout covers
    # writers of other processes.
    # Each server thread keeps its connection: opening one (and its PRAGMAs and SQL functions) cost ~1 ms
    # of CPU per request, a quarter of a start → autosave → submit (benchmarks/class_load.py).
    DATABASES = {
        "default": {
            "ENGINE": "flipmastery.sqlite",  # Django's, with writers served in arrival order
            "NAME": str(DATA_DIR / "flipmastery.sqlite3"),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=30000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("FLIPMASTERY_TEST_SQLITE") or None},
        }
    }

# What several server processes (`serve --workers N`) or nodes must count together lives in this cache: the
# wrong join, guardian and card codes per address (accounts/address_limits.py, accounts/cards.py). Redis
# (FLIPMASTERY_REDIS_URL), else a table of the database when it is PostgreSQL (every node reaches it), else
# files in the data dir (the processes of one machine); FLIPMASTERY_CACHE=redis|database|file chooses.
try:
    CACHES = stores.caches(os.environ, DATA_DIR, on_postgresql="postgres" in DATABASES["default"]["ENGINE"])
except stores.StoreError as problem:
    raise ImproperlyConfigured(str(problem)) from None
if CACHES["default"]["BACKEND"].endswith("SharedDatabaseCache"):
    # Its own connection to the same database, so that it takes no part in a request's transaction.
    DATABASES["cache"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["flipmastery.server.shared_cache.CacheRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at OWASP's minimum (accounts/hashers.py): a class of 60 signs in at once on a 2-core laptop. The
# hashers after it only verify older hashes, which Django rehashes with the first one at the next sign-in.
PASSWORD_HASHERS = [
    "flipmastery.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Django's username-and-password check behind the sign-in throttle (accounts/throttle.py): every password
# check of the product goes through it.
AUTHENTICATION_BACKENDS = ["flipmastery.accounts.backends.ThrottledModelBackend"]


def _days(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        days = int(raw) if raw else default
    except ValueError:
        days = 0
    if days < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of days, 1 or more (it is {raw!r}).")
    return days


# An API token that has not been used for this many days stops working (each use starts the count again).
TOKEN_IDLE_DAYS = _days("FLIPMASTERY_TOKEN_IDLE_DAYS", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # locale/hi/LC_MESSAGES/django.po: how to update it is at its top
# The footer's language switch sets this cookie; it outlives the browser session so the choice stays.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
USE_I18N = True
TIME_ZONE = os.environ.get("FLIPMASTERY_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the app folders (finders) until collectstatic
MEDIA_URL = "/media/"
# Uploads: a folder every node mounts (FLIPMASTERY_MEDIA_DIR; the data dir's by default), or an
# S3-compatible bucket (FLIPMASTERY_S3_BUCKET, …: server/stores.py). Pages read them through the storage.
MEDIA_ROOT = stores.media_dir(os.environ, DATA_DIR)
try:
    _uploads = stores.media_storage(os.environ)
except stores.StoreError as problem:
    raise ImproperlyConfigured(str(problem)) from None
STORAGES = {
    "default": _uploads,
    # Hashed names and gzip copies: whitenoise serves a hashed file as immutable for a year, the rest 60 s.
    "staticfiles": {"BACKEND": "flipmastery.server.static.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# A student stays signed in on their own device from lesson to lesson: 30 days from signing in. On a shared
# device they tick "This is a shared device" and the session ends when the browser closes
# (web/views_sign_in.py).
SESSION_ENGINE = "flipmastery.accounts.sessions"  # Django's database sessions, their read prepared
SESSION_COOKIE_AGE = 30 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# FLIPMASTERY_HTTPS=1 when the school reaches the server only through an HTTPS proxy (nginx, Caddy) that sets
# X-Forwarded-Proto: cookies then travel over HTTPS only, Django believes the proxy's word that a request
# came over HTTPS (so the proxy must overwrite any X-Forwarded-Proto a client sends), and browsers are told
# to use HTTPS only for a year. Off by default: a teacher's laptop serves the class over plain HTTP.
HTTPS = config.truthy(os.environ.get("FLIPMASTERY_HTTPS"))
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    # Subdomains may serve other things over plain HTTP: only their owner can say they are HTTPS too.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = config.truthy(os.environ.get("FLIPMASTERY_HSTS_INCLUDE_SUBDOMAINS"))
    # Inside an LMS's iframe (LTI) the page is on another site than the LMS: a browser sends our cookies
    # there only when they are SameSite=None (and Secure, so over HTTPS only). The CSRF token still guards
    # every form. README "LTI 1.3".
    if config.truthy(os.environ.get("FLIPMASTERY_LTI_IN_FRAME")):
        SESSION_COOKIE_SAMESITE = "None"
        CSRF_COOKIE_SAMESITE = "None"

# Behind a load balancer (deploy/): this node's name on every answer (X-Flipmastery-Node), the client's
# address from the proxy's X-Real-IP, and the host the client asked for from X-Forwarded-Host when a second
# proxy sits in front of nginx. Each only when asked: otherwise a client could forge them.
NODE_NAME = os.environ.get("FLIPMASTERY_NODE_NAME", "").strip()
PROXY_REAL_IP = config.truthy(os.environ.get("FLIPMASTERY_PROXY_REAL_IP"))
USE_X_FORWARDED_HOST = config.truthy(os.environ.get("FLIPMASTERY_USE_X_FORWARDED_HOST"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
