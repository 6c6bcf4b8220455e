"""CSV exports: rows for standard events, counts only for anonymous events.

Every cell a person typed is made safe against spreadsheet formula injection:
a cell starting with = + - @ (or a tab or carriage return) is prefixed with a
single quote, so a spreadsheet shows it as text instead of running it.
"""

import csv
import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext as _

from attendance import selectors
from attendance.models import CheckIn
from events.models import Campaign, Event
from events.templatetags import event_time

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows) -> Iterator[str]:
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def _local(value: dt.datetime | None, event: Event) -> str:
    return value.astimezone(event.zone).strftime("%Y-%m-%d %H:%M") if value else ""


def event_rows(event: Event, occurrence: dt.datetime) -> Iterator[list]:
    if event.is_anonymous:
        yield from event_count_rows(event, occurrence)
        return
    checked_in = dict(
        CheckIn.objects.filter(event=event, occurrence=occurrence).values_list(
            "registration_id", "checked_in_at"
        )
    )
    zone = event_time.zone_label(event.timezone)
    yield [
        _("registered (%(zone)s)") % {"zone": zone},
        _("status"),
        _("people"),
        _("name"),
        _("email"),
        _("interpretation needed into"),
        _("messages in"),
        _("accessibility needs"),
        _("checked in (%(zone)s)") % {"zone": zone},
    ]
    for registration in selectors.registrations_for_export(event).iterator(chunk_size=2000):
        yield [
            _local(registration.created_at, event),
            registration.status,
            registration.party_size,
            registration.name,
            registration.email,
            registration.interpretation_language_id or "",
            registration.message_language,
            registration.accessibility_needs,
            _local(checked_in.get(registration.pk), event),
        ]


def event_count_rows(event: Event, occurrence: dt.datetime) -> Iterator[list]:
    """Counts only: what an anonymous event's export may carry."""
    figures = selectors.event_figures(event, occurrence)
    yield [_("figure"), _("value")]
    yield [_("confirmed people"), figures.confirmed_people]
    yield [_("confirmed registrations"), figures.confirmed_registrations]
    yield [_("people waiting"), figures.waitlisted_people]
    yield [_("cancelled registrations"), figures.cancelled_registrations]
    yield [_("people checked in"), figures.checked_in_people]
    yield [_("entries counted"), figures.entries]
    yield [_("exits counted"), figures.exits]
    yield [_("online at peak"), figures.online_peak or 0]
    for language, people in figures.languages:
        label = _("interpretation into %(language)s") % {"language": language or _("none")}
        yield [label, _("fewer than 5") if selectors.small(people) else people]


def campaign_rows(campaign: Campaign, now: dt.datetime) -> Iterator[list]:
    city_rows, totals = selectors.campaign_rollup(campaign, now)
    yield [
        _("city"),
        _("event"),
        _("time zone"),
        _("starts (local time)"),
        _("confirmed people"),
        _("people waiting"),
        _("people checked in"),
        _("inside now (marshals' count)"),
        _("entries counted"),
        _("online now"),
        _("online at peak"),
    ]
    for row in city_rows:
        f = row.figures
        yield [
            row.city,
            row.event.title,
            row.event.timezone,
            _local(row.occurrence, row.event),
            f.confirmed_people,
            f.waitlisted_people,
            f.checked_in_people,
            f.inside,
            f.entries,
            f.online_now if f.online_now is not None else "",
            f.online_peak if f.online_peak is not None else "",
        ]
    yield [
        _("total"),
        "",
        "",
        "",
        totals.confirmed_people,
        totals.waitlisted_people,
        totals.checked_in_people,
        totals.inside,
        totals.entries,
        totals.online_now,
        totals.online_peak,
    ]
