"""Background work for registrations (run by the django-q2 workers)."""

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from registrations.models import OutboundMessage

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
        send_mail(message.subject, message.body, None, [message.to])
    except Exception:
        OutboundMessage.objects.filter(pk=message_id).update(
            claimed_at=None, attempts=message.attempts + 1
        )
        logger.warning("message %s not sent yet (attempt %s)", message_id, message.attempts + 1)
        raise
    message.delete()


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
