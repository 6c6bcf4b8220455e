"""Times on the interpreter's own clock."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import template

register = template.Library()


@register.filter
def in_zone(value: dt.datetime, zone_name: str) -> dt.datetime:
    return value.astimezone(ZoneInfo(zone_name))
