import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import email_settings

ROOT = Path(__file__).resolve().parent.parent


def clean_environment() -> dict:
    return {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_MODE",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }


def run_check(**env) -> subprocess.CompletedProcess:
    """manage.py check --deploy, in production mode unless ``env`` says otherwise."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_environment(), "DJANGO_MODE": "production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_needs_a_secret_key():
    result = run_check()
    assert result.returncode == 1
    assert "SECRET_KEY must be set" in result.stderr


def test_the_web_entry_point_defaults_to_production():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "SECRET_KEY must be set" in result.stderr


def test_manage_py_in_a_checkout_defaults_to_development():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.MODE)",
        ],
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "development"


def test_production_mode_needs_allowed_hosts():
    result = run_check(SECRET_KEY="x" * 60)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        SECRET_KEY="k3y-" + "abcdefghij" * 6,
        ALLOWED_HOSTS="events.example.org",
        EMAIL_URL="smtp://mail.example.org:587?tls=1",
    )
    assert result.stderr == ""
    assert result.returncode == 0


def test_production_mode_needs_to_know_where_mail_goes():
    result = run_check(SECRET_KEY="x" * 60, ALLOWED_HOSTS="events.example.org")
    assert result.returncode == 1
    assert "EMAIL_URL must be set" in result.stderr


def test_bad_yes_no_value_is_refused():
    result = run_check(DJANGO_MODE="development", DEBUG="maybe")
    assert result.returncode == 1
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


def test_email_url_for_smtp():
    assert email_settings("smtp://mailer:s%40cret@mail.example.org:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_email_url_for_files():
    assert email_settings("file:///var/mail/outbox") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/outbox",
    }


def test_unknown_email_url_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings("pigeon://coop")
