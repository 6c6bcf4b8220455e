"""Calendar files and the public feed, parsed back and checked field by field."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from events import services
from events.models import Event
from tests import factories

TORONTO = ZoneInfo("America/Toronto")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    vobject.readOne(body)  # a second, independent parser accepts it too
    return icalendar.Calendar.from_ical(body)


def only_event(calendar) -> icalendar.Event:
    [component] = calendar.walk("VEVENT")
    return component


@pytest.fixture
def rally(organization):
    venue = factories.make_venue(
        organization,
        name="Christie Pits Park",
        street_address="750 Bloor Street West",
        directions="Closest to entrance 93",
        latitude="43.664700",
        longitude="-79.420400",
    )
    return factories.make_event(
        organization,
        venue=venue,
        title="Noon rally",
        starts_at=factories.local("America/Toronto", 3, 12),
        ends_at=factories.local("America/Toronto", 3, 14),
    )


def test_event_file_has_every_field(client, rally):
    response = client.get(f"/events/{rally.slug}.ics")
    calendar = parse(response)
    event = only_event(calendar)
    assert response["Content-Disposition"] == f'attachment; filename="{rally.slug}.ics"'
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "Noon rally"
    assert str(event["uid"]) == f"event-{rally.pk}@127.0.0.1"
    assert event.decoded("dtstart") == factories.local("America/Toronto", 3, 12)
    assert event["dtstart"].params["TZID"] == "America/Toronto"
    assert event.decoded("dtend") == factories.local("America/Toronto", 3, 14)
    assert (str(event["summary"]), str(event["status"]), event["sequence"]) == (
        "Noon rally",
        "CONFIRMED",
        0,
    )
    assert str(event["location"]) == (
        "Christie Pits Park, 750 Bloor Street West, Toronto ON. Closest to entrance 93"
    )
    assert (event["geo"].latitude, event["geo"].longitude) == (43.6647, -79.4204)
    assert str(event["url"]) == f"http://testserver/events/{rally.slug}/"
    assert "ORGANIZER" not in event and "ATTENDEE" not in event
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/Toronto"]


def test_cancelled_event_says_so_in_status_and_title(client, rally):
    rally.status, rally.status_reason = Event.Status.CANCELLED, "Storm warning."
    services.save_event(event=rally)
    event = only_event(parse(client.get(f"/events/{rally.slug}.ics")))
    assert (str(event["summary"]), str(event["status"]), event["sequence"]) == (
        "Cancelled: Noon rally",
        "CANCELLED",
        1,
    )
    assert str(event["description"]).startswith("Storm warning.\n")


def test_postponed_event_is_tentative(client, rally):
    rally.status, rally.status_reason = Event.Status.POSTPONED, "New date soon."
    services.save_event(event=rally)
    event = only_event(parse(client.get(f"/events/{rally.slug}.ics")))
    assert (str(event["summary"]), str(event["status"])) == ("Postponed: Noon rally", "TENTATIVE")


def test_changed_time_raises_the_sequence(client, rally):
    rally.starts_at += dt.timedelta(hours=1)
    rally.ends_at += dt.timedelta(hours=1)
    services.save_event(event=rally)
    event = only_event(parse(client.get(f"/events/{rally.slug}.ics")))
    assert (event["sequence"], event.decoded("dtstart").hour) == (1, 13)


def test_nightly_gathering_expands_to_the_events_own_occurrences(client, organization):
    # Starts before the autumn clock change of 2026-11-01 and runs past it.
    start = dt.datetime(2026, 10, 29, 19, tzinfo=TORONTO)
    gathering = factories.make_event(
        organization,
        title="Nightly gathering",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1, minutes=30),
        recurrence="FREQ=DAILY;COUNT=6",
        recurrence_exceptions="2026-10-31",
        visibility=Event.Visibility.UNLISTED,
    )
    calendar = parse(client.get(f"/events/{gathering.slug}.ics"))
    event = only_event(calendar)
    assert event["rrule"].to_ical() == b"FREQ=DAILY;COUNT=6"
    expanded = recurring_ical_events.of(calendar).between(
        dt.datetime(2026, 10, 1), dt.datetime(2026, 12, 1)
    )
    found = [(e.decoded("dtstart"), e.decoded("dtend")) for e in expanded]
    assert found == gathering.occurrences()
    assert {start.astimezone(TORONTO).hour for start, _ in found} == {19}
    assert len(found) == 5  # six nights, one skipped


def test_text_is_escaped_and_folded(client, organization):
    title = "Vigil; rally, art \\ fiesta 🙂 وقفة احتجاجية"
    description = "Line one,\nline two; with a backslash \\ and " + "long text " * 20
    event = factories.make_event(organization, title=title, description=description)
    response = client.get(f"/events/{event.slug}.ics")
    lines = response.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    parsed = only_event(parse(response))
    assert str(parsed["summary"]) == title
    assert str(parsed["description"]).startswith(description + "\n")


def test_online_event_never_carries_the_join_link(client, organization):
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    services.set_meeting_link(event=event, join_url="https://meet.example.org/j/1", passcode="x1")
    body = client.get(f"/events/{event.slug}.ics").content.decode()
    assert "meet.example.org" not in body
    assert "x1" not in body.split("PRODID")[1].replace("\r\n ", "")


def test_feed_follows_the_list_filters(client, organization, rally):
    factories.make_event(
        organization,
        title="Vancouver march",
        timezone="America/Vancouver",
        starts_at=factories.local("America/Vancouver", 4, 12),
        venue=factories.make_venue(organization, city="Vancouver", province="BC"),
    )
    factories.make_event(organization, title="Draft", visibility=Event.Visibility.DRAFT)
    everything = parse(client.get("/calendar.ics"))
    assert sorted(str(e["summary"]) for e in everything.walk("VEVENT")) == [
        "Noon rally",
        "Vancouver march",
    ]
    assert sorted(tz["tzid"] for tz in everything.walk("VTIMEZONE")) == [
        "America/Toronto",
        "America/Vancouver",
    ]
    vancouver = parse(client.get("/calendar.ics?city=vancouver"))
    assert [str(e["summary"]) for e in vancouver.walk("VEVENT")] == ["Vancouver march"]
    event = only_event(vancouver)
    assert event.decoded("dtstart").hour == 12
    assert event["dtstart"].params["TZID"] == "America/Vancouver"


def test_feed_keeps_recently_ended_cancelled_events(client, organization):
    ended = factories.make_event(
        organization,
        title="Last week's vigil",
        starts_at=factories.local("America/Toronto", -7, 19),
        status=Event.Status.CANCELLED,
        status_reason="Rain.",
    )
    factories.make_event(
        organization, title="Long ago", starts_at=factories.local("America/Toronto", -40, 19)
    )
    feed = parse(client.get("/calendar.ics"))
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == [f"Cancelled: {ended.title}"]


def test_feed_refuses_unknown_filters_readably(client, rally):
    response = client.get("/calendar.ics?city=Atlantis")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "City: No upcoming events in “Atlantis”" in response.content.decode()


def test_feed_answers_304_to_a_current_copy(client, rally):
    first = client.get("/calendar.ics")
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    since = client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_feed_changes_its_etag_when_an_event_changes(client, rally):
    first = client.get("/calendar.ics")
    rally.title = "Noon rally, new name"
    services.save_event(event=rally)
    again = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_unknown_or_draft_event_file_is_404(client, organization):
    draft = factories.make_event(organization, visibility=Event.Visibility.DRAFT)
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404
    assert client.get("/events/no-such-event.ics").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_does_not_grow(client, organization, count, django_assert_num_queries):
    for _ in range(count):
        factories.make_event(organization, interpretation=("es",))
    # Known cities (filter form), the version (count, last change), events, languages,
    # translations.
    with django_assert_num_queries(5):
        assert client.get("/calendar.ics").status_code == 200


def test_pages_offer_calendar_links(client, rally):
    event_page = client.get(rally.get_absolute_url()).content.decode()
    assert f'href="/events/{rally.slug}.ics"' in event_page
    listing = client.get("/?city=Toronto").content.decode()
    assert 'href="webcal://testserver/calendar.ics?city=Toronto"' in listing
    assert 'href="http://testserver/calendar.ics?city=Toronto"' in listing


def test_feed_parts_follow_changes(client, rally):
    assert "Noon rally" in client.get("/calendar.ics").content.decode()
    rally.title = "Noon rally at the park"
    services.save_event(event=rally)
    [event] = parse(client.get("/calendar.ics")).walk("VEVENT")
    assert str(event["summary"]) == "Noon rally at the park"


def test_feed_from_cached_parts_matches_the_event_file(client, rally):
    client.get("/calendar.ics")  # fills the cache
    [from_feed] = parse(client.get("/calendar.ics")).walk("VEVENT")
    [from_file] = parse(client.get(f"/events/{rally.slug}.ics")).walk("VEVENT")
    for name in ("uid", "summary", "status", "location", "url", "description", "sequence"):
        assert from_feed[name] == from_file[name]
    assert from_feed.decoded("dtstart") == from_file.decoded("dtstart")


def test_newfoundland_half_hour_zone_is_described(client, organization):
    event = factories.make_event(
        organization,
        timezone="America/St_Johns",
        starts_at=factories.local("America/St_Johns", 3, 18),
    )
    calendar = parse(client.get(f"/events/{event.slug}.ics"))
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/St_Johns"
    offsets = {str(part["tzoffsetto"].to_ical()) for part in zone.walk("STANDARD")}
    assert "-0330" in offsets
    assert only_event(calendar).decoded("dtstart") == factories.local("America/St_Johns", 3, 18)


def test_demo_feed_as_a_calendar_app_sees_it(client, db):
    from events.demo import load_demo

    load_demo()
    feed = parse(client.get("/calendar.ics"))
    by_title = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    assert str(by_title["Cancelled: Press conference at City Hall"]["status"]) == "CANCELLED"
    assert str(by_title["Postponed: Petition delivery to the MP's office"]["status"]) == "TENTATIVE"
    nights = [
        occurrence
        for occurrence in recurring_ical_events.of(feed).between(
            dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1)
        )
        if str(occurrence["summary"]) == "Nightly community gathering at the camp"
    ]
    assert len(nights) == 18
    assert {n.decoded("dtstart").astimezone(TORONTO).hour for n in nights} == {19}
    gathering = Event.objects.get(slug="camp-nightly-gathering")
    gathering.starts_at += dt.timedelta(minutes=30)
    gathering.ends_at += dt.timedelta(minutes=30)
    services.save_event(event=gathering)
    changed = {str(e["summary"]): e for e in parse(client.get("/calendar.ics")).walk("VEVENT")}
    assert changed["Nightly community gathering at the camp"]["sequence"] == 1
