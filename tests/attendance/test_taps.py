"""Marshals' taps: a retried tap counts once, devices add up, per occurrence."""

import datetime as dt
import json
import re
import uuid

import pytest
from rest_framework.test import APIClient

from attendance import selectors, services
from attendance.models import TallyCount, Tap
from tests import factories
from tests.attendance.conftest import client_for
from tests.concurrency import run_at_once


def taps_url(event) -> str:
    return f"/dashboard/events/{event.pk}/taps/"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def tap(direction="in", delta=1, tap_id=None) -> dict:
    return {"id": tap_id or uuid.uuid4().hex, "direction": direction, "delta": delta}


def send(client, event, taps, device="phone-north"):
    body = {"device": device, "taps": taps}
    return client.post(taps_url(event), body, format="json")


def test_retried_request_counts_once(marshal, rally):
    client = api_for(marshal)
    batch = [tap(), tap(), tap("out")]
    first = send(client, rally, batch)
    retried = send(client, rally, batch)
    assert first.status_code == retried.status_code == 200
    assert (first.json()["accepted"], retried.json()["accepted"]) == (3, 0)
    assert retried.json() | {"occurrence": None} == {
        "occurrence": None,
        "accepted": 0,
        "entries": 2,
        "exits": 1,
        "inside": 1,
    }


def test_a_phone_reads_the_totals_of_every_device_between_its_taps(marshal, organizer, rally):
    send(api_for(organizer), rally, [tap(), tap(), tap("out")], device="south")
    when = rally.starts_at.isoformat()
    answer = api_for(marshal).get(taps_url(rally), {"occurrence": when})
    assert answer.status_code == 200
    assert answer.json() | {"occurrence": None} == {
        "occurrence": None,
        "entries": 2,
        "exits": 1,
        "inside": 1,
    }
    later = (rally.starts_at + dt.timedelta(minutes=1)).isoformat()
    refused = api_for(marshal).get(taps_url(rally), {"occurrence": later})
    assert refused.status_code == 400
    assert list(refused.json()) == ["occurrence"]
    assert api_for(marshal).get(taps_url(rally), {"occurrence": "soon"}).status_code == 400


def test_devices_add_up_and_minus_one_undoes(marshal, organizer, rally):
    send(api_for(marshal), rally, [tap(), tap(), tap()], device="north")
    answer = send(api_for(organizer), rally, [tap(), tap("in", -1), tap("out")], device="south")
    assert (answer.json()["entries"], answer.json()["exits"]) == (3, 1)
    figures = selectors.tally(rally, rally.starts_at)
    assert (figures.entries, figures.exits, figures.inside) == (3, 1, 2)


def test_bad_taps_get_field_errors(marshal, rally):
    client = api_for(marshal)
    response = send(client, rally, [{"id": "x", "direction": "sideways", "delta": 5}])
    assert response.status_code == 400
    errors = response.json()["taps"]["0"]
    assert set(errors) == {"id", "direction", "delta"}
    same_id = send(client, rally, [tap(tap_id="a" * 10), tap(tap_id="a" * 10)])
    assert same_id.json() == {"taps": ["Each tap needs its own id."]}
    wrong_occurrence = client.post(
        taps_url(rally),
        {"device": "north", "occurrence": "2020-01-01T00:00:00Z", "taps": [tap()]},
        format="json",
    )
    assert wrong_occurrence.status_code == 400
    assert "occurrence" in wrong_occurrence.json()
    assert Tap.objects.count() == 0


def test_form_posted_twice_counts_once(marshal, rally):
    client = client_for(marshal)
    page = client.get(f"/dashboard/events/{rally.pk}/counter/").content.decode()
    tap_id = re.search(r'name="tap_id" value="([0-9a-f]+)"', page).group(1)
    form = {"tap_id": tap_id, "direction": "in", "delta": "1"}
    for _ in range(2):
        response = client.post(f"/dashboard/events/{rally.pk}/counter/", form)
        assert response.status_code == 302
    page = client.get(f"/dashboard/events/{rally.pk}/counter/").content.decode()
    assert '<strong data-total="inside">1</strong>' in page
    assert 'src="/static/js/tally.js"' in page
    assert "<script>" not in page and "onclick" not in page


def test_recurring_event_counts_per_occurrence(organization, venue, organizer):
    starts = factories.local("America/Toronto", -2, 19)
    nightly = factories.make_event(
        organization,
        venue=venue,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        recurrence="FREQ=DAILY;COUNT=5",
    )
    nights = [start for start, _end in nightly.occurrences(limit=2)]
    client = api_for(organizer)
    for night, count in zip(nights, (4, 7), strict=True):
        taps = [tap() for _ in range(count)]
        body = {"device": "north", "occurrence": night.isoformat(), "taps": taps}
        assert client.post(taps_url(nightly), body, format="json").status_code == 200
    assert [selectors.tally(nightly, night).entries for night in nights] == [4, 7]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_marshals_with_retries_count_exactly(organization, venue):
    rally = factories.make_event(organization, venue=venue)
    phones = [f"phone-{n}" for n in range(8)]
    batches = {phone: [tap() for _ in range(40)] for phone in phones}

    def marshal_sends(phone):
        def job():
            for start in range(0, 40, 10):
                part = [
                    services.TapInput(t["id"], "in", 1) for t in batches[phone][start : start + 10]
                ]
                for _attempt in range(2):  # every request is retried once
                    services.record_taps(
                        event=rally, occurrence=rally.starts_at, device=phone, taps=part
                    )

        return job

    # Two phones replay each other's taps too (a shared queue restored twice).
    def replayer():
        shared = [services.TapInput(t["id"], "in", 1) for t in batches["phone-0"]]
        services.record_taps(event=rally, occurrence=rally.starts_at, device="x", taps=shared)

    run_at_once(*(marshal_sends(phone) for phone in phones), replayer)
    assert selectors.tally(rally, rally.starts_at).entries == 8 * 40
    assert Tap.objects.filter(event=rally).count() == 320
    totals = TallyCount.objects.filter(event=rally).values_list("total", flat=True)
    assert sum(totals) == sum(Tap.objects.filter(event=rally).values_list("delta", flat=True))


def test_counter_json_answers_totals(marshal, rally):
    send(api_for(marshal), rally, [tap(), tap()])
    answer = api_for(marshal).get(taps_url(rally)).json()
    assert (answer["entries"], answer["inside"]) == (2, 2)
    assert json.dumps(answer)


def test_phones_may_sign_in_with_an_api_token(marshal, rally, organization):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=marshal)
    phone = APIClient(headers={"Authorization": f"Token {token.key}"})
    answer = send(phone, rally, [tap(), tap()])
    assert (answer.status_code, answer.json()["entries"]) == (200, 2)
    # An unknown token is refused; so is a known one of a person turned away.
    stranger = APIClient(headers={"Authorization": "Token " + "0" * 40})
    # (403: the session login comes first, and it names no scheme to retry with.)
    assert send(stranger, rally, [tap()]).status_code == 403
    marshal.is_active = False
    marshal.save()
    assert send(phone, rally, [tap()]).status_code == 403
    # A marshal of another event finds nothing here.
    other = factories.make_user(username="elsewhere")
    elsewhere = APIClient(
        headers={"Authorization": f"Token {Token.objects.create(user=other).key}"}
    )
    assert send(elsewhere, rally, [tap()]).status_code == 404
    assert selectors.tally(rally, rally.starts_at).entries == 2
