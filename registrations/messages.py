"""E-mails about registrations, written in the registrant's language.

Each message is stored in the outbox inside the caller's transaction and a
task sends it after commit, so a registration is never lost to a mail
server that is down, and a message is never sent for a registration that
was rolled back.
"""

import functools
import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django_q.tasks import async_task

from events import ical
from events.feeds import uid_host
from registrations.models import OutboundMessage, Registration

logger = logging.getLogger(__name__)


def manage_path(token: str) -> str:
    """/r/<token>/ under the current script prefix. Every registration's answer
    gives it: the address around the token is worked out once, not by
    ``reverse()`` each time (tokens are URL-safe base64: nothing to quote)."""
    before, after = _around_token(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return before + token + after


@functools.lru_cache(maxsize=32)
def _around_token(urlconf, script_prefix: str) -> tuple[str, str]:
    marker = "T" * 43  # shaped like a token, for any stricter converter in the route
    path = reverse("registrations:manage", urlconf, kwargs={"token": marker})
    before, after = path.rsplit(marker, 1)
    return before, after


def manage_url(token: str) -> str:
    """The manage link as e-mails give it, on the site's public address."""
    return settings.SITE_URL + manage_path(token)


STOP_UPDATES_SALT = "registrations.stop-updates"


def stop_updates_url(registration: Registration) -> str:
    """The "stop these updates" link of update e-mails: a signed value naming
    the registration, which opens only that (the manage link itself is known
    only by its hash, so e-mails after the first cannot carry it)."""
    token = signing.dumps(registration.pk, salt=STOP_UPDATES_SALT)
    return settings.SITE_URL + reverse("registrations:stop_updates", kwargs={"token": token})


def queue_confirmation(registration: Registration, token: str) -> None:
    _queue(registration, "confirmation", manage_url=manage_url(token), method="REQUEST")


def queue_event_change(registration: Registration) -> None:
    """The event's time, place or status changed: an update (or a cancellation)."""
    cancelled = registration.event.status == registration.event.Status.CANCELLED
    _queue(registration, "change", manage_url="", method="CANCEL" if cancelled else "REQUEST")


def queue_cancellation(registration: Registration) -> None:
    _queue(registration, "cancelled", manage_url="", method="CANCEL")


def queue_existing_registration(registration: Registration, token: str) -> None:
    _queue(registration, "existing", manage_url=manage_url(token))


def queue_promotion(registration: Registration) -> None:
    _queue(registration, "promotion", manage_url="")


def _queue(registration: Registration, kind: str, *, method: str = "", **context) -> None:
    context = {
        "registration": registration,
        "event": registration.event,
        "event_url": settings.SITE_URL + registration.event.get_absolute_url(),
        **context,
    }
    with translation.override(registration.message_language):
        subject = render_to_string(f"emails/{kind}_subject.txt", context).strip()
        body = render_to_string(f"emails/{kind}.txt", context)
        calendar = invitation(registration, method) if method else ""
    message = OutboundMessage.objects.create(
        to=registration.email,
        subject=subject[:255],
        body=body,
        calendar=calendar,
        calendar_method=method,
    )
    transaction.on_commit(lambda: send_later(message.pk))


def invitation(registration: Registration, method: str) -> str:
    """The event as a calendar attachment: REQUEST to add or update, CANCEL to remove."""
    return ical.calendar_bytes(
        [registration.event],
        feed=ical.Feed(name=registration.event.title, host=uid_host(), method=method),
        url_for=lambda event: settings.SITE_URL + event.get_absolute_url(),
        now=timezone.now(),
        cancelled=lambda event: method == "CANCEL",
    ).decode()


def send_later(message_id: int) -> None:
    """Queue the sending. If the queue itself fails, the message stays in the
    outbox and the scheduled sweep sends it; the person's request succeeds."""
    queue_task("registrations.tasks.send_message", message_id)


def queue_task(function: str, *args) -> None:
    try:
        async_task(function, *args)
    except Exception:
        logger.warning("task %s %s not queued; the outbox sweep will catch up", function, args)
