from django.db.models import Count, Q, Sum

from events.models import Event
from registrations.models import Registration, Tally

Status = Registration.Status


def registration_counts(event: Event) -> dict[str, int]:
    """People and registrations per status, in one query."""
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed_people=Sum("party_size", filter=Q(status=Status.CONFIRMED), default=0),
        waitlisted_people=Sum("party_size", filter=Q(status=Status.WAITLISTED), default=0),
        confirmed_registrations=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted_registrations=Count("pk", filter=Q(status=Status.WAITLISTED)),
        cancelled_registrations=Count("pk", filter=Q(status=Status.CANCELLED)),
    )
    # Registrations whose personal data was deleted are counted in the tally.
    tally = Tally.objects.filter(event=event).first()
    if tally is not None:
        for name in counts:
            counts[name] += getattr(tally, name)
    return counts


def registrations_of(event: Event):
    return Registration.objects.filter(event=event).order_by("created_at", "pk")
