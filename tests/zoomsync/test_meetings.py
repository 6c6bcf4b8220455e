"""Meetings follow their events: created when published, updated, cancelled."""

import datetime as dt

import pytest
from django.utils import timezone

from events import services as event_services
from events import signals as event_signals
from events.models import Event, OnlineMeeting
from registrations import services as registration_services
from registrations.reveal import join_details
from tests import factories
from tests.zoom_server import Fault
from zoomsync import services
from zoomsync.models import ZoomJob, ZoomMeeting

pytestmark = pytest.mark.django_db(transaction=True)


def settle(limit: float = 10.0) -> None:
    """Run the sweep until no job waits (what the scheduled sweep does every minute)."""
    deadline = timezone.now() + dt.timedelta(seconds=limit)
    while ZoomJob.objects.filter(state=ZoomJob.State.PENDING).exists():
        assert timezone.now() < deadline, list(ZoomJob.objects.values("kind", "last_error"))
        services.run_due_jobs()


def only_meeting(server) -> dict:
    live = [m for m in server.ledger.meetings.values() if not m.get("deleted")]
    assert len(live) == 1
    return live[0]


def test_publishing_an_online_event_creates_its_meeting_and_link(zoom_server, organization):
    event = factories.make_event(organization, format=Event.Format.ONLINE, title="Legal clinic")
    meeting = only_meeting(zoom_server)
    record = ZoomMeeting.objects.get(event=event)
    link = OnlineMeeting.objects.get(event=event)
    assert (record.meeting_id, link.join_url, link.passcode) == (
        meeting["id"],
        meeting["join_url"],
        meeting["password"],
    )
    assert meeting["topic"] == "Legal clinic"
    assert meeting["settings"]["approval_type"] == 0
    assert record.uses_registration is True
    assert ZoomJob.objects.count() == 0


def test_anonymous_meeting_has_no_registration_a_waiting_room_and_no_recording(
    zoom_server, organization
):
    factories.make_assembly(organization)
    settings_ = only_meeting(zoom_server)["settings"]
    assert (
        settings_["approval_type"],
        settings_["waiting_room"],
        settings_["auto_recording"],
        settings_["meeting_authentication"],
    ) == (2, True, "none", False)


def test_in_person_and_draft_events_get_no_meeting(zoom_server, organization):
    factories.make_event(organization)
    draft = factories.make_event(
        organization, format=Event.Format.ONLINE, visibility=Event.Visibility.DRAFT
    )
    assert zoom_server.api_calls() == []
    draft.visibility = Event.Visibility.LISTED
    event_services.save_event(event=draft)
    assert len(zoom_server.ledger.meetings) == 1


def test_a_change_of_time_or_title_updates_the_same_meeting(zoom_server, organization):
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    event.title = "Assembly, new title"
    event.starts_at += dt.timedelta(hours=1)
    event.ends_at += dt.timedelta(hours=1)
    event_services.save_event(event=event)
    meeting = only_meeting(zoom_server)
    assert meeting["topic"] == "Assembly, new title"
    assert meeting["start_time"] == event.starts_at.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    # Saving again with nothing changed sends nothing (Zoom allows 100 updates a day).
    calls = len(zoom_server.api_calls())
    event_services.save_event(event=event)
    assert len(zoom_server.api_calls()) == calls


def test_the_reveal_window_keeps_its_setting_when_zoom_fills_the_link(zoom_server, organization):
    event = factories.make_event(
        organization, format=Event.Format.ONLINE, visibility=Event.Visibility.DRAFT
    )
    event_services.set_meeting_link(event=event, join_url="", reveal_minutes_before=45)
    event.visibility = Event.Visibility.LISTED
    event_services.save_event(event=event)
    link = OnlineMeeting.objects.get(event=event)
    assert (link.reveal_minutes_before, link.join_url) == (
        45,
        only_meeting(zoom_server)["join_url"],
    )


def test_cancelling_the_event_cancels_the_meeting(zoom_server, organization):
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    meeting_id = ZoomMeeting.objects.get(event=event).meeting_id
    event.status = Event.Status.CANCELLED
    event.status_reason = "The hall is closed."
    event_services.save_event(event=event)
    assert zoom_server.ledger.meetings[meeting_id]["deleted"] is True
    assert ZoomMeeting.objects.get(event=event).meeting_id is None
    assert OnlineMeeting.objects.get(event=event).join_url == ""


