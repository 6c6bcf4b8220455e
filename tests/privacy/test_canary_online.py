"""The canary through the rest of the service: Zoom registration and its
webhooks, check-in at the door, reminders. After retention no canary string,
secret or client address is left in the database, the logs or the cache."""

import datetime as dt
import json
import time

import pytest
from django.test import Client
from django.utils import timezone

from attendance import notices
from attendance import services as attendance_services
from events.models import Event
from privacy import services as privacy_services
from registrations.models import Registration
from tests import factories
from tests.privacy.test_canary import (
    ADDRESS,
    CANARY,
    IP_PATTERN,
    canary,
    everything_in_the_cache,
    everything_in_the_database,
    written_logs,  # noqa: F401 (a fixture)
)
from tests.zoomsync.test_webhooks import post
from zoomsync.models import ZoomMeeting, ZoomRegistrant


def joined(meeting_id: int, registrant_id: str, number: int) -> bytes:
    participant = {
        "user_id": str(1000 + number),
        "user_name": canary(f"zoomname{number}"),
        "email": f"{canary('zoommail')}{number}@example.org",
        "join_time": "2026-12-01T19:01:00Z",
        "participant_uuid": canary(f"uuid{number}"),
    }
    if registrant_id:
        participant["registrant_id"] = registrant_id
    body = {
        "event": "meeting.participant_joined",
        "event_ts": int(time.time() * 1000),
        "payload": {
            "account_id": "acct",
            "object": {"id": str(meeting_id), "participant": participant},
        },
    }
    return json.dumps(body).encode()


@pytest.mark.django_db(transaction=True)
def test_nothing_personal_survives_zoom_check_in_and_reminders(
    zoom_server,
    organization,
    written_logs,  # noqa: F811
):
    soon = timezone.now() + dt.timedelta(hours=20)
    clinic = factories.make_event(
        organization,
        format=Event.Format.ONLINE,
        title="Legal clinic",
        kind=Event.Kind.INFORMATION_SESSION,
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=2),
    )
    rally = factories.make_event(
        organization, starts_at=soon, ends_at=soon + dt.timedelta(hours=2), title="Rally"
    )
    visitor = Client(REMOTE_ADDR=ADDRESS)
    for number, event in enumerate([clinic, clinic, rally]):
        response = visitor.post(
            f"/events/{event.slug}/register/",
            {
                "name": canary(f"name{number}"),
                "email": f"{canary('mail')}{number}@example.org",
                "party_size": 1,
                "message_language": "es",
                "accessibility_needs": canary(f"needs{number}"),
                "consent_to_updates": "on",
            },
        )
        assert response.status_code == 200

    # Zoom gave the clinic's people personal links; one joins, with a stranger.
    people = list(ZoomRegistrant.objects.filter(registration__event=clinic))
    assert len(people) == 2 and all(person.join_url for person in people)
    meeting_id = ZoomMeeting.objects.get(event=clinic).meeting_id
    zoom = Client(REMOTE_ADDR=ADDRESS)
    assert post(zoom, joined(meeting_id, people[0].registrant_id, 1)).status_code == 204
    assert post(zoom, joined(meeting_id, "", 2)).status_code == 204

    # At the door of the rally, a marshal checks the third person in.
    guest = Registration.objects.get(event=rally)
    code = attendance_services.checkin_code_for(registration=guest)
    attendance_services.check_in(event=rally, code=code, occurrence=rally.starts_at)

    # The one-hour reminders go out.
    assert notices.send_due_reminders(now=soon - dt.timedelta(minutes=30)) == 3

    later = rally.last_ends_at + dt.timedelta(days=31)
    report = privacy_services.purge_expired(later)
    assert report["registrations"] == 3
    assert not Registration.objects.exists()

    stores = {
        "database": everything_in_the_database(),
        "logs": written_logs.getvalue(),
        "cache": everything_in_the_cache(),
    }
    assert "Legal clinic" in stores["database"]
    assert "personal data deleted" in stores["logs"]
    for name, text in stores.items():
        assert CANARY not in text, f"a canary string is left in the {name}"
        assert not IP_PATTERN.search(text), f"the client's address is in the {name}"
        for person in people:
            assert person.registrant_id not in text, f"a Zoom registrant id is in the {name}"
            assert person.join_url not in text, f"a personal join link is in the {name}"
        assert code not in text, f"a check-in code is in the {name}"
