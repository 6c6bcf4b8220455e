import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events import services
from events.models import Campaign, Event, Venue
from tests import factories


def insert_raw(event: Event) -> None:
    """Store without validation, to show the database itself refuses the row."""
    with transaction.atomic():
        Event.objects.bulk_create([event])


@pytest.fixture
def event(organization, venue):
    return factories.make_event(organization, venue=venue, title="Vigil")


def test_database_refuses_end_before_start(event):
    bad = Event(
        organization=event.organization,
        slug="bad-times",
        title="Bad",
        kind=Event.Kind.RALLY,
        starts_at=event.starts_at,
        ends_at=event.starts_at - dt.timedelta(minutes=1),
    )
    with pytest.raises(IntegrityError):
        insert_raw(bad)


def test_database_refuses_end_equal_to_start(event):
    bad = Event(
        organization=event.organization,
        slug="zero-length",
        title="Bad",
        kind=Event.Kind.RALLY,
        starts_at=event.starts_at,
        ends_at=event.starts_at,
    )
    with pytest.raises(IntegrityError):
        insert_raw(bad)


def test_database_refuses_negative_capacity(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(capacity=-1)


def test_database_refuses_duplicate_slug(event):
    copy = Event(
        organization=event.organization,
        slug=event.slug,
        title="Copy",
        kind=Event.Kind.RALLY,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )
    with pytest.raises(IntegrityError):
        insert_raw(copy)


def test_database_refuses_registration_closing_before_opening(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(
            registration_opens_at=event.starts_at,
            registration_closes_at=event.starts_at - dt.timedelta(days=1),
        )


def test_database_refuses_half_given_coordinates(venue):
    with pytest.raises(IntegrityError), transaction.atomic():
        Venue.objects.filter(pk=venue.pk).update(latitude=43.6)


def test_database_refuses_campaign_ending_before_it_starts(organization):
    campaign = factories.make_campaign(organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            ends_on=campaign.starts_on - dt.timedelta(days=1)
        )


def test_save_event_explains_end_before_start(event):
    event.ends_at = event.starts_at - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["ends_at"] == ["The event must end after it starts."]


def test_save_event_explains_unknown_time_zone(event):
    event.timezone = "America/Torono"
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["timezone"] == [
        "America/Torono is not a known time zone. Use a name like America/Toronto."
    ]


def test_save_event_explains_malformed_rule(event):
    event.recurrence = "FREQ=NIGHTLY"
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["recurrence"] == [
        "This repeat rule cannot be read. Example: FREQ=DAILY;COUNT=18 for 18 days in a row."
    ]


def test_save_event_refuses_minutely_rule(event):
    event.recurrence = "FREQ=MINUTELY"
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["recurrence"] == [
        "Events can repeat hourly, daily, weekly, monthly or yearly."
    ]


def test_save_event_asks_reason_when_cancelled(event):
    event.status = Event.Status.CANCELLED
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["status_reason"] == [
        "Tell people why the event is postponed or cancelled."
    ]


def test_save_event_refuses_venue_of_another_organization(event, other_organization):
    event.venue = factories.make_venue(other_organization)
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["venue"] == ["Choose a venue of the same organization."]


def test_save_event_makes_slug_from_title(organization):
    first = factories.make_event(organization, title="Vigil at the park")
    second = factories.make_event(organization, title="Vigil at the park")
    assert (first.slug, second.slug) == ("vigil-at-the-park", "vigil-at-the-park-2")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", dt.timedelta(hours=1)),
        ("ends_at", dt.timedelta(hours=1)),
        ("timezone", "America/Vancouver"),
        ("status", Event.Status.POSTPONED),
        ("format", Event.Format.HYBRID),
        ("recurrence", "FREQ=DAILY;COUNT=3"),
    ],
)
def test_sequence_goes_up_when_time_place_or_status_changes(event, field, value):
    if isinstance(value, dt.timedelta):
        value = getattr(event, field) + value
    setattr(event, field, value)
    event.status_reason = "Rain" if field == "status" else ""
    services.save_event(event=event)
    event.refresh_from_db()
    assert event.sequence == 1


def test_sequence_goes_up_when_venue_changes(event, organization):
    event.venue = factories.make_venue(organization, name="Union hall")
    services.save_event(event=event)
    event.refresh_from_db()
    assert event.sequence == 1


def test_sequence_stays_when_only_words_change(event):
    event.title = "Candlelight vigil"
    event.description = "Bring a candle."
    services.save_event(event=event)
    event.refresh_from_db()
    assert event.sequence == 0


def test_sequence_goes_up_for_each_change(event):
    for hours in (1, 2, 3):
        event.starts_at += dt.timedelta(hours=hours)
        event.ends_at += dt.timedelta(hours=hours)
        services.save_event(event=event)
    event.refresh_from_db()
    assert event.sequence == 3


def test_moving_a_venue_bumps_its_events(event, venue):
    venue.street_address = "1 Other Street"
    services.save_venue(venue=venue)
    event.refresh_from_db()
    assert event.sequence == 1


def test_renaming_a_venue_bumps_its_events(event, venue):
    venue.name = "Christie Pits"  # the first line of the address in calendars
    services.save_venue(venue=venue)
    event.refresh_from_db()
    assert event.sequence == 1


def test_venue_cannot_move_to_another_organization_while_used(event, venue, other_organization):
    venue.organization = other_organization
    with pytest.raises(ValidationError) as caught:
        services.save_venue(venue=venue)
    assert caught.value.message_dict == {
        "organization": ["Events of another organization use this venue."]
    }


def test_dates_outside_2000_to_2100_are_refused(event):
    event.starts_at = event.starts_at.replace(year=1999)
    with pytest.raises(ValidationError) as caught:
        services.save_event(event=event)
    assert caught.value.message_dict["starts_at"] == [
        "Give a date between the years 2000 and 2100."
    ]


def test_venue_map_link_uses_coordinates_when_known(organization):
    venue = factories.make_venue(organization, latitude="43.664700", longitude="-79.420400")
    assert venue.map_url == (
        "https://www.openstreetmap.org/?mlat=43.664700&mlon=-79.420400#map=17/43.664700/-79.420400"
    )


def test_venue_map_link_searches_the_address_otherwise(organization):
    venue = factories.make_venue(
        organization, unit="Suite 302", street_address="401 Spadina Avenue", postal_code="M5T 2G6"
    )
    assert venue.map_url == (
        "https://www.openstreetmap.org/search?query=401+Spadina+Avenue%2C+Toronto%2C+ON%2C+M5T+2G6"
    )
    assert venue.address_lines == [
        "Community hall",
        "Suite 302, 401 Spadina Avenue",
        "Toronto ON  M5T 2G6",
    ]


def test_last_ends_at_follows_the_series(organization):
    event = factories.make_event(
        organization,
        starts_at=factories.local("America/Toronto", 1, 19),
        ends_at=factories.local("America/Toronto", 1, 21),
        recurrence="FREQ=DAILY;COUNT=3",
    )
    assert event.last_ends_at == factories.local("America/Toronto", 3, 21)


def test_last_ends_at_of_an_open_ended_rule_is_its_horizon(organization):
    event = factories.make_event(organization, recurrence="FREQ=WEEKLY")
    assert event.last_ends_at == event.last_occurrence()[1]
    assert event.ends_at + dt.timedelta(days=5 * 365) < event.last_ends_at
