"""The personal calendar feed at /feeds/<token>.ics (its own secret link)."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from events import selectors as event_selectors
from events.feeds import calendar_response
from events.models import Event, OnlineMeeting
from registrations import ratelimit, services
from registrations.models import Registration
from registrations.views import keep_secret


def personal_feed(request, token: str):
    registration = services.registration_for_feed_token(token)
    if registration is None:
        wait = ratelimit.over_limit(
            request, scope="manage-miss", limit=settings.MANAGE_LINK_MISS_LIMIT
        )
        status = 429 if wait else 404
        return keep_secret(render(request, "registrations/link_not_found.html", status=status))
    events = event_selectors.events_with_details().filter(pk=registration.event_id)
    # Calendar apps send no language cookie: the person's chosen language it is.
    with translation.override(registration.message_language):
        response = personal_calendar(request, events, registration)
    return keep_secret(response)


def personal_calendar(request, events, registration: Registration):
    return calendar_response(
        request,
        events,
        name=_("My events"),
        filename="my-events.ics",
        attachment=False,
        cache_control="private, no-store",
        version_extra=f"{registration.status}:{registration.party_size}",
        cancelled=lambda event: registration.status == Registration.Status.CANCELLED,
        note_for=lambda event: join_note(event, registration),
    )


def join_note(event: Event, registration: Registration) -> str:
    """The join link, only where the organizer chose it, never for anonymous events."""
    if event.is_anonymous or registration.status != Registration.Status.CONFIRMED:
        return ""
    meeting = OnlineMeeting.objects.filter(event=event, share_in_calendars=True).first()
    if meeting is None or not meeting.join_url:
        return ""
    note = _("Join: %(url)s") % {"url": meeting.join_url}
    if meeting.passcode:
        note += "\n" + _("Passcode: %(code)s") % {"code": meeting.passcode}
    return note
