"""The personal calendar feed: its own secret, the event as this person sees it."""

import re

import icalendar
import pytest
import vobject

from events import services as event_services
from events.models import Event
from registrations import services
from tests import factories


def feed_path(client, token: str) -> str:
    page = client.post(f"/r/{token}/", {"action": "feed"}).content.decode()
    link = re.search(r'id="manage-link"[^>]*value="http://testserver(/feeds/[^"]+)"', page)
    assert 'href="webcal://testserver/feeds/' in page
    return link.group(1)


def only_event(response) -> icalendar.Event:
    assert response.status_code == 200
    body = response.content.decode()
    vobject.readOne(body)
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return event


@pytest.fixture
def online(organization):
    return factories.make_event(organization, title="Online assembly", format=Event.Format.ONLINE)


def test_feed_shows_the_event_with_private_headers(client, online):
    token = services.register_attendee(event=online).token
    response = client.get(feed_path(client, token))
    event = only_event(response)
    assert (str(event["summary"]), str(event["status"])) == ("Online assembly", "CONFIRMED")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_feed_link_is_not_the_manage_link(client, online):
    token = services.register_attendee(event=online).token
    path = feed_path(client, token)
    assert token not in path


def test_cancelled_registration_shows_as_cancelled(client, online):
    result = services.register_attendee(event=online)
    path = feed_path(client, result.token)
    services.cancel_registration(registration=result.registration)
    event = only_event(client.get(path))
    assert (str(event["summary"]), str(event["status"])) == (
        "Cancelled: Online assembly",
        "CANCELLED",
    )


def test_renewed_feed_link_replaces_the_old_one(client, online):
    token = services.register_attendee(event=online).token
    old = feed_path(client, token)
    new = feed_path(client, token)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/feeds/not-a-real-token.ics").status_code == 404


def test_join_link_only_where_the_organizer_allows_it(client, online):
    event_services.set_meeting_link(event=online, join_url="https://meet.example.org/j/7")
    token = services.register_attendee(event=online).token
    path = feed_path(client, token)
    assert "meet.example.org" not in str(only_event(client.get(path))["description"])
    meeting = online.meeting
    meeting.share_in_calendars = True
    meeting.save()
    assert str(only_event(client.get(path))["description"]).startswith(
        "Join: https://meet.example.org/j/7\n"
    )


def test_anonymous_event_never_puts_the_join_link_in_a_calendar(client, organization):
    assembly = factories.make_event(
        organization, format=Event.Format.ONLINE, privacy=Event.Privacy.ANONYMOUS
    )
    meeting = event_services.set_meeting_link(
        event=assembly, join_url="https://meet.example.org/j/8"
    )
    meeting.share_in_calendars = True
    meeting.save()
    token = services.register_attendee(event=assembly).token
    body = client.get(feed_path(client, token)).content.decode()
    assert "meet.example.org" not in body
