"""The check-in card of the manage page: the code and its QR code."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from attendance import selectors, services
from attendance.qr import qr_svg
from events.templatetags import event_time
from interpretation.selectors import is_coordinator
from registrations.models import Registration

register = template.Library()


@register.inclusion_tag("attendance/_checkin_card.html")
def checkin_card(registration: Registration) -> dict:
    """Shown to confirmed registrations of events people come to in person."""
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED or event.format == "online":
        return {"code": None}
    code = services.checkin_code_for(registration=registration)
    url = settings.SITE_URL + reverse("attendance:checkin", kwargs={"event_id": event.pk})
    return {"code": code, "qr": qr_svg(f"{url}?code={code}", title=code)}


@register.filter
def plans_interpretation(user) -> bool:
    """Whether the dashboard's menu offers interpretation coverage."""
    return is_coordinator(user)


@register.filter
def breakdown(value: int):
    """A figure of a breakdown: 1 to 4 people show as "fewer than 5"."""
    return _("fewer than 5") if selectors.small(value) else value


@register.simple_tag
def short_moment(value: dt.datetime, zone_name: str) -> str:
    """'Sat, Dec 5, 12:00 p.m. Toronto time': a moment that fits a table cell."""
    local = value.astimezone(ZoneInfo(zone_name))
    day = formats.date_format(local, "D, M j")
    return f"{day}, {event_time.local_time(local)} {event_time.zone_label(zone_name)}"
