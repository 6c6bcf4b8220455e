"""Demo headcounts for the Status for All day of action.

Two marshals ("marshal-north" and "marshal-south") at the Toronto rally's two
gates, and a few invented registrations (no names, no e-mails) in every city,
so the roll-up has figures to show. Safe to run again: registrations carry an
idempotency key, assignments are updated in place. The marshals get no
password here: ``manage.py create_marshal`` sets one and prints it.
"""

from django.contrib.auth import get_user_model

from attendance import services
from events.models import Event
from registrations import services as registration_services

RALLY = "status-for-all-toronto-rally"
MARSHALS = {"marshal-north": "North gate", "marshal-south": "South gate"}
PARTIES = (1, 2, 1, 3, 1, 1, 2, 4, 1, 2, 1, 1)  # party sizes of the demo registrations


def load_attendance_demo() -> dict[str, int]:
    events = list(Event.objects.filter(campaign__slug="status-for-all").order_by("pk"))
    registrations = sum(_register(event, index) for index, event in enumerate(events))
    rally = next((event for event in events if event.slug == RALLY), None)
    if rally is not None:
        for username, gate in MARSHALS.items():
            user, created = get_user_model().objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save()
            services.assign_marshal(event=rally, username=username, gate=gate)
    return {"marshals": len(MARSHALS), "registrations": registrations}


def _register(event: Event, index: int) -> int:
    count = 0
    for number, party in enumerate(PARTIES[: 6 + index % 7]):
        try:
            registration_services.register_attendee(
                event=event, party_size=party, idempotency_key=f"demo-{event.slug}-{number}"
            )
        except registration_services.RegistrationError:
            return count  # closed or over: the demo dates moved, nothing to add
        count += 1
    return count
