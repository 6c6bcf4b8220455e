"""Registrants: personal links for standard events, nothing at all for anonymous ones,
and no registration lost or doubled when Zoom misbehaves."""

import collections
import datetime as dt
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services as event_services
from events.models import Event, OnlineMeeting
from registrations import services as registration_services
from registrations.models import Registration
from tests import factories
from tests.zoom_server import Fault
from tests.zoomsync.test_meetings import only_meeting, settle
from zoomsync import services
from zoomsync.models import ZoomJob, ZoomMeeting, ZoomRegistrant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinic(zoom_server, organization):
    """A standard online event with Zoom registration."""
    return factories.make_event(
        organization,
        format=Event.Format.ONLINE,
        title="Legal clinic",
        kind=Event.Kind.INFORMATION_SESSION,
    )


def register(event, **values) -> Registration:
    registration_services.register_attendee(event=event, **values)
    return Registration.objects.filter(event=event).latest("pk")


def registrant_bodies(server) -> list[dict]:
    return [
        json.loads(call.body)
        for call in server.api_calls()
        if call.method == "POST" and call.path.endswith("/registrants")
    ]


def test_a_confirmed_registrant_gets_a_personal_link_with_only_what_zoom_requires(
    zoom_server, clinic
):
    registration = register(
        clinic, name="Ana Silva", email="ana@example.org", accessibility_needs="Captions"
    )
    person = ZoomRegistrant.objects.get(registration=registration)
    meeting = only_meeting(zoom_server)
    [in_zoom] = zoom_server.live_registrants(meeting["id"])
    assert (person.registrant_id, person.join_url) == (in_zoom["id"], in_zoom["join_url"])
    # zoomus repeats the meeting id in the body; the rest is the two required fields.
    assert registrant_bodies(zoom_server) == [
        {"id": meeting["id"], "email": "ana@example.org", "first_name": "Ana Silva"}
    ]


def test_without_an_email_nothing_goes_to_zoom(zoom_server, clinic, settings):
    calls = len(zoom_server.api_calls())
    with CaptureQueriesContext(connection) as with_zoom:
        register(clinic, name="Ana")
    assert len(zoom_server.api_calls()) == calls
    assert ZoomJob.objects.count() == 0
    # Nor does the Zoom sync cost such a registration a query.
    settings.ZOOM_ACCOUNT_ID = ""
    with CaptureQueriesContext(connection) as without_zoom:
        register(clinic, name="Bea")
    assert len(with_zoom) == len(without_zoom)


def test_cancelling_cancels_the_registrant_in_zoom(zoom_server, clinic):
    registration = register(clinic, email="ana@example.org")
    registration_services.cancel_registration(registration=registration)
    assert zoom_server.live_registrants(only_meeting(zoom_server)["id"]) == []
    assert ZoomRegistrant.objects.get(registration=registration).join_url == ""


def test_a_person_promoted_from_the_waiting_line_is_added(zoom_server, organization):
    event = factories.make_event(organization, format=Event.Format.ONLINE, capacity=1)
    first = register(event, email="first@example.org")
    second = register(event, email="second@example.org")
    assert second.status == Registration.Status.WAITLISTED
    assert not ZoomRegistrant.objects.filter(registration=second).exists()
    registration_services.cancel_registration(registration=first)
    emails = [r["email"] for r in zoom_server.live_registrants(only_meeting(zoom_server)["id"])]
    assert emails == ["second@example.org"]
    assert ZoomRegistrant.objects.get(registration=second).join_url.startswith("https://")


def test_people_who_registered_while_zoom_was_down_are_added_once_it_is_back(
    zoom_server, organization
):
    zoom_server.plan(*[Fault("error", status=503)] * 2)
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    register(event, email="ana@example.org")
    register(event, email="li@example.org")
    assert Registration.objects.filter(event=event).count() == 2
    settle()
    emails = sorted(
        r["email"] for r in zoom_server.live_registrants(only_meeting(zoom_server)["id"])
    )
    assert emails == ["ana@example.org", "li@example.org"]


def test_the_manage_page_shows_the_personal_link_in_the_reveal_window(
    zoom_server, organization, client
):
    starts = timezone.now() + dt.timedelta(minutes=10)
    event = factories.make_event(
        organization,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )
    # Without an email there is no personal link: the meeting's link shows.
    token = registration_services.register_attendee(event=event, name="Ana").token
    meeting_link = OnlineMeeting.objects.get(event=event).join_url
    assert meeting_link in client.get(f"/r/{token}/").content.decode()
    registration_services.register_attendee(event=event, name="Li", email="li@example.org")
    li = Registration.objects.get(event=event, email="li@example.org")
    token = registration_services.renew_manage_token(registration=li)
    page = client.get(f"/r/{token}/").content.decode()
    personal = ZoomRegistrant.objects.get(registration=li).join_url
    assert personal in page and meeting_link not in page


