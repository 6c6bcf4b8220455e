"""Deleting personal data after events, keeping only counts.

Anonymous events lose their registrations within 24 hours of their end;
other events after their organization's number of days (30 by default).
What is kept is a Tally: people confirmed and waiting, registrations per
status, people checked in, and people per interpretation language. Every
app that keeps something about registrants for an event deletes it when
``events.signals.personal_data_expired`` is sent.

Everything here is idempotent and reports counts only.
"""

import datetime as dt
import logging
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events import signals
from events.models import Event, Organization
from registrations.models import OutboundMessage, Registration, Tally

logger = logging.getLogger(__name__)

Status = Registration.Status
ANONYMOUS_AFTER = dt.timedelta(hours=24)
# The job runs every hour; anonymous events are purged this long after their
# end at the latest, so that "within 24 hours" holds.
ANONYMOUS_MARGIN = dt.timedelta(hours=2)


def expired_events(now: dt.datetime | None = None):
    """Events whose registrations' personal data is due for deletion."""
    now = now or timezone.now()
    due = Q(
        privacy=Event.Privacy.ANONYMOUS,
        last_ends_at__lte=now - (ANONYMOUS_AFTER - ANONYMOUS_MARGIN),
    )
    for organization in Organization.objects.only("pk", "personal_data_days"):
        due |= Q(
            ~Q(privacy=Event.Privacy.ANONYMOUS),
            organization_id=organization.pk,
            last_ends_at__lte=now - dt.timedelta(days=organization.personal_data_days),
        )
    return Event.objects.filter(due).filter(pk__in=Registration.objects.values("event_id"))


@transaction.atomic
def purge_event(event: Event) -> int:
    """Delete the personal data of an event's registrations, keeping counts.

    Returns the number of registrations deleted. Safe to run twice, and
    before the event ends (an organizer's "delete now").
    """
    from registrations.services import lock_seats

    seats = lock_seats(event)  # no registration comes or changes meanwhile
    rows = list(
        Registration.objects.filter(event_id=event.pk).values(
            "status", "party_size", "checked_in_at", "interpretation_language_id", "email"
        )
    )
    tally, _created = Tally.objects.select_for_update().get_or_create(
        event_id=event.pk, defaults={"purged_at": timezone.now()}
    )
    languages = Counter(tally.languages_needed)
    for row in rows:
        size = row["party_size"]
        if row["status"] == Status.CONFIRMED:
            tally.confirmed_people += size
            tally.confirmed_registrations += 1
        elif row["status"] == Status.WAITLISTED:
            tally.waitlisted_people += size
            tally.waitlisted_registrations += 1
        else:
            tally.cancelled_registrations += 1
        if row["checked_in_at"] is not None:
            tally.checked_in_people += size
        if row["interpretation_language_id"] and row["status"] != Status.CANCELLED:
            languages[row["interpretation_language_id"]] += size
    tally.languages_needed = dict(sorted(languages.items()))
    tally.purged_at = timezone.now()
    tally.save()
    signals.personal_data_expired.send(sender=Event, event=event)
    emails = {row["email"] for row in rows if row["email"]}
    if emails:
        OutboundMessage.objects.filter(to__in=emails).delete()
    _total, per_model = Registration.objects.filter(event_id=event.pk).delete()
    deleted = per_model.get(Registration._meta.label, 0)
    # The confirmed seats stay taken (the tally holds those people); the
    # waiting line is gone with its rows.
    seats.waiting = 0
    seats.save(update_fields=["waiting"])
    return deleted


def purge_expired(now: dt.datetime | None = None) -> dict[str, int]:
    """Purge every event that is due. Returns counts only."""
    events = registrations = 0
    for event in expired_events(now).iterator():
        registrations += purge_event(event)
        events += 1
    report = {"events": events, "registrations": registrations}
    logger.info("personal data deleted: %(events)s events, %(registrations)s registrations", report)
    return report
