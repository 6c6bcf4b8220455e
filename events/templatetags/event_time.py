"""Dates and times as people need them: in the event's own zone, zone named."""

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

# Zone names whose last part does not read as a place name.
ZONE_PLACES = {
    "America/Montreal": "Montréal",
}


def _place_in_name(zone_name: str) -> str:
    return ZONE_PLACES.get(zone_name) or zone_name.rsplit("/", 1)[-1].replace("_", " ")


@functools.lru_cache(maxsize=256)
def _cldr_key(zone_name: str) -> str:
    """The ID under which CLDR files the zone's city: CLDR keeps renamed zones
    under their old IDs (Asia/Calcutta for Asia/Kolkata, Europe/Kiev for
    Europe/Kyiv). Of the older IDs, the one that names the same city in
    English, so that a zone merged into another (Europe/Zaporozhye into
    Europe/Kyiv) never lends its name."""
    english = Locale.parse("en").time_zones
    if zone_name in english:
        return zone_name
    place = _place_in_name(zone_name)
    for old, current in get_global("zone_aliases").items():
        if current == zone_name and english.get(old, {}).get("city", "").startswith(place):
            return old
    return zone_name


@functools.lru_cache(maxsize=1024)
def zone_place(zone_name: str, language: str) -> str:
    """The zone's city as written in ``language`` (CLDR's exemplar city:
    'Londres' in French, 'ਟੋਰਾਂਟੋ' in Punjabi), else as the zone names it."""
    try:
        zones = Locale.parse(language.replace("-", "_")).time_zones
    except (ValueError, UnknownLocaleError):
        zones = {}
    city = zones.get(_cldr_key(zone_name), {}).get("city")
    return city or _place_in_name(zone_name)


@register.filter
def zone_label(zone_name: str) -> str:
    """'America/Toronto' -> 'Toronto time' ('heure de Toronto', 'ਟੋਰਾਂਟੋ ਦਾ ਸਮਾਂ')."""
    return _("%(place)s time") % {"place": zone_place(zone_name, get_language() or "en")}


@register.filter
def local_date(value: dt.datetime) -> str:
    return _("%(weekday)s, %(date)s") % {
        "weekday": formats.date_format(value, "l"),
        "date": formats.date_format(value, "DATE_FORMAT"),
    }


@register.filter
def local_time(value: dt.datetime) -> str:
    return formats.time_format(value, "TIME_FORMAT")


@register.simple_tag
def time_range(start: dt.datetime, end: dt.datetime, zone_name: str) -> str:
    """'Wednesday, December 2, 2026, 8:00 p.m. – 10:00 p.m. Toronto time'."""
    if start.date() == end.date():
        text = _("%(date)s, %(start)s – %(end)s") % {
            "date": local_date(start),
            "start": local_time(start),
            "end": local_time(end),
        }
    else:
        text = _("%(start_date)s, %(start)s – %(end_date)s, %(end)s") % {
            "start_date": local_date(start),
            "start": local_time(start),
            "end_date": local_date(end),
            "end": local_time(end),
        }
    return f"{text} {zone_label(zone_name)}"


@register.simple_tag
def moment(value: dt.datetime, zone_name: str) -> str:
    """'Wednesday, December 2, 2026, 8:00 p.m. Toronto time' for one instant."""
    local = value.astimezone(ZoneInfo(zone_name))
    return f"{local_date(local)}, {local_time(local)} {zone_label(zone_name)}"


@register.simple_tag
def moment_parts(value: dt.datetime, zone_name: str) -> dict[str, str | bool]:
    """The date and the time (zone named) of one instant, apart, for sentences
    like "Come back on <date> at <time>"."""
    zone = ZoneInfo(zone_name)
    local = value.astimezone(zone)
    return {
        "date": local_date(local),
        "time": f"{local_time(local)} {zone_label(zone_name)}",
        "today": local.date() == timezone.now().astimezone(zone).date(),
    }


@register.filter
def grouped(value: int) -> str:
    """A count with the language's thousands separator: 1,200 · 1 200 · 1.200."""
    return formats.number_format(value, force_grouping=True)


@register.simple_tag
def upcoming_time(event) -> str:
    """When the event is, or for a recurring one its next occurrence ("Next: ...")."""
    if not event.is_recurring:
        return time_range(event.local_start, event.local_end, event.timezone)
    starts, ends = event.next_occurrence(timezone.now()) or event.last_occurrence()
    zone = ZoneInfo(event.timezone)
    when = time_range(starts.astimezone(zone), ends.astimezone(zone), event.timezone)
    return f"{_('Next:')} {when}"
