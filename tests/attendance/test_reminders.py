"""Reminders and updates by e-mail: once each, never to cancelled registrations,
in each registrant's language, without personal data in the logs."""

import datetime as dt
import logging
import re

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from attendance import notices, services, tasks
from attendance.models import Delivery
from events.models import Event
from registrations import services as registration_services
from tests import factories
from tests.attendance.conftest import client_for, register
from tests.concurrency import run_at_once


def rally_in(organization, venue, hours: float) -> Event:
    starts = (timezone.now() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)
    return factories.make_event(
        organization, venue=venue, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Send the outbox right after each run, as the worker would after commit."""
    run = notices.send_due_reminders

    def run_and_send(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return run(now)

    return run_and_send


@pytest.fixture
def soon_rally(organization, venue):
    return rally_in(organization, venue, 25)


def registrants(event):
    ana = register(event, email="ana@example.org", message_language="fr")
    ben = register(event, email="ben@example.org")
    cancelled = register(event, email="cy@example.org")
    registration_services.cancel_registration(registration=cancelled)
    register(event)  # no email: nothing to send
    mail.outbox.clear()
    return ana, ben


def test_reminders_go_once_each_at_24_and_1_hours(soon_rally, caplog, remind):
    registrants(soon_rally)
    now = timezone.now()
    caplog.set_level(logging.INFO)
    assert remind(now) == 0  # 25 hours before: not yet
    assert remind(now + dt.timedelta(hours=2)) == 2
    assert remind(now + dt.timedelta(hours=2, minutes=5)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    assert remind(now + dt.timedelta(hours=24, minutes=30)) == 2
    assert remind(now + dt.timedelta(hours=24, minutes=35)) == 0
    assert len(mail.outbox) == 4
    assert "cy@example.org" not in {m.to[0] for m in mail.outbox}
    assert "example.org" not in caplog.text
    assert "reminders for event" in caplog.text


def test_reminder_is_in_the_registrants_language(soon_rally, remind):
    registrants(soon_rally)
    remind(timezone.now() + dt.timedelta(hours=2))
    ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    ben = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    start = soon_rally.starts_at.astimezone(soon_rally.zone)
    with translation.override("fr"):
        weekday_fr = formats.date_format(start, "l")
    assert weekday_fr in ana.body and weekday_fr not in ben.body
    assert formats.date_format(start, "l") in ben.body
    assert ben.subject.startswith("Reminder: ")
    assert soon_rally.venue.full_address in ben.body


def test_late_registrant_gets_one_reminder_not_two(organization, venue, remind):
    event = rally_in(organization, venue, 3)  # the 24-hour moment has passed
    register(event, email="dee@example.org")
    mail.outbox.clear()
    later = timezone.now() + dt.timedelta(hours=2, minutes=30)
    assert remind(later) == 1
    assert remind(later) == 0
    assert Delivery.objects.count() == 2  # both moments marked


def test_reminder_hours_are_configurable_per_event(organizer, soon_rally, remind):
    client = client_for(organizer)
    bad = client.post(f"/dashboard/events/{soon_rally.pk}/reminders/", {"hours_before": "a"})
    assert "give whole hours between 1 and 168" in client.get(bad["Location"]).content.decode()
    client.post(f"/dashboard/events/{soon_rally.pk}/reminders/", {"hours_before": "2"})
    registrants(soon_rally)
    now = timezone.now()
    assert remind(now + dt.timedelta(hours=2)) == 0  # no 24 h any more
    assert remind(now + dt.timedelta(hours=23, minutes=30)) == 2


def test_online_reminder_has_link_only_when_allowed(organization, remind):
    starts = (timezone.now() + dt.timedelta(hours=25)).replace(second=0, microsecond=0)
    online = factories.make_event(
        organization,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )
    from events import services as event_services

    event_services.set_meeting_link(event=online, join_url="https://meet.example.org/j/42")
    register(online, email="ana@example.org")
    mail.outbox.clear()
    remind(timezone.now() + dt.timedelta(hours=2))
    assert "meet.example.org" not in mail.outbox[0].body
    assert "open the personal link you received" in mail.outbox[0].body
    services.save_reminder_plan(event=online, hours_before="1", include_join_link=True)
    remind(timezone.now() + dt.timedelta(hours=24, minutes=30))
    assert "https://meet.example.org/j/42" in mail.outbox[1].body


def test_update_marked_notify_goes_once_to_those_who_asked(
    organizer, rally, django_capture_on_commit_callbacks
):
    asked = register(rally, email="ana@example.org", consent_to_updates=True)
    register(rally, email="ben@example.org")  # did not ask for updates
    gone = register(rally, email="cy@example.org", consent_to_updates=True)
    registration_services.cancel_registration(registration=gone)
    mail.outbox.clear()
    client = client_for(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dashboard/events/{rally.pk}/updates/",
            {"body": "Meet at the north gate.", "notify": "on"},
        )
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [([asked.email], f"Update: {rally.title}")]
    update = rally.updates.get()
    assert tasks.notify_update(update.pk) == 0  # the job running twice sends nothing more
    client.post(f"/dashboard/events/{rally.pk}/updates/", {"body": "Quiet note."})
    assert len(mail.outbox) == 1
    empty = client.post(f"/dashboard/events/{rally.pk}/updates/", {"body": ""})
    assert empty.status_code == 400


def test_an_update_carries_a_link_that_stops_updates(
    organizer, rally, client, django_capture_on_commit_callbacks
):
    asked = register(rally, email="ana@example.org", consent_to_updates=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organizer).post(
            f"/dashboard/events/{rally.pk}/updates/", {"body": "Bring water.", "notify": "on"}
        )
    [message] = mail.outbox
    stop = re.search(r"http://[^/\s]+(/r/[^/\s]+/stop-updates/)", message.body).group(1)
    asking = client.get(stop)
    assert asking.status_code == 200
    assert asking["Cache-Control"] == "no-store"
    assert asking["Referrer-Policy"] == "no-referrer"
    asked.refresh_from_db()
    assert asked.consent_to_updates is True  # opening the link alone changes nothing
    assert client.post(stop).status_code == 200
    asked.refresh_from_db()
    assert asked.consent_to_updates is False
    # The link opens nothing else, and a changed one opens nothing.
    assert client.get(stop.replace("stop-updates/", "")).status_code == 404
    assert client.get(stop[:-15] + "x/stop-updates/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reminder_jobs_at_once_send_each_reminder_once(organization, venue):
    event = rally_in(organization, venue, 25)
    for number in range(450):  # more than two batches
        register(event, email=f"person{number}@example.org")
    mail.outbox.clear()
    later = timezone.now() + dt.timedelta(hours=2)
    counts = []
    run_at_once(*[lambda: counts.append(notices.send_due_reminders(later))] * 3)
    assert sum(counts) == 450
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 450


def test_reminders_are_scheduled_for_the_workers(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="send due reminders")
    assert (schedule.func, schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        "attendance.tasks.send_due_reminders",
        Schedule.MINUTES,
        5,
        -1,
    )
