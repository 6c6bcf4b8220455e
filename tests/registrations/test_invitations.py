"""Calendar invitations by e-mail: confirmation, updates, cancellations."""

import datetime as dt

import icalendar
import pytest

from events import services as event_services
from events.models import Event
from registrations import services
from registrations.models import Registration
from registrations.tasks import notify_event_change
from tests import factories


def calendar_of(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name == "event.ics"
    calendar = icalendar.Calendar.from_ical(content)
    assert mimetype == f"text/calendar; method={calendar['method']}"
    return calendar


def summary(message) -> tuple:
    calendar = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    return str(calendar["method"]), event["sequence"], str(event["status"])


@pytest.fixture
def event(organization):
    return factories.make_event(organization, title="Legal information session", capacity=2)


@pytest.fixture
def registered(event, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.register_attendee(event=event, email="ana@example.org")
        services.register_attendee(event=event, email="ben@example.org")
        services.register_attendee(event=event)  # no email: nothing to send
    mailoutbox.clear()
    return event


def test_confirmation_carries_the_invitation(event, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.register_attendee(event=event, email="ana@example.org")
    [message] = mailoutbox
    assert summary(message) == ("REQUEST", 0, "CONFIRMED")
    [component] = calendar_of(message).walk("VEVENT")
    assert str(component["uid"]) == f"event-{event.pk}@127.0.0.1"
    assert "ORGANIZER" not in component and "ATTENDEE" not in component


def test_changed_time_sends_an_update_with_the_higher_sequence(
    registered, django_capture_on_commit_callbacks, mailoutbox
):
    registered.starts_at += dt.timedelta(hours=1)
    registered.ends_at += dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=registered)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert {summary(message) for message in mailoutbox} == {("REQUEST", 1, "CONFIRMED")}
    assert mailoutbox[0].subject == "Changed: Legal information session"


def test_new_title_alone_sends_nothing(registered, django_capture_on_commit_callbacks, mailoutbox):
    registered.title = "Legal session"
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=registered)
    assert mailoutbox == []


def test_cancelled_event_sends_a_cancellation(
    registered, django_capture_on_commit_callbacks, mailoutbox
):
    registered.status, registered.status_reason = Event.Status.CANCELLED, "The hall flooded."
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=registered)
    assert {summary(message) for message in mailoutbox} == {("CANCEL", 1, "CANCELLED")}
    assert "The hall flooded." in mailoutbox[0].body


def test_cancelled_registration_gets_a_cancellation_and_no_later_updates(
    registered, django_capture_on_commit_callbacks, mailoutbox
):
    ana = Registration.objects.get(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=ana)
    [message] = mailoutbox
    assert (message.to, summary(message)) == (["ana@example.org"], ("CANCEL", 0, "CANCELLED"))
    mailoutbox.clear()
    registered.starts_at += dt.timedelta(hours=2)
    registered.ends_at += dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=registered)
    assert [message.to for message in mailoutbox] == [["ben@example.org"]]


def test_announcing_the_same_change_twice_sends_once(
    registered, django_capture_on_commit_callbacks, mailoutbox
):
    registered.starts_at += dt.timedelta(hours=1)
    registered.ends_at += dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=registered)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_event_change(registered.pk, 1) == 0  # the task ran again
    assert len(mailoutbox) == 2
