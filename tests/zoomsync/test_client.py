"""events.zoom: the zoomus wrapper, against the Zoom-compatible server."""

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import requests

from events import zoom
from tests.zoom_server import Fault


@pytest.fixture
def client(zoom_server, db):
    return zoom.client()


def new_meeting(client, **changes):
    values = {
        "topic": "Assembly",
        "start": dt.datetime(2026, 12, 1, 19, 0, tzinfo=ZoneInfo("America/Toronto")),
        "duration_minutes": 120,
        "timezone": "America/Toronto",
        "agenda": "ref:test",
        "settings": zoom.meeting_settings(registration=True, anonymous=False),
        **changes,
    }
    return client.create_meeting(**values)


def test_start_time_goes_out_in_utc(client, zoom_server):
    meeting = new_meeting(client)
    # 7 pm in Toronto (UTC-5 in December) is midnight UTC.
    assert zoom_server.ledger.meetings[meeting.id]["start_time"] == "2026-12-02T00:00:00Z"


def test_naive_start_is_refused(client, zoom_server):
    with pytest.raises(ValueError):
        new_meeting(client, start=dt.datetime(2026, 12, 1, 19, 0))
    assert zoom_server.api_calls() == []


def test_token_is_reused_then_renewed_once_on_401(client, zoom_server):
    meeting = new_meeting(client)
    client.get_meeting(meeting.id)
    assert zoom_server.token_requests == 1
    zoom_server.expire_tokens()
    assert client.get_meeting(meeting.id).id == meeting.id
    assert zoom_server.token_requests == 2


def test_wrong_credentials_are_a_permanent_error(settings, zoom_server, db):
    settings.ZOOM_CLIENT_SECRET = "not-the-secret"
    with pytest.raises(zoom.PermanentError):
        new_meeting(zoom.client())
    assert zoom_server.api_calls() == []


def test_token_request_has_a_timeout(settings, db):
    # A server that accepts the connection and never answers.
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    settings.ZOOM_OAUTH_URL = f"http://127.0.0.1:{port}/oauth/token"
    settings.ZOOM_TIMEOUT = 0.3
    started = time.monotonic()
    with pytest.raises(zoom.TemporaryError):
        zoom.request_token(zoom.config_from_settings())
    assert time.monotonic() - started < 2
    listener.close()


def test_server_errors_are_temporary_and_maybe_applied(client, zoom_server):
    zoom_server.plan(Fault("error", status=503))
    with pytest.raises(zoom.TemporaryError) as caught:
        new_meeting(client)
    assert (caught.value.status, caught.value.maybe_applied) == (503, True)


def test_a_late_answer_is_temporary_though_the_work_was_done(client, zoom_server):
    zoom_server.plan(Fault("hang_after", seconds=2.0))
    started = time.monotonic()
    with pytest.raises(zoom.TemporaryError) as caught:
        new_meeting(client)
    assert time.monotonic() - started < 1.9
    assert caught.value.maybe_applied is True
    assert len(zoom_server.ledger.meetings) == 1


def test_missing_meeting_is_not_found(client, zoom_server):
    with pytest.raises(zoom.NotFound):
        client.get_meeting(12345678901)
    assert client.delete_meeting(12345678901) is False


def test_short_retry_after_is_waited_out_before_the_next_call(client, zoom_server):
    meeting = new_meeting(client)
    zoom_server.plan(Fault("limit", seconds=1))
    started = time.monotonic()
    assert client.get_meeting(meeting.id).id == meeting.id
    assert time.monotonic() - started >= 1.0
    assert zoom_server.ledger.early_calls == []
    assert [call.status for call in zoom_server.api_calls()] == [201, 429, 200]


def test_long_retry_after_is_left_to_the_caller_and_nobody_calls_before_it(
    settings, zoom_server, db
):
    settings.ZOOM_MAX_INLINE_WAIT = 0.5
    client = zoom.client()
    meeting = new_meeting(client)
    zoom_server.plan(Fault("limit", seconds=2))
    with pytest.raises(zoom.RateLimited) as caught:
        client.get_meeting(meeting.id)
    assert caught.value.retry_after == 2
    # Another worker of the account waits too: no request leaves.
    with pytest.raises(zoom.RateLimited):
        zoom.client().get_meeting(meeting.id)
    assert len(zoom_server.api_calls()) == 2
    assert zoom_server.ledger.early_calls == []


def test_retry_after_as_http_date():
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    header = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 28 <= zoom.parse_retry_after(header) <= 31
    assert zoom.parse_retry_after(None) == 1.0
    assert zoom.parse_retry_after("7") == 7.0


