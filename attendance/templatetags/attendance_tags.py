"""The check-in card of the manage page: the code and its QR code."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from attendance import selectors, services
from attendance.qr import qr_svg
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
def breakdown(value: int):
    """A figure of a breakdown: 1 to 4 people show as "fewer than 5"."""
    return _("fewer than 5") if selectors.small(value) else value
