"""The REST API at /api/: public reads, organizer writes, the OpenAPI schema."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from openapi_spec_validator import validate

from events.models import Event
from tests import factories

VANCOUVER = ZoneInfo("America/Vancouver")


def titles(response) -> list[str]:
    return [event["title"] for event in response.json()["results"]]


def new_event_payload(organization, **overrides) -> dict:
    return {
        "organization": organization.slug,
        "title": "Assembly on status for all",
        "kind": "assembly",
        "starts_at": "2026-12-02T12:00:00",
        "ends_at": "2026-12-02T14:00:00",
        "timezone": "America/Vancouver",
        "format": "online",
        **overrides,
    }


# Public list


def test_event_list_shows_only_listed_upcoming_events(anonymous, organization):
    factories.make_event(organization, title="Listed rally")
    factories.make_event(organization, title="Draft rally", visibility=Event.Visibility.DRAFT)
    factories.make_event(organization, title="Unlisted rally", visibility=Event.Visibility.UNLISTED)
    factories.make_event(
        organization,
        title="Past rally",
        starts_at=factories.local("America/Toronto", -3, 12),
    )

    response = anonymous.get("/api/events/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert (body["next"], body["previous"]) == (None, None)
    assert titles(response) == ["Listed rally"]


def test_event_list_filters_by_city_in_any_case(anonymous, organization):
    vancouver = factories.make_venue(organization, city="Vancouver", province="BC")
    factories.make_event(organization, title="Toronto rally")
    factories.make_event(
        organization, title="Vancouver rally", venue=vancouver, timezone="America/Vancouver"
    )

    response = anonymous.get("/api/events/", {"city": "vANCOUVER"})

    assert response.status_code == 200
    assert titles(response) == ["Vancouver rally"]


def test_event_list_filters_by_kind(anonymous, organization):
    factories.make_event(organization, title="Rally", kind=Event.Kind.RALLY)
    factories.make_event(organization, title="Vigil", kind=Event.Kind.VIGIL)

    response = anonymous.get("/api/events/", {"kind": "vigil"})

    assert response.status_code == 200
    assert titles(response) == ["Vigil"]


def test_event_list_filters_by_campaign_slug(anonymous, organization):
    campaign = factories.make_campaign(organization, name="Status for All")
    factories.make_event(organization, title="Campaign rally", campaign=campaign)
    factories.make_event(organization, title="Other rally")

    response = anonymous.get("/api/events/", {"campaign": "status-for-all"})

    assert response.status_code == 200
    assert titles(response) == ["Campaign rally"]


def test_event_list_filters_by_spoken_or_interpreted_language(anonymous, organization):
    factories.make_event(
        organization,
        title="French rally",
        language_id="fr",
        starts_at=factories.local("America/Toronto", 2, 10),
    )
    factories.make_event(
        organization,
        title="Rally with French interpretation",
        interpretation=("fr", "es"),
        starts_at=factories.local("America/Toronto", 2, 11),
    )
    factories.make_event(
        organization,
        title="English rally",
        interpretation=("es",),
        starts_at=factories.local("America/Toronto", 2, 12),
    )

    response = anonymous.get("/api/events/", {"language": "fr"})

    assert response.status_code == 200
    assert titles(response) == ["French rally", "Rally with French interpretation"]


def test_event_list_filters_by_format(anonymous, organization):
    factories.make_event(organization, title="In person rally")
    factories.make_event(organization, title="Online assembly", format=Event.Format.ONLINE)

    response = anonymous.get("/api/events/", {"format": "online"})

    assert response.status_code == 200
    assert titles(response) == ["Online assembly"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"city": "Atlantis"},
            {"city": ["No upcoming events in “Atlantis”. Cities with events: Toronto."]},
        ),
        (
            {"kind": "picnic"},
            {"kind": ["Select a valid choice. picnic is not one of the available choices."]},
        ),
        ({"campaign": "no-such-day"}, {"campaign": ["There is no campaign with that name."]}),
        ({"language": "klingon"}, {"language": ["That language is not known here."]}),
        (
            {"format": "pigeon"},
            {"format": ["Select a valid choice. pigeon is not one of the available choices."]},
        ),
    ],
)
def test_event_list_unknown_filter_value_is_a_field_error(anonymous, organization, params, errors):
    factories.make_event(organization)

    response = anonymous.get("/api/events/", params)

    assert response.status_code == 400
    assert response.json() == errors


def test_event_list_times_carry_the_offset_of_the_event_zone(anonymous, organization):
    venue = factories.make_venue(organization, city="Vancouver", province="BC")
    starts = factories.local("America/Vancouver", 2, 12)
    factories.make_event(
        organization,
        venue=venue,
        timezone="America/Vancouver",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )

    event = anonymous.get("/api/events/").json()["results"][0]

    assert event["starts_at"] == starts.isoformat()
    assert event["ends_at"] == (starts + dt.timedelta(hours=2)).isoformat()
    assert event["starts_at"][10:19] == "T12:00:00"
    assert event["timezone"] == "America/Vancouver"


# Detail


def test_event_detail_unknown_id_is_not_found(anonymous, db):
    response = anonymous.get("/api/events/999999/")

    assert response.status_code == 404


def test_event_detail_draft_is_hidden_from_anonymous(anonymous, other_organization):
    draft = factories.make_event(other_organization, visibility=Event.Visibility.DRAFT)

    response = anonymous.get(f"/api/events/{draft.pk}/")

    assert response.status_code == 404


def test_event_detail_draft_is_hidden_from_organizer_of_another_org(
    as_organizer, other_organization
):
    draft = factories.make_event(other_organization, visibility=Event.Visibility.DRAFT)

    response = as_organizer.get(f"/api/events/{draft.pk}/")

    assert response.status_code == 404


def test_event_detail_draft_is_visible_to_its_own_organizer(as_organizer, organization):
    draft = factories.make_event(
        organization, title="Draft vigil", visibility=Event.Visibility.DRAFT
    )

    response = as_organizer.get(f"/api/events/{draft.pk}/")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["title"]) == (draft.pk, "Draft vigil")


# Create


def test_event_create_reads_naive_times_in_the_event_zone(as_organizer, organization):
    response = as_organizer.post("/api/events/", new_event_payload(organization), format="json")

    assert response.status_code == 201
    event = Event.objects.get(pk=response.json()["id"])
    assert event.starts_at == dt.datetime(2026, 12, 2, 12, 0, tzinfo=VANCOUVER)
    assert event.ends_at == dt.datetime(2026, 12, 2, 14, 0, tzinfo=VANCOUVER)
    assert event.organization == organization
    assert event.slug == "assembly-on-status-for-all"
    assert response.json()["starts_at"] == "2026-12-02T12:00:00-08:00"


def test_event_create_for_another_organization_is_refused(as_organizer, other_organization):
    response = as_organizer.post(
        "/api/events/", new_event_payload(other_organization), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "organization": [
            "You can only use organizations in which you are an organizer; "
            f"“{other_organization.slug}” is not one of them."
        ]
    }
    assert Event.objects.count() == 0


def test_event_create_anonymous_is_forbidden(anonymous, organization):
    # SessionAuthentication comes first and sends no WWW-Authenticate, so 403, not 401.
    response = anonymous.post("/api/events/", new_event_payload(organization), format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"ends_at": "2026-12-02T11:00:00"}, "ends_at"),
        ({"capacity": -1}, "capacity"),
        ({"recurrence": "FREQ=SOMETIMES"}, "recurrence"),
        (
            {"recurrence": "FREQ=DAILY;COUNT=3", "recurrence_exceptions": "2026-13-45"},
            "recurrence_exceptions",
        ),
        ({"status": "cancelled"}, "status_reason"),
        ({"recurrence": "FREQ=WEEKLY;INTERVAL=0"}, "recurrence"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"kind": "picnic"}, "kind"),
        ({"language": "xx"}, "language"),
    ],
)
def test_event_create_bad_input_is_a_field_error(as_organizer, organization, overrides, field):
    response = as_organizer.post(
        "/api/events/", new_event_payload(organization, **overrides), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Event.objects.count() == 0


def test_event_create_refuses_a_time_skipped_by_the_clock_change(as_organizer, organization):
    payload = new_event_payload(
        organization, starts_at="2027-03-14T02:30:00", ends_at="2027-03-14T04:00:00"
    )
    response = as_organizer.post("/api/events/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "starts_at": [
            "02:30 does not exist on 2027-03-14 in America/Vancouver: the clocks jump "
            "forward that night. Choose a time an hour later."
        ]
    }


# Update


def test_event_update_of_zone_alone_keeps_the_wall_clock(as_organizer, organization):
    event = factories.make_event(organization, format=Event.Format.ONLINE)
    noon = event.local_start.replace(tzinfo=None)

    response = as_organizer.patch(
        f"/api/events/{event.pk}/", {"timezone": "America/Edmonton"}, format="json"
    )

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.starts_at == noon.replace(tzinfo=ZoneInfo("America/Edmonton"))
    assert (event.local_start.hour, event.sequence) == (12, 1)


def test_event_update_of_time_bumps_sequence(as_organizer, organization):
    event = factories.make_event(organization)
    earlier = event.local_start - dt.timedelta(hours=1)

    response = as_organizer.patch(
        f"/api/events/{event.pk}/", {"starts_at": earlier.isoformat()}, format="json"
    )

    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.starts_at, event.sequence) == (earlier, 1)
    assert response.json()["sequence"] == 1


def test_event_update_of_title_keeps_sequence(as_organizer, organization):
    event = factories.make_event(organization)

    response = as_organizer.patch(
        f"/api/events/{event.pk}/", {"title": "Renamed rally"}, format="json"
    )

    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Renamed rally", 0)


def test_event_update_of_another_organizations_event_is_not_found(as_organizer, other_organization):
    event = factories.make_event(other_organization, title="Their rally")

    response = as_organizer.patch(f"/api/events/{event.pk}/", {"title": "Hijacked"}, format="json")

    assert response.status_code == 404
    event.refresh_from_db()
    assert event.title == "Their rally"


# Query counts

# Events, interpretation languages, translations.
EVENT_LIST_QUERIES = 4
CAMPAIGN_LIST_QUERIES = 2
VENUE_LIST_QUERIES = 2
ORGANIZER_EVENT_LIST_QUERIES = 4


@pytest.mark.parametrize("number", [1, 3])
def test_event_list_query_count_is_fixed(
    anonymous, organization, django_assert_num_queries, number
):
    campaign = factories.make_campaign(organization)
    for _ in range(number):
        factories.make_event(organization, campaign=campaign, interpretation=("fr", "es"))

    with django_assert_num_queries(EVENT_LIST_QUERIES):
        response = anonymous.get("/api/events/")

    assert response.json()["count"] == number


@pytest.mark.parametrize("number", [1, 3])
def test_campaign_list_query_count_is_fixed(
    anonymous, organization, django_assert_num_queries, number
):
    for _ in range(number):
        factories.make_campaign(organization)

    with django_assert_num_queries(CAMPAIGN_LIST_QUERIES):
        response = anonymous.get("/api/campaigns/")

    assert response.json()["count"] == number


@pytest.mark.parametrize("number", [1, 3])
def test_venue_list_query_count_is_fixed(
    as_organizer, organization, django_assert_num_queries, number
):
    for _ in range(number):
        factories.make_venue(organization)

    with django_assert_num_queries(VENUE_LIST_QUERIES):
        response = as_organizer.get("/api/venues/")

    assert response.json()["count"] == number


@pytest.mark.parametrize("number", [1, 3])
def test_event_list_as_organizer_query_count_is_fixed(
    as_organizer, organization, django_assert_num_queries, number
):
    for _ in range(number):
        factories.make_event(
            organization, visibility=Event.Visibility.DRAFT, interpretation=("es",)
        )

    with django_assert_num_queries(ORGANIZER_EVENT_LIST_QUERIES):
        response = as_organizer.get("/api/events/")

    assert response.json()["count"] == number


# Schema


def test_schema_is_a_valid_openapi_3_document(anonymous, db):
    response = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/events/", "/api/campaigns/"} <= set(schema["paths"])


# Venues


def test_venue_list_anonymous_is_forbidden(anonymous, venue):
    response = anonymous.get("/api/venues/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_venue_list_shows_only_the_users_organizations(
    as_organizer, organization, other_organization, venue
):
    factories.make_venue(other_organization, name="Their hall", city="Montréal")

    response = as_organizer.get("/api/venues/")

    assert response.status_code == 200
    assert [(v["name"], v["organization"]) for v in response.json()["results"]] == [
        ("Christie Pits Park", organization.slug)
    ]
