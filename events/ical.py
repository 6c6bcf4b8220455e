"""Calendars from events: one pure builder for every feed and e-mail.

It takes events already fetched (with venue and organization), and returns
iCalendar bytes. It adds no ORGANIZER or ATTENDEE (calendar apps would mail
them) and never a join link or passcode.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import icalendar
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events import recurrence
from events.models import Event

PRODID = "-//Status for All events//Event coordination//EN"
PART_LIFETIME = 24 * 3600
REFRESH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Feed:
    """What a calendar says about itself."""

    name: str
    host: str  # for stable UIDs: "<kind>-<id>@<host>"
    method: str = "PUBLISH"


def cached_feed_bytes(events, *, feed: Feed, url_for: Callable[[Event], str]) -> bytes:
    """The public feed, assembled from per-event parts kept in the cache.

    ``events`` is a queryset. Each part is keyed by the event's id, sequence
    and last change (and the language and host it was written for), so a
    change replaces it; DTSTAMP is the event's last change, which keeps the
    parts, and the feed's ETag, stable between changes. Only the events
    whose part is missing are read in full.
    """
    language = get_language() or "en"
    rows = list(events.values_list("pk", "sequence", "updated_at", "timezone"))
    keys = {
        pk: f"vevent:{feed.host}:{language}:{pk}:{sequence}:{changed.timestamp()}"
        for pk, sequence, changed, _zone in rows
    }
    parts = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in parts]
    if missing:
        fresh = {
            keys[event.pk]: event_component(
                event, feed=feed, url=url_for(event), now=event.updated_at
            ).to_ical()
            for event in events.filter(pk__in=missing)
        }
        cache.set_many(fresh, PART_LIFETIME)
        parts.update(fresh)
    zones = sorted({zone for _pk, _sequence, _changed, zone in rows})
    head, tail = calendar_frame(feed).split(b"END:VCALENDAR")
    chunks = [head, *(timezone_part(zone) for zone in zones)]
    chunks += [parts[keys[pk]] for pk, *_rest in rows]
    return b"".join(chunks) + b"END:VCALENDAR" + tail


@lru_cache(maxsize=64)
def timezone_part(zone: str) -> bytes:
    return icalendar.Timezone.from_tzid(zone).to_ical()


def calendar_frame(feed: Feed) -> bytes:
    """An empty VCALENDAR with the feed's own properties."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", feed.method)
    calendar.add("x-wr-calname", feed.name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    return calendar.to_ical()


def calendar_bytes(
    events: Iterable[Event],
    *,
    feed: Feed,
    url_for: Callable[[Event], str],
    now: dt.datetime,
    note_for: Callable[[Event], str] | None = None,
    cancelled: Callable[[Event], bool] | None = None,
) -> bytes:
    """The events as one VCALENDAR with a VTIMEZONE for every zone used.

    ``note_for`` adds a line to an event's description (a personal feed's
    join details); ``cancelled`` marks events cancelled for this reader.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", feed.method)
    calendar.add("x-wr-calname", feed.name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for event in events:
        component = event_component(
            event,
            feed=feed,
            url=url_for(event),
            now=now,
            note=note_for(event) if note_for else "",
            cancelled=bool(cancelled and cancelled(event)),
        )
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_uid(event: Event, host: str) -> str:
    return f"event-{event.pk}@{host}"


def event_component(
    event: Event,
    *,
    feed: Feed,
    url: str,
    now: dt.datetime,
    note: str = "",
    cancelled: bool = False,
) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event, feed.host))
    component.add("dtstamp", now)
    component.add("last-modified", event.updated_at)
    component.add("sequence", event.sequence)
    component.add("dtstart", event.local_start)
    component.add("dtend", event.local_end)
    is_cancelled = cancelled or event.status == Event.Status.CANCELLED
    component.add("summary", summary(event, cancelled=is_cancelled))
    component.add("status", "CANCELLED" if is_cancelled else status(event))
    component.add("url", url)
    component.add("description", (note + "\n\n" if note else "") + description(event, url))
    location = location_text(event)
    if location:
        component.add("location", location)
    venue = event.venue
    if venue is not None and venue.latitude is not None and venue.longitude is not None:
        component.add("geo", (float(venue.latitude), float(venue.longitude)))
    if event.recurrence:
        component.add(
            "rrule", icalendar.vRecur.from_ical(recurrence.normalize_rule(event.recurrence))
        )
        skipped = skipped_starts(event)
        if skipped:
            component.add("exdate", skipped)
    return component


def summary(event: Event, *, cancelled: bool = False) -> str:
    """The title; some calendar apps hide STATUS, so the title says it too."""
    if cancelled or event.status == Event.Status.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": event.title}
    if event.status == Event.Status.POSTPONED:
        return _("Postponed: %(title)s") % {"title": event.title}
    return event.title


def status(event: Event) -> str:
    return {
        Event.Status.SCHEDULED: "CONFIRMED",
        Event.Status.POSTPONED: "TENTATIVE",
        Event.Status.CANCELLED: "CANCELLED",
    }[event.status]


def location_text(event: Event) -> str:
    parts = []
    if event.venue is not None:
        parts.append(event.venue.full_address)
        if event.venue.directions:
            parts.append(event.venue.directions)
    if event.is_online:
        parts.append(_("Online: the link is on your registration page"))
    return ". ".join(parts)


def description(event: Event, url: str) -> str:
    lines = []
    if event.status != Event.Status.SCHEDULED and event.status_reason:
        lines += [event.status_reason, ""]
    if event.description:
        lines += [event.description, ""]
    if event.accessibility_notes:
        lines += [_("Accessibility: %(notes)s") % {"notes": event.accessibility_notes}, ""]
    if event.contacts:
        lines += [_("Questions: %(contacts)s") % {"contacts": event.contacts}, ""]
    lines.append(_("Details and updates: %(url)s") % {"url": url})
    return "\n".join(lines)


def skipped_starts(event: Event) -> list[dt.datetime]:
    """EXDATE values: the start on each skipped date, on the event's wall clock."""
    start = event.local_start
    return [
        dt.datetime.combine(day, start.time(), tzinfo=start.tzinfo)
        for day in recurrence.parse_exceptions(event.recurrence_exceptions)
    ]
