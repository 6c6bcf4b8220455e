"""E-mails to interpreters, written in their language, through the outbox.

Each message is stored inside the caller's transaction and a background task
sends it after commit (registrations.tasks.send_message), so it is never sent
for a change that was rolled back, and never lost when the mail server is down.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events import ical
from events.feeds import uid_host
from interpretation.models import Assignment, Interpreter
from registrations.messages import send_later
from registrations.models import OutboundMessage


def page_url(token: str) -> str:
    return settings.SITE_URL + reverse("interpretation:page", kwargs={"token": token})


def queue_link(interpreter: Interpreter, token: str) -> None:
    """The interpreter's secret link, on creation or when it is replaced."""
    _queue(interpreter, "interpreter_link", page_url=page_url(token))


def queue_invitation(assignment: Assignment) -> None:
    _queue(assignment.interpreter, "interpreter_invitation", assignment, method="REQUEST")


def queue_confirmation(assignment: Assignment) -> None:
    _queue(assignment.interpreter, "interpreter_confirmed", assignment, method="REQUEST")


def queue_change(assignment: Assignment) -> None:
    """The event's time, place or status changed: an update, or a cancellation."""
    cancelled = assignment.event.status == assignment.event.Status.CANCELLED
    method = "CANCEL" if cancelled else "REQUEST"
    _queue(assignment.interpreter, "interpreter_change", assignment, method=method)


def queue_cancellation(assignment: Assignment) -> None:
    _queue(assignment.interpreter, "interpreter_cancelled", assignment, method="CANCEL")


def _queue(
    interpreter: Interpreter,
    kind: str,
    assignment: Assignment | None = None,
    *,
    method: str = "",
    **context,
) -> None:
    event = assignment.event if assignment else None
    context = {
        "interpreter": interpreter,
        "assignment": assignment,
        "event": event,
        "event_url": settings.SITE_URL + event.get_absolute_url() if event else "",
        **context,
    }
    with translation.override(interpreter.message_language):
        subject = render_to_string(f"emails/{kind}_subject.txt", context).strip()
        body = render_to_string(f"emails/{kind}.txt", context)
        calendar = attachment(assignment, method) if method else ""
    message = OutboundMessage.objects.create(
        to=interpreter.email,
        subject=subject[:255],
        body=body,
        calendar=calendar,
        calendar_method=method,
    )
    transaction.on_commit(lambda: send_later(message.pk))


def attachment(assignment: Assignment, method: str) -> str:
    """The assignment as a calendar entry: REQUEST adds or updates, CANCEL removes."""
    event = assignment.event
    return ical.calendar_bytes(
        [event],
        feed=ical.Feed(name=event.title, host=uid_host(), method=method),
        url_for=lambda item: settings.SITE_URL + item.get_absolute_url(),
        now=timezone.now(),
        note_for=lambda item: assignment_note(assignment),
        cancelled=lambda item: method == "CANCEL",
    ).decode()


def assignment_note(assignment: Assignment) -> str:
    """The first lines of the calendar entry's description, for the interpreter."""
    note = translation.gettext("Interpreting %(source)s → %(target)s (%(role)s)") % {
        "source": assignment.source.name,
        "target": assignment.target.name,
        "role": assignment.get_role_display(),
    }
    if assignment.event.is_online:
        note += "\n" + translation.gettext("The meeting link is on your interpreter page.")
    return note
