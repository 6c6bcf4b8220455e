"""Recurring events: parsing RRULEs and listing occurrences in local time.

Occurrences are computed on the wall clock of the event's own time zone and
only then made aware, so a nightly 7 pm gathering stays at 7 pm across a
daylight-saving change. Every series is bounded: at most MAX_OCCURRENCES
occurrences within HORIZON of its start, so an open-ended rule ends too.
Pure functions: nothing here touches the database.
"""

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, HOURLY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.utils.translation import gettext as _

UTC_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z")
ALLOWED_FREQUENCIES = {HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_OCCURRENCES = 2000
HORIZON = dt.timedelta(days=5 * 366)


class RecurrenceError(ValueError):
    """The rule cannot be used; the message says why, for a person."""


def example() -> str:
    return _("Example: FREQ=DAILY;COUNT=18 for 18 days in a row.")


def normalize_rule(text: str) -> str:
    """Return the rule without an ``RRULE:`` prefix or surrounding space."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    return rule.upper()


def build_rule(text: str, start_local: dt.datetime, zone: str = "UTC") -> rrule:
    """Parse an RRULE body against a naive local start, bounded by HORIZON.

    Raises RecurrenceError for a rule that cannot be read, repeats more often
    than hourly, or gives no date in the horizon.
    """
    rule_text = normalize_rule(text)
    if "\n" in rule_text or "DTSTART" in rule_text:
        raise RecurrenceError(_("Give only the rule itself.") + " " + example())
    try:
        rule_text = UTC_UNTIL.sub(lambda match: _local_until(match, zone), rule_text)
        rule = rrulestr(rule_text, dtstart=start_local)
    except (ValueError, TypeError, OverflowError):
        raise RecurrenceError(_("This repeat rule cannot be read.") + " " + example()) from None
    if not isinstance(rule, rrule) or rule._freq not in ALLOWED_FREQUENCIES:
        raise RecurrenceError(_("Events can repeat hourly, daily, weekly, monthly or yearly."))
    if rule._interval < 1:
        raise RecurrenceError(_("INTERVAL must be 1 or more, e.g. FREQ=WEEKLY;INTERVAL=2."))
    horizon = start_local + HORIZON
    if rule._until is None or rule._until > horizon:
        # dateutil warns that COUNT with UNTIL is not RFC 5545; it honours
        # both (whichever ends first), which is the bound wanted here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", UserWarning)
            rule = rule.replace(until=horizon)
    return rule


def _local_until(match: re.Match, zone: str) -> str:
    """UNTIL written in UTC ("...Z") becomes the same instant on the local clock."""
    instant = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    return "UNTIL=" + instant.astimezone(ZoneInfo(zone)).strftime("%Y%m%dT%H%M%S")


LOCAL_UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6})?(?=;|$)")


def rule_for_calendar(text: str, zone: str) -> str:
    """The rule as iCalendar wants it with a zoned DTSTART: UNTIL in UTC.

    A date-only UNTIL means the end of that day in the event's zone.
    """

    def to_utc(match: re.Match) -> str:
        day = dt.datetime.strptime(match.group(1), "%Y%m%d")
        local = (
            dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%dT%H%M%S")
            if match.group(2)
            else day.replace(hour=23, minute=59, second=59)
        )
        instant = local.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
        return "UNTIL=" + instant.strftime("%Y%m%dT%H%M%SZ")

    return LOCAL_UNTIL.sub(to_utc, normalize_rule(text))


def check_rule_matches_start(text: str, start_local: dt.datetime) -> None:
    """The first date must itself be an occurrence (as iCalendar requires).

    A rule that cannot be read passes here: its field's validator reports it.
    """
    try:
        first = next(iter(build_rule(text, start_local)), None)
    except RecurrenceError:
        return
    if first != start_local:
        raise RecurrenceError(
            _(
                "The start date must be one of the dates the rule gives. Change the start "
                "to the first date of the series, or change the rule."
            )
        )


def parse_exceptions(text: str) -> list[dt.date]:
    """Parse skipped dates written as YYYY-MM-DD, separated by commas or spaces."""
    dates = []
    for word in text.replace(",", " ").split():
        try:
            dates.append(dt.date.fromisoformat(word))
        except ValueError:
            raise RecurrenceError(
                _("“%(word)s” is not a date: write skipped dates as YYYY-MM-DD, e.g. 2026-12-24.")
                % {"word": word}
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


def wall_clock_duration(start: dt.datetime, end: dt.datetime, zone: str) -> dt.timedelta:
    """How long the first occurrence lasts on the local clock (10 pm to 2 am: 4 hours)."""
    tz = ZoneInfo(zone)
    return end.astimezone(tz).replace(tzinfo=None) - start.astimezone(tz).replace(tzinfo=None)


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
    duration = wall_clock_duration(start, end, zone)
    found = []
    for begin in local_starts(start=start, zone=zone, rule=rule, exceptions=exceptions):
        finish = _add_wall_clock(begin, duration)
        if after is not None and finish <= after:
            continue
        found.append((begin, finish))
        if limit is not None and len(found) >= limit:
            break
    return found


def last_occurrence(
    *, start: dt.datetime, end: dt.datetime, zone: str, rule: str, exceptions: str
) -> tuple[dt.datetime, dt.datetime]:
    """The last (start, end) of the series (the first one when all are skipped)."""
    last = None
    for last in local_starts(start=start, zone=zone, rule=rule, exceptions=exceptions):  # noqa: B007
        pass
    if last is None:
        tz = ZoneInfo(zone)
        return start.astimezone(tz), end.astimezone(tz)
    return last, _add_wall_clock(last, wall_clock_duration(start, end, zone))


def _add_wall_clock(begin: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """Add a duration on the wall clock, so each occurrence ends at the same local hour."""
    naive = begin.replace(tzinfo=None) + duration
    return naive.replace(tzinfo=begin.tzinfo)
