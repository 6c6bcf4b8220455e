"""Recurring events: parsing RRULEs and listing occurrences in local time.

Occurrences are computed on the wall clock of the event's own time zone and
only then made aware, so a nightly 7 pm gathering stays at 7 pm across a
daylight-saving change. Pure functions: nothing here touches the database.
"""

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, HOURLY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

UTC_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z")
ALLOWED_FREQUENCIES = {HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY}
# A safety bound for open-ended rules: enough for years of nightly gatherings.
MAX_OCCURRENCES = 2000


class RecurrenceError(ValueError):
    """The rule cannot be used; the message says why, for a person."""


def normalize_rule(text: str) -> str:
    """Return the rule without an ``RRULE:`` prefix or surrounding space."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    return rule.upper()


def build_rule(text: str, start_local: dt.datetime, zone: str = "UTC") -> rrule:
    """Parse an RRULE body against a naive local start, or raise RecurrenceError."""
    rule_text = normalize_rule(text)
    if "\n" in rule_text or "DTSTART" in rule_text:
        raise RecurrenceError("Give only the rule itself, for example FREQ=DAILY;COUNT=18.")
    rule_text = UTC_UNTIL.sub(lambda match: _local_until(match, zone), rule_text)
    try:
        rule = rrulestr(rule_text, dtstart=start_local)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(
            f"This repeat rule is not valid ({error}). Example: FREQ=DAILY;COUNT=18."
        ) from None
    if not isinstance(rule, rrule) or rule._freq not in ALLOWED_FREQUENCIES:
        raise RecurrenceError("Events can repeat hourly, daily, weekly, monthly or yearly.")
    if rule._interval < 1:
        raise RecurrenceError("INTERVAL must be 1 or more, e.g. FREQ=WEEKLY;INTERVAL=2.")
    return rule


def _local_until(match: re.Match, zone: str) -> str:
    """UNTIL written in UTC ("...Z") becomes the same instant on the local clock."""
    instant = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    return "UNTIL=" + instant.astimezone(ZoneInfo(zone)).strftime("%Y%m%dT%H%M%S")


def parse_exceptions(text: str) -> list[dt.date]:
    """Parse skipped dates written as YYYY-MM-DD, separated by commas or spaces."""
    dates = []
    for word in text.replace(",", " ").split():
        try:
            dates.append(dt.date.fromisoformat(word))
        except ValueError:
            raise RecurrenceError(
                f"{word!r} is not a date; write skipped dates as YYYY-MM-DD, e.g. 2026-12-24."
            ) from None
    return sorted(set(dates))


def local_starts(
    *, start: dt.datetime, zone: str, rule: str, exceptions: str
) -> Iterator[dt.datetime]:
    """Yield aware start times of every occurrence, in the event's zone, in order."""
    tz = ZoneInfo(zone)
    start_local = start.astimezone(tz).replace(tzinfo=None)
    if not rule:
        yield start.astimezone(tz)
        return
    skipped = set(parse_exceptions(exceptions))
    for count, naive in enumerate(build_rule(rule, start_local, zone)):
        if count >= MAX_OCCURRENCES:
            return
        if naive.date() not in skipped:
            yield naive.replace(tzinfo=tz)


def occurrences(
    *,
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    rule: str,
    exceptions: str,
    after: dt.datetime | None = None,
    limit: int | None = None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """List (start, end) pairs, aware in the event's zone, that end after ``after``."""
    duration = end - start
    found = []
    for begin in local_starts(start=start, zone=zone, rule=rule, exceptions=exceptions):
        finish = _add_wall_clock(begin, duration)
        if after is not None and finish <= after:
            continue
        found.append((begin, finish))
        if limit is not None and len(found) >= limit:
            break
    return found


def series_end(
    *, start: dt.datetime, end: dt.datetime, zone: str, rule: str, exceptions: str
) -> dt.datetime | None:
    """Return when the last occurrence ends, or None for a rule without an end."""
    if not rule:
        return end
    parsed = build_rule(rule, start.astimezone(ZoneInfo(zone)).replace(tzinfo=None), zone)
    if parsed._count is None and parsed._until is None:
        return None
    last = None
    for begin in local_starts(start=start, zone=zone, rule=rule, exceptions=exceptions):
        last = begin
    if last is None:
        return end
    return _add_wall_clock(last, end - start)


def _add_wall_clock(begin: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """Add a duration on the wall clock, so each occurrence ends at the same local hour."""
    naive = begin.replace(tzinfo=None) + duration
    return naive.replace(tzinfo=begin.tzinfo)
