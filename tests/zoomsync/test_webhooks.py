"""/zoom/webhook/: signed, fresh, once; live counts without names."""

import hashlib
import hmac
import json
import time

import pytest

from events import signals as event_signals
from events.models import Event
from registrations import services as registration_services
from registrations.models import Registration
from tests import factories
from zoomsync.models import WebhookDelivery, ZoomMeeting, ZoomRegistrant
from zoomsync.webhooks import signature

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "webhook-secret-for-tests"


def delivery(kind: str, meeting_id: int, *, registrant_id: str = "", stamp: float | None = None):
    participant = {
        "user_id": "16778240",
        "user_name": "Qzxcanary Person",
        "email": "qzxcanary@example.org",
        "join_time": "2026-12-01T19:01:00Z",
        "participant_uuid": "abc",
    }
    if registrant_id:
        participant["registrant_id"] = registrant_id
    body = {
        "event": kind,
        "event_ts": int((stamp or time.time()) * 1000),
        "payload": {
            "account_id": "acct-test",
            "object": {"id": str(meeting_id), "uuid": "uuid==", "participant": participant},
        },
    }
    return json.dumps(body).encode()


def post(client, raw: bytes, *, timestamp: str | None = None, signed: str | None = None):
    timestamp = timestamp if timestamp is not None else str(int(time.time()))
    headers = {"HTTP_X_ZM_REQUEST_TIMESTAMP": timestamp}
    signed = signature(SECRET, timestamp, raw) if signed is None else signed
    if signed:
        headers["HTTP_X_ZM_SIGNATURE"] = signed
    return client.post("/zoom/webhook/", raw, content_type="application/json", **headers)


@pytest.fixture
def assembly(zoom_server, organization):
    return factories.make_assembly(organization)


@pytest.fixture
def counts():
    seen = []

    def listener(sender, *, event, now, peak, **kwargs):
        seen.append((event.pk, now, peak))

    event_signals.online_count_changed.connect(listener, dispatch_uid="test-counts")
    yield seen
    event_signals.online_count_changed.disconnect(dispatch_uid="test-counts")


def test_url_validation_is_answered(zoom_server, client, db):
    raw = json.dumps(
        {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}}
    ).encode()
    response = post(client, raw)
    expected = hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert response.status_code == 200
    assert response.json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


def test_forged_deliveries_are_refused_and_change_nothing(client, assembly, counts):
    meeting_id = ZoomMeeting.objects.get(event=assembly).meeting_id
    raw = delivery("meeting.participant_joined", meeting_id)
    now = int(time.time())
    good = signature(SECRET, str(now), raw)
    forged = [
        post(client, raw, signed=""),  # no signature
        post(client, raw, signed="v0=" + "0" * 64),  # wrong signature
        post(client, raw, signed=signature("another-secret", str(now), raw)),
        post(client, raw, timestamp="", signed=good),  # no timestamp
        post(client, raw, timestamp=str(now - 301)),  # a replay of an old one, though signed
        post(client, raw, timestamp=str(now + 301)),  # from the future, though signed
        post(client, raw.replace(b"joined", b"left"), timestamp=str(now), signed=good),
        post(client, raw + b" ", timestamp=str(now), signed=good),  # changed body
        post(client, raw, timestamp=str(now + 1), signed=good),  # signature of another moment
    ]
    assert [response.status_code for response in forged] == [401] * 9
    assert WebhookDelivery.objects.count() == 0
    assert ZoomMeeting.objects.get(event=assembly).participants_now == 0
    assert counts == []


def test_a_valid_delivery_counts_once_however_often_it_comes(client, assembly, counts):
    meeting_id = ZoomMeeting.objects.get(event=assembly).meeting_id
    joined = delivery("meeting.participant_joined", meeting_id)
    assert post(client, joined).status_code == 204
    # Zoom redelivers the same body with a new timestamp and signature.
    assert post(client, joined, timestamp=str(int(time.time()) - 5)).status_code == 204
    assert post(client, joined).status_code == 204
    assert counts == [(assembly.pk, 1, 1)]
    second = delivery("meeting.participant_joined", meeting_id, stamp=time.time() + 1)
    left = delivery("meeting.participant_left", meeting_id, stamp=time.time() + 2)
    post(client, second)
    post(client, left)
    post(client, left)
    record = ZoomMeeting.objects.get(event=assembly)
    assert (record.participants_now, record.participants_peak) == (1, 2)
    assert counts == [(assembly.pk, 1, 1), (assembly.pk, 2, 2), (assembly.pk, 1, 2)]
    # Only what counting needs is kept: no name, no email.
    kept = json.dumps(list(WebhookDelivery.objects.values()), default=str)
    assert "qzxcanary" not in kept.lower()


def test_a_registrant_who_joins_a_standard_event_is_marked_attended(
    zoom_server, client, organization
):
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    registration_services.register_attendee(event=event, email="ana@example.org")
    person = ZoomRegistrant.objects.get(registration__email="ana@example.org")
    meeting_id = ZoomMeeting.objects.get(event=event).meeting_id
    post(
        client,
        delivery("meeting.participant_joined", meeting_id, registrant_id=person.registrant_id),
    )
    person.refresh_from_db()
    assert person.attended_at is not None
    assert Registration.objects.get(pk=person.registration_id).status == "confirmed"


def test_without_a_webhook_secret_every_delivery_is_refused(settings, client, assembly):
    settings.ZOOM_WEBHOOK_SECRET = ""
    meeting_id = ZoomMeeting.objects.get(event=assembly).meeting_id
    raw = delivery("meeting.participant_joined", meeting_id)
    timestamp = str(int(time.time()))
    assert (
        post(client, raw, timestamp=timestamp, signed=signature("", timestamp, raw)).status_code
        == 401
    )
    assert WebhookDelivery.objects.count() == 0
