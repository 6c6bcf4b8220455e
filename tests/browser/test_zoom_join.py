"""With Zoom (the test server) connected: an organizer publishes an online session,
a supporter registers from a phone and finds their personal join link."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from events import services as event_services
from events.models import Event
from tests import factories
from tests.zoom_server import ZoomServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def zoom_server(settings):
    cache.clear()
    with ZoomServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.ZOOM_REQUESTS_PER_SECOND = 0
        yield server
        assert server.ledger.violations == []
    cache.clear()


def test_publish_register_and_find_the_personal_link(live_server, phone, shot, zoom_server):
    organization = factories.make_organization("Migrant Rights Toronto")
    factories.ensure_languages()
    starts = timezone.now() + dt.timedelta(minutes=15)
    event = factories.make_event(
        organization,
        title="Legal information session",
        kind=Event.Kind.INFORMATION_SESSION,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        visibility=Event.Visibility.DRAFT,
    )
    assert zoom_server.ledger.meetings == {}
    event.visibility = Event.Visibility.LISTED
    event_services.save_event(event=event)  # what the admin's Save does
    [meeting] = zoom_server.ledger.meetings.values()

    phone.goto(f"{live_server.url}/events/{event.slug}/")
    phone.get_by_role("link", name="Register", exact=True).click()
    phone.locator("input[name=email]").fill("ana@example.org")
    phone.get_by_role("button", name="Register").click()
    assert phone.get_by_role("heading", name="Check your email").is_visible()
    shot(phone, "zoom-1-check-email")

    [message] = [m for m in mail.outbox if "ana@example.org" in m.to]
    path = re.search(r"https?://[^/\s]+(/r/[^\s]+/)", message.body).group(1)
    phone.goto(live_server.url + path)
    [registrant] = zoom_server.live_registrants(meeting["id"])
    assert registrant["email"] == "ana@example.org"
    join = phone.get_by_role("link", name="Join the meeting")
    assert join.get_attribute("href") == registrant["join_url"]
    assert meeting["join_url"] not in phone.content()
    shot(phone, "zoom-2-personal-link")
