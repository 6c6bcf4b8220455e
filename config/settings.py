"""Settings, all read from the environment.

DJANGO_MODE picks the defaults: ``production`` (the default for the web
entry point, so a forgotten variable never turns debugging on in public),
``development`` (the default of manage.py in a checkout, and what ./run.sh
sets) or ``test`` (what ./test.sh sets). Every other name is listed with its
meaning in .env.example.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    email_settings,
    env_bool,
    env_float,
    env_float_list,
    env_int,
    env_list,
    env_required,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

MODE = env_str("DJANGO_MODE", "production")
if MODE not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"DJANGO_MODE={MODE!r}: use production, development or test.")
PRODUCTION = MODE == "production"
TESTING = MODE == "test"

DEBUG = env_bool("DEBUG", MODE == "development")

if PRODUCTION:
    SECRET_KEY = env_required(
        "SECRET_KEY",
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set in production, e.g. ALLOWED_HOSTS=events.example.org"
        )
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_q",
    "events",
    "registrations",
    "interpretation",
    "privacy",
    "attendance",
    "zoomsync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Registration POSTs leave here through the language and security-header
    # middleware below only (config/lean.py).
    "config.lean.LeanPosts",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.security.SecurityHeaders",
    "config.security.RefuseChunkedBodies",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another server.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        # A check is one more round trip per request; without it a connection
        # broken by a database restart fails one request per thread, then
        # Django opens a new one.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (web and worker) wait for the lock instead of failing:
    # a transaction takes the write lock when it begins (a read lock upgraded
    # later fails at once with "database is locked"), and readers do not block
    # the writer (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: the ORM broker by default, Redis when configured.
# timeout < retry, so a slow task is never handed to a second worker while
# the first still runs; attempts are bounded so a broken task stops.
Q_CLUSTER = {
    "name": "coordination",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 90,
    "max_attempts": 5,
    "ack_failures": True,
    "catch_up": False,
    # Successful tasks are not kept: their arguments are nobody's business.
    "save_limit": -1,
    "label": "Background tasks",
    "sync": TESTING,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Organizer passwords: Argon2 (older hashes are upgraded at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
# Each language named in itself, as the language menu shows it.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pa", "ਪੰਜਾਬੀ"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "America/Toronto"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: console in development, kept in memory in tests, EMAIL_URL in production.
# Production must say where mail goes: messages carry secret links, and the
# console would put them in the logs.
if PRODUCTION:
    _email_url = env_required(
        "EMAIL_URL", "For example smtp://user:password@mail.example.org:587?tls=1"
    )
else:
    _email_url = env_str("EMAIL_URL", {"development": "console:", "test": "locmem:"}[MODE])
globals().update(email_settings(_email_url))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "events@example.org")
# The public address of the site, for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Registrations: limits per client within RATE_LIMIT_WINDOW seconds (clients are
# told apart by a salted hash of their address, kept only in the cache).
RATE_LIMIT_WINDOW = env_int("RATE_LIMIT_WINDOW", 600)
# Everyone behind one address (a community centre's Wi-Fi, a phone carrier's
# shared address) shares one count: 60 in 10 minutes lets a help desk register
# a queue of people while a script still cannot fill an event.
REGISTRATION_RATE_LIMIT = env_int("REGISTRATION_RATE_LIMIT", 60)
MANAGE_LINK_MISS_LIMIT = env_int("MANAGE_LINK_MISS_LIMIT", 20)
# Organizer logins: attempts per client, and per account, within the window.
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 10)
# For tests only: take seats with a plain count-then-insert, to show that the
# capacity guard is what prevents overbooking. Ignored outside the test mode.
REGISTRATION_UNGUARDED = TESTING and env_bool("REGISTRATION_UNGUARDED", False)

# Zoom (Server-to-Server OAuth). Without ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and
# ZOOM_CLIENT_SECRET the service runs in manual mode: organizers type the link.
ZOOM_ACCOUNT_ID = env_str("ZOOM_ACCOUNT_ID")
ZOOM_CLIENT_ID = env_str("ZOOM_CLIENT_ID")
ZOOM_CLIENT_SECRET = env_str("ZOOM_CLIENT_SECRET")
ZOOM_USER_ID = env_str("ZOOM_USER_ID", "me")
ZOOM_API_URL = env_str("ZOOM_API_URL", "https://api.zoom.us/v2")
ZOOM_OAUTH_URL = env_str("ZOOM_OAUTH_URL", "https://zoom.us/oauth/token")
ZOOM_WEBHOOK_SECRET = env_str("ZOOM_WEBHOOK_SECRET")
# Seconds to wait for Zoom's answer to one request.
ZOOM_TIMEOUT = env_float("ZOOM_TIMEOUT", 10.0)
# Requests a second the service allows itself (Zoom's Light limit: 30 on Pro,
# 80 on Business); 0 turns the pacing off.
ZOOM_REQUESTS_PER_SECOND = env_float("ZOOM_REQUESTS_PER_SECOND", 30.0)
# A Retry-After up to this many seconds is waited out inside the task; a
# longer one puts the job back in the queue until then.
ZOOM_MAX_INLINE_WAIT = env_float("ZOOM_MAX_INLINE_WAIT", 5.0)
# Seconds before each new attempt of a failed Zoom job; its length bounds the attempts.
ZOOM_RETRY_BACKOFF = env_float_list("ZOOM_RETRY_BACKOFF", [10, 30, 120, 600, 1800])
# Standard online events use Zoom registration (a personal link per person).
ZOOM_REGISTRATION = env_bool("ZOOM_REGISTRATION", True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "config.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # "format" is one of the event filters, not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Event and assembly coordination API",
    "DESCRIPTION": "Public events and campaigns; organizer resources behind authentication.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.models.Event.Status",
        "RegistrationStatusEnum": "registrations.models.Registration.Status",
        "ContentLanguageEnum": "events.models.CONTENT_LANGUAGES",
    },
}

LOGIN_URL = "/admin/login/"
# Where a login without a "next" page lands: the dashboard (organizers, marshals,
# coordinators); the admin login goes to the admin.
LOGIN_REDIRECT_URL = "/dashboard/"

# Production hardening. SECURE_SSL_REDIRECT can be turned off when a proxy
# already redirects; SECURE_PROXY_SSL_HEADER is trusted only when asked for.
if PRODUCTION:
    # __Host- cookies are sent only over HTTPS, to this host, for the whole site.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logs go to the console; secret tokens in paths are masked (config.logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_secrets": {"()": "config.logging.MaskSecretPaths"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
