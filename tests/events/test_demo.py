import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from events.demo import load_demo
from events.models import Campaign, Event, EventUpdate, Venue


def test_load_demo_twice_changes_nothing(db):
    load_demo()
    before = list(Event.objects.order_by("slug").values_list("slug", "starts_at", "sequence"))
    counts = (Venue.objects.count(), Campaign.objects.count(), EventUpdate.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = list(Event.objects.order_by("slug").values_list("slug", "starts_at", "sequence"))
    assert after == before
    assert (Venue.objects.count(), Campaign.objects.count(), EventUpdate.objects.count()) == counts


def test_load_demo_on_a_later_day_moves_events_forward(db):
    today = timezone.localdate()
    load_demo(today=today)
    load_demo(today=today + dt.timedelta(days=30))
    rally = Event.objects.get(slug="status-for-all-toronto-rally")
    assert rally.local_start.date() == today + dt.timedelta(days=40)
    assert rally.sequence == 1


def test_demo_has_what_the_service_is_for(db):
    load_demo()
    events = {event.slug: event for event in Event.objects.all()}
    camp, nightly = events["airport-road-protest-camp"], events["camp-nightly-gathering"]
    assert (camp.ends_at - camp.starts_at).days == 18
    assert "entrance 93" in camp.venue.directions
    assert nightly.recurrence == "FREQ=DAILY;COUNT=18"
    assert {start.hour for start, _ in nightly.occurrences()} == {19}
    art = events["banner-art-party"]
    assert (art.drop_in, art.local_start.hour, art.local_end.hour) == (True, 14, 17)
    assert "Spadina Avenue" in art.venue.street_address
    assembly = events["open-assembly-undocumented"]
    assert (assembly.privacy, assembly.format, assembly.local_start.hour) == (
        Event.Privacy.ANONYMOUS,
        Event.Format.ONLINE,
        20,
    )
    assert list(assembly.interpretation_languages.values_list("code", flat=True)) == ["es"]
    legal = events["free-legal-information-session"]
    assert (legal.local_start.hour, legal.local_end.hour) == (18, 21)
    statuses = sorted(event.status for event in events.values())
    assert statuses.count(Event.Status.POSTPONED) == 1
    assert statuses.count(Event.Status.CANCELLED) == 1


def test_demo_day_of_action_spans_cities_and_zones(db):
    load_demo()
    campaign = Campaign.objects.get(slug="status-for-all")
    events = list(campaign.events.select_related("venue"))
    cities = {event.venue.city for event in events}
    assert {
        "Toronto",
        "Montréal",
        "Sudbury",
        "Niagara Falls",
        "Edmonton",
        "Vancouver",
        "Victoria",
    } <= cities
    offsets = {event.local_start.utcoffset() for event in events}
    assert len(offsets) >= 4
    toronto = sorted(
        (event.local_start.time(), event.venue_id)
        for event in events
        if event.venue.city == "Toronto"
    )
    assert [time for time, _ in toronto] == [dt.time(12, 0), dt.time(16, 30)]
    assert toronto[0][1] == toronto[1][1]  # the vigil is at the rally's place


def test_demo_always_has_upcoming_events(db):
    load_demo()
    upcoming = Event.objects.listed().upcoming()
    assert upcoming.count() >= 12


def test_demo_contacts_are_invented(db):
    load_demo()
    for event in Event.objects.all():
        for word in event.contacts.split():
            if "@" in word:
                assert word.endswith("@example.org")
        if "416-" in event.contacts:
            assert "416-555-" in event.contacts
