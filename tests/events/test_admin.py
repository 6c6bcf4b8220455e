"""The Django admin at /admin/, scoped to the organizer's organizations."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from events.models import Event, EventUpdate
from tests import factories

VANCOUVER = ZoneInfo("America/Vancouver")
MANAGEMENT_INPUT = re.compile(
    r'<input type="hidden" name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"'
    r' value="(\d*)"'
)


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def management_data(response) -> dict[str, str]:
    """The inline formsets' management fields, as the page rendered them."""
    return dict(MANAGEMENT_INPUT.findall(response.content.decode()))


def event_form_data(organization, **overrides) -> dict[str, str]:
    """Everything the event admin form posts, for an online Vancouver event."""
    return {
        "organization": str(organization.pk),
        "campaign": "",
        "title": "Night vigil",
        "slug": "night-vigil",
        "kind": "vigil",
        "description": "",
        "timezone": "America/Vancouver",
        "starts_at_0": "2026-12-02",
        "starts_at_1": "12:00:00",
        "ends_at_0": "2026-12-02",
        "ends_at_1": "14:00:00",
        "recurrence": "",
        "recurrence_exceptions": "",
        "format": "online",
        "venue": "",
        "capacity": "",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "status": "scheduled",
        "status_reason": "",
        "visibility": "draft",
        "privacy": "standard",
        "language": "en",
        "contacts": "",
        "accessibility_notes": "",
        "content_language": "en",
        **overrides,
    }


def post_add_form(client, organization, **overrides):
    page = client.get("/admin/events/event/add/")
    data = {**event_form_data(organization, **overrides), **management_data(page)}
    return client.post("/admin/events/event/add/", data)


def make_vancouver_event(organization, **values) -> Event:
    starts = factories.local("America/Vancouver", 7, 12)
    return factories.make_event(
        organization,
        title="Night vigil",
        kind=Event.Kind.VIGIL,
        timezone="America/Vancouver",
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        **values,
    )


def change_form_data(page, event: Event, **overrides) -> dict[str, str]:
    """The change form as the page shows the event, with some values changed."""
    start, end = event.local_start, event.local_end
    shown = event_form_data(
        event.organization,
        title=event.title,
        slug=event.slug,
        kind=event.kind,
        timezone=event.timezone,
        starts_at_0=start.date().isoformat(),
        starts_at_1=start.time().isoformat(),
        ends_at_0=end.date().isoformat(),
        ends_at_1=end.time().isoformat(),
        format=event.format,
        visibility=event.visibility,
    )
    return {**shown, **management_data(page), **overrides}


# The changelist and change pages


def test_event_changelist_shows_own_events_including_drafts(
    organizer_client, organization, other_organization
):
    factories.make_event(organization, title="Our listed rally")
    factories.make_event(organization, title="Our draft vigil", visibility=Event.Visibility.DRAFT)
    factories.make_event(other_organization, title="Their rally")

    response = organizer_client.get("/admin/events/event/")

    assert response.status_code == 200
    shown = sorted(event.title for event in response.context["cl"].result_list)
    assert shown == ["Our draft vigil", "Our listed rally"]
    content = response.content.decode()
    assert ("Our listed rally" in content, "Our draft vigil" in content) == (True, True)
    assert "Their rally" not in content


def test_event_change_page_of_another_organization_redirects_to_admin_index(
    organizer_client, other_organization
):
    theirs = factories.make_event(other_organization, title="Their rally")

    response = organizer_client.get(f"/admin/events/event/{theirs.pk}/change/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_event_add_form_offers_only_own_organizations(
    organizer_client, organization, other_organization
):
    response = organizer_client.get("/admin/events/event/add/")

    assert response.status_code == 200
    field = response.context["adminform"].form.fields["organization"]
    assert [str(label) for _, label in field.choices] == ["---------", "Migrant Rights Toronto"]
    assert "Solidarity Montréal" not in response.content.decode()


def test_event_changelist_refuses_staff_without_membership(client, db):
    client.force_login(factories.make_user(username="staff-only"))

    response = client.get("/admin/events/event/")

    assert response.status_code == 403


# Times in the event's own zone


def test_event_add_stores_times_in_the_event_zone(organizer_client, organization):
    response = post_add_form(organizer_client, organization)

    assert response.status_code == 302
    assert response["Location"] == "/admin/events/event/"
    event = Event.objects.get(slug="night-vigil")
    assert event.starts_at == dt.datetime(2026, 12, 2, 12, 0, tzinfo=VANCOUVER)
    assert event.ends_at == dt.datetime(2026, 12, 2, 14, 0, tzinfo=VANCOUVER)
    assert (event.organization, event.sequence) == (organization, 0)


def test_event_change_page_shows_times_in_the_event_zone(organizer_client, organization):
    event = make_vancouver_event(organization)
    day = event.local_start.date().isoformat()

    response = organizer_client.get(f"/admin/events/event/{event.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert f'name="starts_at_0" value="{day}"' in content
    assert 'name="starts_at_1" value="12:00:00"' in content
    assert 'name="ends_at_1" value="14:00:00"' in content


def test_event_change_of_start_time_bumps_sequence(organizer_client, organization):
    event = make_vancouver_event(organization)
    url = f"/admin/events/event/{event.pk}/change/"
    page = organizer_client.get(url)

    response = organizer_client.post(url, change_form_data(page, event, starts_at_1="11:00:00"))

    assert response.status_code == 302
    expected = dt.datetime.combine(event.local_start.date(), dt.time(11), tzinfo=VANCOUVER)
    event.refresh_from_db()
    assert (event.starts_at, event.sequence) == (expected, 1)


def test_event_change_of_title_keeps_sequence(organizer_client, organization):
    event = make_vancouver_event(organization)
    url = f"/admin/events/event/{event.pk}/change/"
    page = organizer_client.get(url)

    response = organizer_client.post(url, change_form_data(page, event, title="Vigil, renamed"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Vigil, renamed", 0)


def test_event_change_page_lets_organizer_post_an_update(organizer_client, organization):
    event = make_vancouver_event(organization)
    url = f"/admin/events/event/{event.pk}/change/"
    page = organizer_client.get(url)

    assert management_data(page) == {
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "meeting-TOTAL_FORMS": "0",
        "meeting-INITIAL_FORMS": "0",
        "meeting-MIN_NUM_FORMS": "0",
        "meeting-MAX_NUM_FORMS": "1",
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    data = change_form_data(page, event, **{"updates-0-body": "Bring warm clothes."})
    response = organizer_client.post(url, data)

    assert response.status_code == 302
    assert list(EventUpdate.objects.values_list("event", "body")) == [
        (event.pk, "Bring warm clothes.")
    ]


# Readable errors, never a 500


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ends_at_1": "11:00:00"},
            "ends_at",
            "The event must end after it starts.",
        ),
        (
            {"timezone": "Mars/Olympus"},
            "timezone",
            "Mars/Olympus is not a known time zone. Use a name like America/Toronto.",
        ),
        (
            {"recurrence": "FREQ=SOMETIMES"},
            "recurrence",
            "This repeat rule cannot be read. Example: FREQ=DAILY;COUNT=18 for 18 days in a row.",
        ),
    ],
)
def test_event_add_bad_input_shows_a_readable_error(
    organizer_client, organization, overrides, field, message
):
    response = post_add_form(organizer_client, organization, **overrides)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert escape(message) in response.content.decode()
    assert Event.objects.count() == 0