def test_a_create_whose_answer_was_lost_is_found_not_repeated(zoom_server, organization):
    zoom_server.plan(Fault("hang_after", seconds=2.0))
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    assert ZoomJob.objects.get().state == ZoomJob.State.PENDING
    settle()
    meeting = only_meeting(zoom_server)
    assert len(zoom_server.ledger.meetings) == 1
    assert ZoomMeeting.objects.get(event=event).meeting_id == meeting["id"]
    assert OnlineMeeting.objects.get(event=event).join_url == meeting["join_url"]


def test_a_job_that_keeps_failing_stops_and_waits_for_an_organizer(
    zoom_server, organization, settings
):
    settings.ZOOM_RETRY_BACKOFF = [0.01, 0.01]
    zoom_server.plan(*[Fault("error", status=500)] * 3)
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    settle()
    job = ZoomJob.objects.get()
    assert (job.state, job.attempts, job.last_error) == (
        ZoomJob.State.FAILED,
        3,
        "Zoom answered 500 (code 500)",
    )
    services.retry_jobs(job_ids=[job.pk])
    assert ZoomJob.objects.count() == 0
    assert ZoomMeeting.objects.get(event=event).meeting_id is not None


def test_interpreters_become_interpretation_channels(zoom_server, organization):
    event = factories.make_assembly(organization, interpretation=("es", "fr"))
    event_signals.interpreters_changed.send(
        sender=None,
        event=event,
        interpreters=[
            ("ana@example.org", "en", "es"),
            ("luc@example.org", "en", "fr"),
            ("sam@example.org", "en", "ase"),
        ],
    )
    settings_ = only_meeting(zoom_server)["settings"]
    assert settings_["language_interpretation"] == {
        "enable": True,
        "interpreters": [
            {"email": "ana@example.org", "interpreter_languages": "English,Spanish"},
            {"email": "luc@example.org", "interpreter_languages": "English,French"},
        ],
    }
    # ASL has no Zoom name in our list: it goes by its English name, as the
    # custom sign language the account must add.
    assert settings_["sign_language_interpretation"]["interpreters"] == [
        {"email": "sam@example.org", "sign_language": "American Sign Language (ASL)"}
    ]
    assert ZoomMeeting.objects.get(event=event).interpretation_applied is True
    event_signals.interpreters_changed.send(sender=None, event=event, interpreters=[])
    assert only_meeting(zoom_server)["settings"]["language_interpretation"] == {
        "enable": False,
        "interpreters": [],
    }


def test_a_plan_without_interpretation_is_noticed(zoom_server, organization):
    zoom_server.interpretation_plan = False
    event = factories.make_assembly(organization)
    event_signals.interpreters_changed.send(
        sender=None, event=event, interpreters=[("ana@example.org", "en", "es")]
    )
    assert ZoomMeeting.objects.get(event=event).interpretation_applied is False


def test_demo_online_events_get_meetings_through_the_same_service(zoom_server, db):
    from events.demo import load_demo

    factories.ensure_languages()
    load_demo()
    online = Event.objects.filter(
        format__in=[Event.Format.ONLINE, Event.Format.HYBRID], status=Event.Status.SCHEDULED
    ).exclude(visibility=Event.Visibility.DRAFT)
    assert online.exists()
    for event in online:
        record = ZoomMeeting.objects.get(event=event)
        assert (
            OnlineMeeting.objects.get(event=event).join_url
            == (zoom_server.ledger.meetings[record.meeting_id]["join_url"])
        )


def test_manual_mode_without_credentials(settings, organization):
    """No Zoom settings: no jobs, no calls; the organizer's link is revealed as before."""
    settings.ZOOM_ACCOUNT_ID = settings.ZOOM_CLIENT_ID = settings.ZOOM_CLIENT_SECRET = ""
    event = factories.make_assembly(organization)
    event_services.set_meeting_link(
        event=event, join_url="https://meet.example.org/j/1", passcode="status4all"
    )
    event_signals.interpreters_changed.send(
        sender=None, event=event, interpreters=[("ana@example.org", "en", "es")]
    )
    registration = registration_services.register_attendee(event=event).registration
    assert ZoomJob.objects.count() == 0
    assert not ZoomMeeting.objects.filter(meeting_id__isnull=False).exists()
    during = event.starts_at - dt.timedelta(minutes=10)
    assert join_details(registration, during).join_url == "https://meet.example.org/j/1"
    assert join_details(registration, during).passcode == "status4all"
