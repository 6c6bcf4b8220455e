"""The canary: distinctive strings in every personal field and token, pushed
through everything people and organizers do, must be found nowhere once
retention has run: not in the database, not in any log line written, not in
the outbox, not in the cache. Nor may a client's IP address be found anywhere.
"""

import datetime as dt
import io
import logging
import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client

from events.models import Language
from privacy import services as privacy_services
from registrations import services
from registrations.models import Registration
from tests import factories

CANARY = "Zq9canary"
ADDRESS = "203.0.113.77"  # the client's address (TEST-NET-3)
IP_PATTERN = re.compile(r"\b203\.0\.113\.77\b")


def canary(field: str) -> str:
    return f"{CANARY}{field}"


def everything_in_the_database() -> str:
    """Every row of every table, as text (the test's own transaction included)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def everything_in_the_cache() -> str:
    store = getattr(cache, "_cache", {})
    return "\n".join(f"{key!r} {value!r}" for key, value in dict(store).items())


@pytest.fixture
def written_logs():
    """What the configured log handler writes, as it writes it (filters applied)."""
    handlers = {
        handler
        for logger in [logging.getLogger(), logging.getLogger("django")]
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler) and handler.filters
    }
    assert handlers, "the console handler with its filters is configured"
    written = io.StringIO()
    previous = {handler: handler.setStream(written) for handler in handlers}
    yield written
    for handler, stream in previous.items():
        handler.setStream(stream)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_nothing_personal_survives_retention_anywhere(
    organization, organizer, written_logs, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_RATE_LIMIT = 1000
    factories.ensure_languages()
    spanish = Language.objects.get(code="es")
    assembly = factories.make_assembly(organization, interpretation=("es",), capacity=2)
    rally = factories.make_event(organization, capacity=1, require_name=True)
    visitor = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=canary("agent"))

    # Work queued after commit (e-mails, tasks) runs as it would in production.
    with django_capture_on_commit_callbacks(execute=True):
        # People register through the page, the API and the service, on both kinds
        # of event, some onto the waiting line.
        for number, event in enumerate([assembly, assembly, assembly, rally, rally]):
            response = visitor.post(
                f"/events/{event.slug}/register/",
                {
                    "name": canary(f"name{number}"),
                    "email": f"{canary('mail')}{number}@example.org",
                    "party_size": 1,
                    "interpretation_language": "es" if event == assembly else "",
                    "message_language": "fr",
                    "accessibility_needs": canary(f"needs{number}"),
                    "consent_to_updates": "on",
                },
            )
            assert response.status_code == 200, response.content[:300]
        api = visitor.post(
            f"/api/events/{assembly.pk}/registrations/",
            {"party_size": 2, "accessibility_needs": canary("apineeds")},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=canary("idempotency-key-1"),
        )
        assert api.status_code == 201
        manage_token = api.json()["manage_url"].rstrip("/").rsplit("/", 1)[1]
        direct = services.register_attendee(
            event=assembly,
            party_size=1,
            interpretation_language=spanish,
            accessibility_needs=canary("serviceneeds"),
        )

        # The manage page: seen, changed, feed link made and read, link renewed.
        page = f"/r/{manage_token}/"
        assert visitor.get(page).status_code == 200
        visitor.post(page, {"action": "change", "party_size": 1, "message_language": "es"})
        feed = visitor.post(page, {"action": "feed"})
        feed_url = re.search(r"/feeds/[^\"'<\s]+\.ics", feed.content.decode()).group(0)
        assert visitor.get(feed_url).status_code == 200
        visitor.post(page, {"action": "renew"})
        visitor.get(f"/r/{direct.token}/")

        # Mistakes and guesses: each is refused, none may leave a trace.
        visitor.get(f"/r/{canary('guessedtoken')}/")
        visitor.get(f"/feeds/{canary('guessedfeed')}.ics")
        visitor.post(
            f"/api/events/{assembly.pk}/registrations/",
            {"party_size": 1000, "email": canary("bademail"), "name": canary("x" * 200)},
            content_type="application/json",
        )
        visitor.post(
            f"/events/{rally.slug}/register/", {"name": canary("\x00nul"), "party_size": 0}
        )

        # An organizer looks at the rally's registrations and cancels one.
        organizer_client = Client(REMOTE_ADDR=ADDRESS)
        organizer_client.force_login(organizer)
        assert organizer_client.get(f"/api/events/{rally.pk}/registrations/").status_code == 200
        services.cancel_registration(registration=Registration.objects.filter(event=rally).first())

    # The messages were sent (the canaries' own inboxes got them) ...
    assert any(CANARY in message.to[0] for message in mail.outbox)

    # ... then, after the events, retention runs.
    later = max(assembly.last_ends_at, rally.last_ends_at) + dt.timedelta(days=31)
    report = privacy_services.purge_expired(later)
    assert report["registrations"] == 7

    stores = {
        "database": everything_in_the_database(),
        "logs": written_logs.getvalue(),
        "cache": everything_in_the_cache(),
    }
    assert stores["database"]  # the dump is real: it has the events, for a start
    assert assembly.title in stores["database"]
    assert "personal data deleted: 2 events" in stores["logs"]  # the logs are read
    for name, text in stores.items():
        assert CANARY not in text, f"a canary string is left in the {name}"
        assert not IP_PATTERN.search(text), f"the client's address is in the {name}"
        for token in (manage_token, direct.token):
            assert token not in text, f"a secret link is in the {name}"


@pytest.mark.django_db
def test_the_canary_search_finds_what_is_there(organization):
    """The search itself works: before retention the canaries are found."""
    event = factories.make_event(organization)
    services.register_attendee(event=event, party_size=1, name=canary("name"))
    assert CANARY in everything_in_the_database()
    assert apps.get_model("registrations", "Registration").objects.exists()
