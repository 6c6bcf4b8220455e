"""Which occurrence of an event a count belongs to.

A one-off event has one occurrence, named by its start. A recurring event
(the nightly gathering) is counted per occurrence: the one running now, else
the next, else the last.
"""

import datetime as dt

from django.utils import timezone

from events.models import Event


def current_occurrence(event: Event, now: dt.datetime | None = None) -> dt.datetime:
    """Start of the occurrence running now, else the next one, else the last one."""
    if not event.is_recurring:
        return event.starts_at
    found = event.next_occurrence(now or timezone.now())
    return (found or event.last_occurrence())[0]


def is_occurrence(event: Event, start: dt.datetime) -> bool:
    if not event.is_recurring:
        return start == event.starts_at
    found = event.occurrences(after=start, limit=1)
    return bool(found) and found[0][0] == start


def recent_occurrences(event: Event, now: dt.datetime | None = None, *, count: int = 7):
    """Starts of the last few occurrences up to the current one, newest first."""
    if not event.is_recurring:
        return [event.starts_at]
    current = current_occurrence(event, now)
    starts = [
        start
        for start, _end in event.occurrences(limit=2000)
        if start <= current  # the series is bounded by recurrence.MAX_OCCURRENCES
    ]
    return list(reversed(starts[-count:]))


def parse_occurrence(event: Event, text: str | None) -> dt.datetime | None:
    """An occurrence given as ISO 8601 text (a form or a tap), or None if it is none."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(value) or not is_occurrence(event, value):
        return None
    return value
