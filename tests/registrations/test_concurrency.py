"""Capacity under real concurrency: PostgreSQL and a multi-process server."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from registrations import services
from registrations.models import Registration, Seats
from tests import factories
from tests.concurrency import run_at_once
from tests.live_server import gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Registration.Status
REQUESTS = 200


def post_json(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def register_all_at_once(base_url: str, event_id: int) -> list[int]:
    """Send REQUESTS registrations, all released at the same moment."""
    barrier = threading.Barrier(REQUESTS)
    url = f"{base_url}/api/events/{event_id}/registrations/"

    def one(_):
        barrier.wait(timeout=30)
        return post_json(url, {"party_size": 1})

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return list(pool.map(one, range(REQUESTS)))


def people(event, status) -> int:
    return sum(
        Registration.objects.filter(event=event, status=status).values_list("party_size", flat=True)
    )


@pytest.fixture
def nearly_full_event(organization):
    """Capacity 50 with 40 people confirmed: the last 10 seats are left."""
    event = factories.make_event(organization, capacity=50)
    for _ in range(4):
        services.register_attendee(event=event, party_size=10)
    return event


def test_last_seats_go_to_exactly_as_many_people(nearly_full_event):
    with gunicorn() as url:
        codes = register_all_at_once(url, nearly_full_event.pk)
    assert sorted(set(codes)) == [201]
    assert people(nearly_full_event, Status.CONFIRMED) == 50
    assert people(nearly_full_event, Status.WAITLISTED) == REQUESTS - 10


def test_without_the_guard_the_same_load_overbooks(nearly_full_event):
    # The control: the plain count-then-insert (a test-only setting) lets
    # concurrent requests all see free seats. If this ever stops overbooking,
    # the test above proves nothing.
    with gunicorn(REGISTRATION_UNGUARDED="1") as url:
        codes = register_all_at_once(url, nearly_full_event.pk)
    assert sorted(set(codes)) == [201]
    assert people(nearly_full_event, Status.CONFIRMED) > 50


def test_two_cancellations_at_once_leave_no_seat_free_while_people_wait(organization):
    event = factories.make_event(organization, capacity=2)
    first = services.register_attendee(event=event).registration
    second = services.register_attendee(event=event).registration
    for _ in range(3):
        services.register_attendee(event=event)

    def cancel(registration):
        return lambda: services.cancel_registration(
            registration=Registration.objects.get(pk=registration.pk)
        )

    run_at_once(cancel(first), cancel(second))
    assert people(event, Status.CONFIRMED) == 2
    assert people(event, Status.WAITLISTED) == 1
    assert Seats.objects.get(pk=event.pk).confirmed == 2


def test_a_body_sent_in_chunks_is_refused_by_the_real_server(organization):
    """gunicorn passes a chunked body on without a Content-Length, which Django
    would read as empty: the person would be registered with none of their answers."""
    import http.client
    from urllib.parse import urlsplit

    event = factories.make_event(organization, capacity=50)
    with gunicorn(workers=1, threads=2) as url:
        address = urlsplit(url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        body = iter([b'{"party_size": 4, ', b'"email": "chunked@example.org"}'])
        connection.request(
            "POST",
            f"/api/events/{event.pk}/registrations/",
            body=body,
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        answer = json.loads(response.read())
        connection.close()
    assert response.status == 400
    assert "Content-Length" in answer["non_field_errors"][0]
    assert Registration.objects.filter(event=event).count() == 0
