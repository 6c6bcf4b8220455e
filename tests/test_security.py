"""Headers on every public answer, organizer login limits, production settings,
and an access log without addresses or secrets."""

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache

from registrations import services
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_urls(organization):
    event = factories.make_event(organization, title="Vigil")
    campaign = factories.make_campaign(organization)
    result = services.register_attendee(event=event, party_size=1)
    feed_token = services.renew_feed_token(registration=result.registration)
    return {
        "/": False,
        f"/events/{event.slug}/": False,
        f"/events/{event.slug}/register/": False,
        f"/campaigns/{campaign.slug}/": False,
        "/calendar.ics": False,
        f"/events/{event.slug}.ics": False,
        "/api/events/": False,
        "/api/schema/": False,
        "/admin/login/": False,
        "/privacy/": False,
        "/dashboard/login/": False,
        "/dashboard/": False,
        "/interpreters/not-a-real-token-0123456789abcdef0123/": True,
        "/no-such-page/": False,
        f"/r/{result.token}/": True,
        "/r/not-a-real-token-at-all-0123456789abcdef/": True,
        f"/feeds/{feed_token}.ics": True,
    }


def test_every_public_answer_carries_the_security_headers(client, public_urls):
    for url, secret in public_urls.items():
        response = client.get(url)
        assert response.status_code < 500, url
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert directives["frame-ancestors"] == "'none'", url
        assert directives["object-src"] == "'none'", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        expected = "no-referrer" if secret else "same-origin"
        assert response["Referrer-Policy"] == expected, url
        if secret:
            assert "no-store" in response["Cache-Control"], url


def test_public_pages_run_no_inline_script(client, public_urls):
    """The policy would block them: every script comes from a static file."""
    for url in public_urls:
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
            assert not re.search(r"\son[a-z]+=", html), url


@pytest.mark.django_db
def test_logins_are_limited_per_client(client, settings):
    settings.LOGIN_RATE_LIMIT = 3
    factories.make_user(username="ana")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "ana", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/admin/login/", {"username": "ana", "password": "a long test password"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/dashboard/login/"])
def test_logins_that_succeed_are_not_counted(client, settings, path):
    settings.LOGIN_RATE_LIMIT = 3
    factories.make_user(username="ana")
    for _ in range(6):
        response = client.post(path, {"username": "ana", "password": "a long test password"})
        assert response.status_code == 302
        client.logout()
    for _ in range(3):
        assert client.post(path, {"username": "ana", "password": "wrong"}).status_code == 200
    assert client.post(path, {"username": "ana", "password": "wrong"}).status_code == 429


@pytest.mark.django_db
def test_logins_are_limited_per_account_whatever_the_address(client, settings):
    settings.LOGIN_RATE_LIMIT = 3
    factories.make_user(username="ana")
    for number in range(3):
        client.post(
            "/admin/login/",
            {"username": "Ana", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
    response = client.post(
        "/admin/login/",
        {"username": "ana", "password": "a long test password"},
        REMOTE_ADDR="198.51.100.200",
    )
    assert response.status_code == 429
    # Another account from a fresh address is not held up.
    factories.make_user(username="li")
    response = client.post(
        "/admin/login/",
        {"username": "li", "password": "a long test password"},
        REMOTE_ADDR="198.51.100.201",
    )
    assert response.status_code == 302
    # No address is kept: the counters' keys hold only salted hashes.
    keys = list(cache._cache.keys()) if hasattr(cache._cache, "keys") else []
    assert not any("198.51.100" in str(key) or "ana" in str(key) for key in keys)


def test_production_settings_harden_cookies_and_hash_passwords_with_argon2():
    environment = {
        **os.environ,
        "DJANGO_MODE": "production",
        "SECRET_KEY": "test-only-" + "k" * 50,
        "ALLOWED_HOSTS": "events.example.org",
        "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.contrib.auth.hashers import make_password; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, make_password('x').split('$')[0])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    assert output.stdout.split() == [
        "__Host-session",
        "__Host-csrftoken",
        "True",
        "31536000",
        "True",
        "argon2",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_access_log_keeps_no_address_and_no_secret(organization):
    from tests.live_server import gunicorn

    event = factories.make_event(organization)
    token = services.register_attendee(event=event, party_size=1).token
    with tempfile.TemporaryFile("w+") as output:
        with gunicorn(workers=1, threads=2, project_config=True, output=output) as url:
            for path in (f"/r/{token}/", "/feeds/abcdefghijklmnopqrstuvwxyz012345.ics", "/"):
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(url + path, timeout=10).read()
        output.seek(0)
        log = output.read()
    lines = [line for line in log.splitlines() if '"GET ' in line]
    assert len(lines) >= 3, log
    assert '"GET /r/[secret]/ HTTP/1.1" 200' in log
    assert "/feeds/[secret]" in log
    assert token not in log
    assert "abcdefghijklmnopqrstuvwxyz012345" not in log
    assert "127.0.0.1" not in "\n".join(lines)


@pytest.mark.django_db
def test_the_browsers_icon_request_gets_an_empty_answer(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response.content) == (204, b"")
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_body_sent_in_chunks_is_refused_everywhere(client, organization):
    # Django would read it as empty: an API change or a form would seem to
    # succeed with none of its data.
    event = factories.make_event(organization)
    api = client.patch(
        f"/api/events/{event.pk}/",
        '{"title": "New title"}',
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert api.status_code == 400
    assert "Content-Length" in api.json()["non_field_errors"][0]
    page = client.post(
        f"/events/{event.slug}/register/", {"party_size": "2"}, HTTP_TRANSFER_ENCODING="chunked"
    )
    assert page.status_code == 400
    assert "Content-Length" in page.content.decode()
    event.refresh_from_db()
    assert event.title != "New title" and not event.registrations.exists()
