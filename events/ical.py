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
from events.content import localized_event
from events.models import Event

PRODID = "-//Status for All events//Event coordination//EN"
PART_LIFETIME = 24 * 3600


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
            keys[event.pk]: vevent_bytes(event, feed=feed, url=url_for(event), now=event.updated_at)
            for event in events.filter(pk__in=missing)
        }
        cache.set_many(fresh, PART_LIFETIME)
        parts.update(fresh)
    zones = sorted({zone for _pk, _sequence, _changed, zone in rows})
    return assemble(feed, zones, [parts[keys[pk]] for pk, *_rest in rows])


@lru_cache(maxsize=64)
def timezone_part(zone: str) -> bytes:
    return icalendar.Timezone.from_tzid(zone).to_ical()


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
    events = list(events)
    parts = [
        vevent_bytes(
            event,
            feed=feed,
            url=url_for(event),
            now=now,
            note=note_for(event) if note_for else "",
            cancelled=bool(cancelled and cancelled(event)),
        )
        for event in events
    ]
    return assemble(feed, sorted({event.timezone for event in events}), parts)


def assemble(feed: Feed, zones: list[str], parts: list[bytes]) -> bytes:
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{feed.method}",
        f"X-WR-CALNAME:{escape(feed.name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    chunks = [lines_bytes(head), *(timezone_part(zone) for zone in zones), *parts]
    return b"".join(chunks) + b"END:VCALENDAR\r\n"


def event_uid(event: Event, host: str) -> str:
    return f"event-{event.pk}@{host}"


def vevent_bytes(
    event: Event,
    *,
    feed: Feed,
    url: str,
    now: dt.datetime,
    note: str = "",
    cancelled: bool = False,
) -> bytes:
    """One VEVENT, written line by line (escaped and folded as RFC 5545 says)."""
    is_cancelled = cancelled or event.status == Event.Status.CANCELLED
    zone = event.timezone
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event_uid(event, feed.host)}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"LAST-MODIFIED:{utc_stamp(event.updated_at)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART;TZID={zone}:{local_stamp(event.local_start)}",
        f"DTEND;TZID={zone}:{local_stamp(event.local_end)}",
        f"SUMMARY:{escape(summary(event, cancelled=is_cancelled))}",
        f"STATUS:{'CANCELLED' if is_cancelled else status(event)}",
        f"URL:{url}",
        "DESCRIPTION:" + escape((note + "\n\n" if note else "") + description(event, url)),
    ]
    location = location_text(event)
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    venue = event.venue
    if venue is not None and venue.latitude is not None and venue.longitude is not None:
        lines.append(f"GEO:{float(venue.latitude)};{float(venue.longitude)}")
    if event.recurrence:
        lines.append(f"RRULE:{recurrence.rule_for_calendar(event.recurrence, zone)}")
        skipped = skipped_starts(event)
        if skipped:
            lines.append(f"EXDATE;TZID={zone}:" + ",".join(local_stamp(day) for day in skipped))
    lines.append("END:VEVENT")
    return lines_bytes(lines)


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and new lines escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def lines_bytes(lines: list[str]) -> bytes:
    return b"".join(fold(line) for line in lines)


def fold(line: str) -> bytes:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    pieces, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # step back to the start of a character
        pieces.append(data[start:end])
        start, limit = end, 74  # continuation lines begin with a space
    return b"\r\n ".join(pieces) + b"\r\n"


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def local_stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def content(event: Event):
    """Title, description and directions in the active language (or the event's own)."""
    return localized_event(event, get_language() or "en")


def summary(event: Event, *, cancelled: bool = False) -> str:
    """The title; some calendar apps hide STATUS, so the title says it too."""
    title = content(event).title
    if cancelled or event.status == Event.Status.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    if event.status == Event.Status.POSTPONED:
        return _("Postponed: %(title)s") % {"title": title}
    return title


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
        if directions := content(event).directions:
            parts.append(directions)
    if event.is_online:
        parts.append(_("Online: the join link is on your personal page"))
    return ". ".join(parts)


def description(event: Event, url: str) -> str:
    lines = []
    if event.status != Event.Status.SCHEDULED and event.status_reason:
        lines += [event.status_reason, ""]
    if text := content(event).description:
        lines += [text, ""]
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