def test_nothing_typed_for_an_anonymous_assembly_reaches_zoom(
    zoom_server, organization, client, settings
):
    """200 registrations with a distinctive string in every field, through the form."""
    settings.REGISTRATION_RATE_LIMIT = 1000
    assembly = factories.make_assembly(organization, interpretation=("es",))
    for number in range(200):
        response = client.post(
            f"/events/{assembly.slug}/register/",
            {
                "name": f"Qzxcanary Name {number}",
                "email": f"qzxcanary{number}@example.org" if number % 2 else "",
                "party_size": "1",
                "interpretation_language": "es",
                "message_language": "es",
                "accessibility_needs": f"qzxcanary needs {number}",
                "consent_to_updates": "on",
            },
        )
        assert response.status_code == 200, response.content[:500]
    assert Registration.objects.filter(event=assembly).count() == 200
    meeting = only_meeting(zoom_server)
    assert zoom_server.ledger.registrants[meeting["id"]] == []
    assert ZoomRegistrant.objects.count() == 0
    for call in zoom_server.ledger.received:
        seen = f"{call.method} {call.path}?{call.query}\n{call.headers}\n{call.body}".lower()
        assert "qzxcanary" not in seen
    # They still get the meeting's link, through the manage page's reveal window.
    assert OnlineMeeting.objects.get(event=assembly).join_url == meeting["join_url"]


def test_five_hundred_registrations_under_random_faults_end_with_one_registrant_each(
    zoom_server, clinic
):
    meeting_id = ZoomMeeting.objects.get(event=clinic).meeting_id
    zoom_server.fail_randomly(
        0.12,
        [
            Fault("error", status=500),
            Fault("error", status=503),
            Fault("slow", seconds=0.05),
            Fault("hang_after", seconds=1.5),
            Fault("drop"),
            Fault("limit", seconds=1),
        ],
        seed=18,
    )
    for number in range(500):
        registration_services.register_attendee(
            event=clinic, name=f"Person {number}", email=f"person{number}@example.org"
        )
    settle(limit=120)
    assert ZoomJob.objects.count() == 0
    in_zoom = zoom_server.live_registrants(meeting_id)
    per_email = collections.Counter(r["email"] for r in in_zoom)
    assert len(per_email) == 500 and set(per_email.values()) == {1}
    ours = dict(ZoomRegistrant.objects.values_list("registration__email", "registrant_id"))
    assert ours == {r["email"]: r["id"] for r in in_zoom}
    statuses = collections.Counter(call.status for call in zoom_server.api_calls())
    assert statuses[429] > 0 and statuses[500] > 0 and statuses[503] > 0
    assert set(zoom_server.ledger.faults) == {"error", "slow", "hang_after", "drop", "limit"}
    print(dict(zoom_server.ledger.faults), len(zoom_server.api_calls()), "calls")
    assert zoom_server.ledger.early_calls == []


@pytest.mark.postgres
def test_workers_racing_for_the_same_job_add_the_registrant_once(zoom_server, clinic):
    """While one worker waits for a slow Zoom, the others find the job taken."""
    zoom_server.plan(Fault("error", status=503))
    registration = register(clinic, email="ana@example.org")
    job = ZoomJob.objects.get(registration=registration)
    assert job.state == ZoomJob.State.PENDING
    time.sleep(0.1)  # past its backoff
    zoom_server.plan(Fault("slow", seconds=0.3))  # below the 1 s timeout
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            return services.run_job(job_id=job.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = sorted(pool.map(lambda _: worker(), range(4)))
    assert results == ["done", "skipped", "skipped", "skipped"]
    assert [r["email"] for r in zoom_server.live_registrants(only_meeting(zoom_server)["id"])] == [
        "ana@example.org"
    ]


def test_a_meeting_deleted_in_zoom_is_made_anew_with_everyone_registered(zoom_server, clinic):
    ana = register(clinic, email="ana@example.org")
    gone = only_meeting(zoom_server)
    gone["deleted"] = True  # an organizer deleted it in Zoom's own pages
    # The next person's registration finds the meeting gone...
    li = register(clinic, email="li@example.org")
    settle()
    # ...and so would the next change of the event.
    meeting = only_meeting(zoom_server)
    assert meeting["id"] != gone["id"]
    emails = sorted(r["email"] for r in zoom_server.live_registrants(meeting["id"]))
    assert emails == ["ana@example.org", "li@example.org"]
    for registration in (ana, li):
        person = ZoomRegistrant.objects.get(registration=registration)
        assert person.join_url.startswith("https://")
    assert OnlineMeeting.objects.get(event=clinic).join_url == meeting["join_url"]
    assert not ZoomJob.objects.filter(state=ZoomJob.State.FAILED).exists()

    gone = only_meeting(zoom_server)
    gone["deleted"] = True
    clinic.title = "Legal clinic (new time)"
    event_services.save_event(event=clinic)
    settle()
    assert only_meeting(zoom_server)["topic"] == "Legal clinic (new time)"
    assert len(zoom_server.live_registrants(only_meeting(zoom_server)["id"])) == 2
