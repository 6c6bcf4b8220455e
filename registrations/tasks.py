"""Background work for registrations (run by the django-q2 workers)."""

import datetime as dt
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations import messages
from registrations.models import OutboundMessage, Registration, Seats

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died.
CLAIM_TIMEOUT = dt.timedelta(minutes=5)


def send_message(message_id: int) -> None:
    """Send one outbox message and delete it. Safe to run twice.

    A failure leaves the message in the outbox and raises, so the worker
    retries it; the registration it is about is already stored.
    """
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT), pk=message_id
    ).update(claimed_at=now)
    if not claimed:
        return  # sent already, or another worker has it
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        as_email(message).send()
    except Exception:
        OutboundMessage.objects.filter(pk=message_id).update(
            claimed_at=None, attempts=message.attempts + 1
        )
        logger.warning("message %s not sent yet (attempt %s)", message_id, message.attempts + 1)
        raise
    message.delete()


def as_email(message: OutboundMessage) -> EmailMessage:
    email = EmailMessage(message.subject, message.body, None, [message.to])
    if message.calendar:
        email.attach(
            "event.ics",
            message.calendar,
            f"text/calendar; method={message.calendar_method}",
        )
    return email


def notify_event_change(event_id: int, sequence: int) -> int:
    """Tell registrants with an email that the event changed. Safe to run twice:
    the Seats row records the sequence already announced. Returns how many."""
    claimed = Seats.objects.filter(pk=event_id, notified_sequence__lt=sequence).update(
        notified_sequence=sequence
    )
    if not claimed:
        return 0
    waiting = (
        Registration.objects.filter(event_id=event_id)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(email="")
        .select_related("event", "event__venue")
    )
    count = 0
    for registration in waiting.iterator(chunk_size=500):
        with transaction.atomic():
            messages.queue_event_change(registration)
        count += 1
    return count


def send_pending_messages() -> int:
    """Send what is still in the outbox (scheduled every minute). Returns how many."""
    stale = timezone.now() - CLAIM_TIMEOUT
    pending = OutboundMessage.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    ).values_list("pk", flat=True)
    sent = 0
    for message_id in list(pending[:500]):
        try:
            send_message(message_id)
        except Exception:  # send_message logged it; the next sweep tries again
            logger.info("sweep: message %s stays in the outbox", message_id)
        else:
            sent += 1
    return sent
