"""Settings for benchmarks: production settings plus a "hello" floor view."""

import os

os.environ.setdefault("DJANGO_MODE", "production")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("EMAIL_URL", "locmem:")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False  # plain HTTP on loopback
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
