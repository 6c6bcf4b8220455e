"""The public calendar feed with 1,000 events (200 of them recurring).

Run by hand (not a test):  .venv/bin/python bench/feeds.py

Prints: icalendar alone serializing the same events (the baseline), the feed
cold (nothing cached), the feed with per-event parts cached, the 304 answer,
bytes, and the query count for 10 and for 1,000 events.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coordination_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench.registrations import prepare_database  # noqa: E402

EVENTS, RECURRING = 1000, 200


def make_events(organization, campaign) -> None:
    from django.utils import timezone

    from events import services
    from events.models import Event, Venue

    zones = ["America/Toronto", "America/Vancouver", "America/Edmonton", "America/St_Johns"]
    venue = Venue.objects.filter(organization=organization).first() or services.save_venue(
        venue=Venue(
            organization=organization, name="Hall", street_address="1 Main St", city="Toronto"
        )
    )
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    for number in range(EVENTS):
        event = Event(
            organization=organization,
            campaign=campaign,
            venue=venue,
            slug=f"feed-bench-{number}",
            title=f"Rally {number}, for status; all welcome",
            description="Bring signs.\nMeet at the north gate, by the hill.",
            kind=Event.Kind.RALLY,
            timezone=zones[number % len(zones)],
            starts_at=start + dt.timedelta(hours=number),
            ends_at=start + dt.timedelta(hours=number + 2),
            recurrence="FREQ=DAILY;COUNT=18" if number < RECURRING else "",
            visibility=Event.Visibility.LISTED,
        )
        event.starts_at = event.starts_at.astimezone(event.zone).replace(minute=0, second=0)
        event.ends_at = event.starts_at + dt.timedelta(hours=2)
        services.save_event(event=event)


def icalendar_alone(events) -> bytes:
    """The baseline: the icalendar library serializing the same fields."""
    import icalendar
    from django.utils import timezone

    from events import ical, recurrence

    calendar = icalendar.Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    now = timezone.now()
    for event in events:
        component = icalendar.Event()
        component.add("uid", f"event-{event.pk}@testserver")
        component.add("dtstamp", now)
        component.add("last-modified", event.updated_at)
        component.add("sequence", event.sequence)
        component.add("dtstart", event.local_start)
        component.add("dtend", event.local_end)
        component.add("summary", ical.summary(event))
        component.add("status", ical.status(event))
        component.add("url", "http://testserver/e/")
        component.add("description", ical.description(event, "http://testserver/e/"))
        component.add("location", ical.location_text(event))
        if event.recurrence:
            rule = recurrence.normalize_rule(event.recurrence)
            component.add("rrule", icalendar.vRecur.from_ical(rule))
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def timed(function, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> None:
    prepare_database()
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events import ical, selectors
    from events.models import Campaign, Event, Organization

    organization, _ = Organization.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    big, _ = Campaign.objects.get_or_create(
        slug="feed-bench",
        defaults={
            "organization": organization,
            "name": "big",
            "starts_on": "2000-01-01",
            "ends_on": "2100-01-01",
        },
    )
    if Event.objects.filter(campaign=big).upcoming().count() < EVENTS:
        Event.objects.filter(slug__startswith="feed-bench").delete()
        make_events(organization, big)
    url = "/calendar.ics?campaign=feed-bench"
    client = Client()
    events = list(
        selectors.events_with_details(Event.objects.filter(campaign=big)).order_by("starts_at")
    )
    feed = ical.Feed(name="bench", host="testserver")

    def alone():
        icalendar_alone(events)

    def cold():
        cache.clear()
        assert client.get(url).status_code == 200

    def warm():
        assert client.get(url).status_code == 200

    client.get(url)
    etag = client.get(url)["ETag"]

    def not_modified():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    baseline = timed(alone, 5)
    cold_ms = timed(cold, 5)
    warm_ms = timed(warm, 10)
    nm_ms = timed(not_modified, 50)
    size = len(client.get(url).content)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # The same feed with a city filter (one more query: the known cities).
    with CaptureQueriesContext(connection) as fewer:
        client.get(url + "&city=Toronto")
    print(f"{EVENTS} events ({RECURRING} recurring), {size:,} bytes")
    print(f"icalendar alone (same events, already fetched): {baseline:7.1f} ms")
    ours = timed(
        lambda: ical.calendar_bytes(
            events, feed=feed, url_for=lambda e: "http://testserver/e/", now=timezone.now()
        ),
        5,
    )
    print(f"our builder alone (same events):                {ours:7.1f} ms")
    print(
        f"feed, cold (nothing cached, via the view):      {cold_ms:7.1f} ms  ({cold_ms / baseline:.2f}x)"
    )
    print(f"feed, per-event parts cached:                   {warm_ms:7.1f} ms")
    print(f"304 Not Modified:                               {nm_ms:7.2f} ms")
    print(
        f"queries: {len(many.captured_queries)} for {EVENTS} events, "
        f"{len(fewer.captured_queries)} with a city filter"
    )


if __name__ == "__main__":
    main()