def test_pacing_keeps_to_the_rate(settings, zoom_server, db):
    """At 20 a second, with at most 3 slots left unused a moment ago taken late."""
    settings.ZOOM_REQUESTS_PER_SECOND = 20
    client = zoom.client()
    meeting = new_meeting(client)
    started = time.monotonic()
    for _ in range(40):
        client.get_meeting(meeting.id)
    assert time.monotonic() - started >= (40 - 3) / 20
    moments = [call.at for call in zoom_server.api_calls()]
    busiest = max(sum(1 for m in moments if start <= m < start + 1) for start in moments)
    assert busiest <= 20 + 3


def test_registrant_gets_personal_link_and_can_be_found_and_cancelled(client, zoom_server):
    meeting = new_meeting(client)
    registrant = client.add_registrant(meeting.id, email="ana@example.org", first_name="Ana")
    assert registrant.join_url.startswith("https://")
    found = client.find_registrant(meeting.id, email="ANA@example.org")
    assert (found.id, found.join_url) == (registrant.id, registrant.join_url)
    client.cancel_registrant(meeting.id, registrant_id=registrant.id, email="ana@example.org")
    assert client.find_registrant(meeting.id, email="ana@example.org") is None


def test_interpreters_use_language_names(client, zoom_server):
    settings_ = zoom.meeting_settings(registration=False, anonymous=True)
    settings_.update(
        zoom.interpretation_settings(
            spoken=[("li@example.org", "English", "Spanish")],
            signed=[("sam@example.org", "American Sign Language")],
        )
    )
    meeting = new_meeting(client, settings=settings_)
    stored = zoom_server.ledger.meetings[meeting.id]["settings"]
    assert stored["language_interpretation"] == {
        "enable": True,
        "interpreters": [{"email": "li@example.org", "interpreter_languages": "English,Spanish"}],
    }
    assert stored["sign_language_interpretation"] == {
        "enable": True,
        "interpreters": [{"email": "sam@example.org", "sign_language": "American Sign Language"}],
    }


def test_server_refuses_what_the_contract_does_not_know(zoom_server, db):
    """The server's checks can fail: an undocumented field, a bad type, a wrong path."""
    token = requests.post(
        zoom_server.url + "/oauth/token",
        params={"grant_type": "account_credentials", "account_id": zoom_server.account_id},
        auth=(zoom_server.client_id, zoom_server.client_secret),
        timeout=5,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    api = zoom_server.url + "/v2"
    bad_field = requests.post(
        api + "/users/me/meetings", json={"topic": "x", "nickname": "y"}, headers=headers, timeout=5
    )
    bad_type = requests.post(
        api + "/users/me/meetings",
        json={"topic": "x", "settings": {"approval_type": 7}},
        headers=headers,
        timeout=5,
    )
    no_path = requests.get(api + "/meetings/1/attendees", headers=headers, timeout=5)
    assert (bad_field.status_code, bad_type.status_code, no_path.status_code) == (400, 400, 404)
    assert len(zoom_server.ledger.violations) == 3
    zoom_server.ledger.violations.clear()


@pytest.mark.redis
def test_workers_sharing_redis_keep_to_the_rate_together(settings, zoom_server, shared_redis, db):
    """Three workers at once, 45 requests at 20 a second: together they never
    go faster than the rate (plus the few late moments allowed)."""
    settings.ZOOM_REQUESTS_PER_SECOND = 20
    meeting = new_meeting(zoom.client())
    first_call = len(zoom_server.api_calls())

    def worker():
        client = zoom.client()
        for _ in range(15):
            client.get_meeting(meeting.id)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= (45 - 3) / 20
    moments = [call.at for call in zoom_server.api_calls()[first_call:]]
    busiest = max(sum(1 for m in moments if start <= m < start + 1) for start in moments)
    assert busiest <= 20 + 2


@pytest.mark.redis
def test_a_retry_after_holds_every_worker_through_redis(settings, zoom_server, shared_redis, db):
    settings.ZOOM_MAX_INLINE_WAIT = 0.5
    meeting = new_meeting(zoom.client())
    zoom_server.plan(Fault("limit", seconds=2))
    with pytest.raises(zoom.RateLimited) as caught:
        zoom.client().get_meeting(meeting.id)
    assert caught.value.retry_after == 2
    with pytest.raises(zoom.RateLimited) as again:
        zoom.client().get_meeting(meeting.id)  # another worker: told to wait, sends nothing
    assert 1 < again.value.retry_after <= 2
    assert len(zoom_server.api_calls()) == 2
    time.sleep(2)
    assert zoom.client().get_meeting(meeting.id).id == meeting.id
    assert zoom_server.ledger.early_calls == []
