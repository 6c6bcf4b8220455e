"""Background work for interpretation (run by the django-q2 workers)."""

from events.models import Event
from interpretation import services


def notify_event_change(event_id: int, sequence: int) -> int:
    """E-mail the event's interpreters that it moved. Safe to run twice."""
    event = Event.objects.select_related("venue").filter(pk=event_id).first()
    if event is None:
        return 0
    return services.notify_event_change(event=event, sequence=sequence)
