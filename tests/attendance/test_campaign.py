"""The campaign roll-up, and the demo day of action from the door to the roll-up."""

import io
import json
import re
import uuid

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from attendance import selectors
from attendance.templatetags.attendance_tags import short_moment
from events.models import Campaign, Event
from registrations.models import Registration
from tests import factories
from tests.attendance.conftest import client_for, register

PASSWORD = re.compile(r"password '([^']+)'")
CODE = re.compile(r'<p class="checkin-code">([0-9A-Z]{4}-[0-9A-Z]{4})</p>')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def make_campaign_events(organization, count: int):
    campaign = factories.make_campaign(organization)
    zones = ["America/Toronto", "America/Vancouver", "America/St_Johns", "America/Edmonton"]
    for number in range(count):
        venue = factories.make_venue(organization, city=f"City {number}", name=f"Park {number}")
        factories.make_event(
            organization, venue=venue, campaign=campaign, timezone=zones[number % len(zones)]
        )
    return campaign


def test_rollup_query_count_does_not_grow_with_events(organizer, organization):
    few, many = make_campaign_events(organization, 1), make_campaign_events(organization, 3)
    for event in Event.objects.filter(campaign=many):
        register(event, party_size=2)
    counts = []
    for campaign in (few, many):
        with CaptureQueriesContext(connection) as queries:
            selectors.campaign_rollup(campaign, timezone.now())
        counts.append(len(queries))
    assert counts == [6, 6]  # with the counts kept after personal data is deleted


def test_rollup_json_refreshes_figures(organizer, organization):
    campaign = make_campaign_events(organization, 2)
    client = client_for(organizer)
    page = client.get(f"/dashboard/campaigns/{campaign.slug}/").content.decode()
    assert 'src="/static/js/rollup.js"' in page and "<script>" not in page
    first = Event.objects.filter(campaign=campaign).order_by("starts_at", "pk").first()
    register(first, party_size=3)
    answer = client.get(f"/dashboard/campaigns/{campaign.slug}/figures.json").json()
    assert answer["totals"]["confirmed"] == 3
    assert [row["confirmed"] for row in answer["events"]] == [3, 0]
    assert "<table" in answer["html"]


def login(username: str, password: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/dashboard/login/").content.decode()
    response = client.post(
        "/dashboard/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def command_password(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return PASSWORD.search(out.getvalue()).group(1)


def tap_from_phone(client: Client, event: Event, count: int) -> dict:
    page = client.get(f"/dashboard/events/{event.pk}/counter/").content.decode()
    body = {
        "device": uuid.uuid4().hex,
        "taps": [{"id": uuid.uuid4().hex, "direction": "in", "delta": 1} for _ in range(count)],
    }
    response = client.post(
        f"/dashboard/events/{event.pk}/taps/",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": CSRF.search(page).group(1)},
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_demo_day_of_action_from_the_door_to_the_rollup(db):
    call_command("load_demo", stdout=io.StringIO())
    rally = Event.objects.get(slug="status-for-all-toronto-rally")
    # A supporter registers for two from a phone and opens the manage page.
    registered = Client().post(
        f"/events/{rally.slug}/register/",
        {"party_size": "2", "message_language": "en", "form_token": uuid.uuid4().hex},
    )
    link = re.search(r'value="(http://testserver/r/[^"]+)"', registered.content.decode())
    code = CODE.search(Client().get(link.group(1)).content.decode()).group(1)
    # A new user, given a marshal login, checks them in by the typed code.
    newcomer = login("door-1", command_password("create_marshal", "--username", "door-1"))
    checked = newcomer.post(
        f"/dashboard/events/{rally.pk}/checkin/",
        {"code": code, "csrfmiddlewaretoken": newcomer.cookies["csrftoken"].value},
    )
    assert "Checked in: 2 people." in checked.content.decode()
    # Two marshals count entries at the two gates.
    north = login(
        "marshal-north", command_password("create_marshal", "--username", "marshal-north")
    )
    south = login(
        "marshal-south", command_password("create_marshal", "--username", "marshal-south")
    )
    # Resetting a demo marshal's password keeps the gate the demo gave them.
    gates = dict(rally.marshal_assignments.values_list("user__username", "gate"))
    assert (gates["marshal-north"], gates["marshal-south"]) == ("North gate", "South gate")
    tap_from_phone(north, rally, 17)
    assert tap_from_phone(south, rally, 25)["inside"] == 42
    # The organizer's roll-up: every city, in its own time, correct to the person.
    organizer = login("organizer", command_password("create_organizer"))
    page = organizer.get("/dashboard/campaigns/status-for-all/").content.decode()
    campaign = Campaign.objects.get(slug="status-for-all")
    for event in Event.objects.filter(campaign=campaign).exclude(status="cancelled"):
        confirmed = sum(
            Registration.objects.filter(event=event, status="confirmed").values_list(
                "party_size", flat=True
            )
        )
        row = re.search(rf'<tr data-event="{event.pk}">(.*?)</tr>', page, re.S).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        assert cells[0] == escape(event.venue.city)
        assert cells[2] == escape(short_moment(event.starts_at, event.timezone))
        expected = [confirmed, 2 if event == rally else 0, 42 if event == rally else 0]
        assert [int(c) for c in cells[3:6]] == expected
    assert "St. John’s time" in page and "Vancouver time" in page
