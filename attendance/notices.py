"""Reminders and updates e-mailed to registrants, each exactly once.

Recipients are handled in batches of BATCH_SIZE. For each batch, one
transaction records a ``Delivery`` row per registration and message and puts
the e-mails in the outbox (registrations.messages). The unique constraint on
``Delivery`` is what makes a second run, or two runs at the same moment,
queue nothing twice: a batch that collides is rolled back and done again
without the registrations already served.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attendance.models import Delivery, ReminderPlan
from events.models import Event, EventUpdate, OnlineMeeting
from registrations.messages import send_later, stop_updates_url
from registrations.models import OutboundMessage, Registration

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
DEFAULT_HOURS = (24, 1)
MAX_HOURS = 168


def plan_for(event: Event) -> ReminderPlan:
    plan = ReminderPlan.objects.filter(event=event).first()
    return plan or ReminderPlan(event=event, hours_before=", ".join(map(str, DEFAULT_HOURS)))


def parse_hours(text: str) -> list[int]:
    """'24, 1' -> [24, 1]; raises ValidationError with a message a person can act on."""
    hours = []
    for word in text.replace(",", " ").split():
        if not word.isdigit() or not 1 <= int(word) <= MAX_HOURS:
            raise ValidationError(
                _("“%(word)s”: give whole hours between 1 and %(max)s, separated by commas.")
                % {"word": word, "max": MAX_HOURS}
            )
        hours.append(int(word))
    return sorted(set(hours), reverse=True)


def plan_hours(plan: ReminderPlan) -> list[int]:
    return parse_hours(plan.hours_before)


def due_reminders(event: Event, now: dt.datetime) -> tuple[dt.datetime, list[int]] | None:
    """(occurrence start, hours whose moment has passed) for the next occurrence, or None."""
    hours = plan_hours(plan_for(event))
    if not hours or event.status != Event.Status.SCHEDULED:
        return None
    upcoming = [start for start, _end in event.occurrences(after=now, limit=2) if start > now]
    if not upcoming:
        return None
    start = upcoming[0]
    due = [h for h in hours if start - dt.timedelta(hours=h) <= now]
    return (start, due) if due else None


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Queue every reminder whose moment has come. Returns how many e-mails."""
    now = now or timezone.now()
    candidates = Event.objects.filter(
        status=Event.Status.SCHEDULED,
        last_ends_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=MAX_HOURS),
    ).select_related("venue")
    total = 0
    for event in candidates.iterator(chunk_size=100):
        found = due_reminders(event, now)
        if found is not None:
            total += queue_reminders(event=event, occurrence=found[0], hours=found[1])
    return total


def queue_reminders(*, event: Event, occurrence: dt.datetime, hours: list[int]) -> int:
    """One reminder per confirmed registration with an email for this occurrence.

    When several reminder moments have passed (someone registered an hour
    before the start), only one e-mail goes out and every moment is marked.
    """
    nearest = min(hours)
    # The nearest moment decides; the others are marked so they never follow.
    keys = [f"reminder:{occurrence.isoformat()}:{h}" for h in sorted(hours)]
    # Someone who registered after that moment was just told everything.
    recipients = Registration.objects.filter(
        event=event,
        status=Registration.Status.CONFIRMED,
        created_at__lte=occurrence - dt.timedelta(hours=nearest),
    ).exclude(email="")
    context = reminder_context(event, occurrence)
    count = deliver(recipients, keys, lambda r: render_reminder(r, context))
    logger.info("reminders for event %s at %s: %s queued", event.pk, occurrence.isoformat(), count)
    return count


def queue_update(*, update: EventUpdate) -> int:
    """E-mail an update to registrants (not cancelled) who asked for updates."""
    recipients = (
        Registration.objects.filter(event_id=update.event_id, consent_to_updates=True)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(email="")
    )
    context = {"event": update.event, "update": update, "event_url": event_url(update.event)}
    count = deliver(
        recipients,
        [f"update:{update.pk}"],
        lambda r: render("update", r, {**context, "stop_url": stop_updates_url(r)}),
    )
    logger.info("update %s of event %s: %s queued", update.pk, update.event_id, count)
    return count


def deliver(recipients, keys: list[str], render_message) -> int:
    """Queue one message per recipient not yet served for ``keys[0]``, in batches;
    mark every key as served for them."""
    queued, last_pk = 0, 0
    while True:
        batch = list(recipients.filter(pk__gt=last_pk).order_by("pk")[:BATCH_SIZE])
        if not batch:
            return queued
        for _attempt in range(5):
            try:
                queued += _deliver_batch(batch, keys, render_message)
                break
            except IntegrityError:
                continue  # another run served some of them meanwhile: look again
        else:
            # Left for the next run (the schedule repeats); nothing was sent twice.
            logger.warning(
                "%s: a batch after registration %s stays for the next run", *keys[:1], last_pk
            )
        last_pk = batch[-1].pk


def _deliver_batch(batch: list[Registration], keys: list[str], render_message) -> int:
    with transaction.atomic():
        served = set(
            Delivery.objects.filter(registration__in=batch, key__in=keys).values_list(
                "registration_id", "key"
            )
        )
        todo = [r for r in batch if (r.pk, keys[0]) not in served]
        Delivery.objects.bulk_create(
            [
                Delivery(registration=r, key=key)
                for r in todo
                for key in keys
                if (r.pk, key) not in served
            ]
        )
        messages = OutboundMessage.objects.bulk_create(
            [OutboundMessage(to=r.email, **render_message(r)) for r in todo]
        )
        ids = [m.pk for m in messages]
        transaction.on_commit(lambda: [send_later(message_id) for message_id in ids])
    return len(ids)


def event_url(event: Event) -> str:
    return settings.SITE_URL + event.get_absolute_url()


def reminder_context(event: Event, occurrence: dt.datetime) -> dict:
    duration = event.ends_at - event.starts_at
    meeting = OnlineMeeting.objects.filter(event=event).first() if event.is_online else None
    share = (
        meeting is not None
        and bool(meeting.join_url)
        and not event.is_anonymous
        and plan_for(event).include_join_link
    )
    return {
        "event": event,
        "starts": occurrence.astimezone(event.zone),
        "ends": (occurrence + duration).astimezone(event.zone),
        "event_url": event_url(event),
        "join_url": meeting.join_url if share else "",
        "passcode": meeting.passcode if share else "",
    }


def render_reminder(registration: Registration, context: dict) -> dict:
    return render("reminder", registration, context)


def render(kind: str, registration: Registration, context: dict) -> dict:
    context = {**context, "registration": registration}
    with translation.override(registration.message_language):
        subject = render_to_string(f"attendance/emails/{kind}_subject.txt", context).strip()
        body = render_to_string(f"attendance/emails/{kind}.txt", context)
    return {"subject": subject[:255], "body": body}
