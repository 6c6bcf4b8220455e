"""Background work for attendance (run by the django-q2 workers)."""

from attendance import notices
from events.models import EventUpdate


def send_due_reminders() -> int:
    """Queue the reminders whose moment has come (scheduled every few minutes)."""
    return notices.send_due_reminders()


def notify_update(update_id: int) -> int:
    """E-mail an update to the registrants who asked for updates. Safe to run twice."""
    update = EventUpdate.objects.select_related("event").filter(pk=update_id).first()
    if update is None or not hasattr(update, "notice"):
        return 0
    return notices.queue_update(update=update)
