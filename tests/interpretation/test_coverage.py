"""Coverage: what each event needs, and how far it is covered."""

import datetime as dt

import pytest

from events.models import Event, Language
from interpretation import selectors, services
from registrations.services import register_attendee
from tests import factories
from tests.interpretation.factories import make_interpreter

pytestmark = pytest.mark.django_db


def ask(event, code: str, times: int) -> None:
    language = Language.objects.get(pk=code)
    for _ in range(times):
        register_attendee(event=event, interpretation_language=language)


def states(item) -> list[tuple[str, str, bool, int, int]]:
    return [
        (need.language.code, need.state, need.flagged, need.requested, len(need.accepted))
        for need in item.needs
    ]


def test_needs_are_offered_plus_asked_for_at_the_threshold(organization, assembly):
    ask(assembly, "pa", 2)
    ask(assembly, "es", 1)
    ask(assembly, "tl", 1)
    services.save_plan(event=assembly, request_threshold=2, travel_buffer_minutes=30)

    [item] = selectors.coverage(selectors.coverage_events(Event.objects.all()))

    assert states(item) == [
        ("pa", "uncovered", True, 2, 0),
        ("es", "uncovered", False, 1, 0),
    ]
    # An anonymous assembly: small counts are shown as "fewer than 5", not exactly.
    assert [(language.code, count) for language, count in item.requested_below] == [("tl", None)]
    assert [need.requested_shown for need in item.needs] == [None, None]
    assert all(need.requested_is_small for need in item.needs)


def test_a_standard_event_shows_exact_counts(organization):
    rally = factories.make_event(organization, interpretation=("es",))
    ask(rally, "es", 3)
    [item] = selectors.coverage(selectors.coverage_events(Event.objects.filter(pk=rally.pk)))
    [need] = item.needs
    assert (need.requested_shown, need.requested_is_small) == (3, False)


def test_cancelled_registrations_do_not_count(organization, assembly):
    from registrations.services import cancel_registration

    result = register_attendee(
        event=assembly, interpretation_language=Language.objects.get(pk="pa")
    )
    cancel_registration(registration=result.registration)

    [item] = selectors.coverage(selectors.coverage_events(Event.objects.all()))

    assert states(item) == [("es", "uncovered", False, 0, 0)]


def test_states_covered_relief_declined(organization, assembly, languages):
    """A two-hour assembly needs two per language."""
    for code in ("fr", "pa", "tl"):
        assembly.interpretation_languages.add(languages[code])
    pairs = [("en", code, True) for code in ("es", "fr", "pa", "tl")]
    people = [make_interpreter(organization, pairs=pairs) for _ in range(5)]

    def accepted(person, code, role):
        services.accept_assignment(
            assignment=services.assign_interpreter(
                event=assembly, interpreter=person, target=languages[code], role=role
            )
        )

    accepted(people[0], "es", "lead")
    accepted(people[1], "es", "relief")
    accepted(people[2], "fr", "lead")
    services.decline_assignment(
        assignment=services.assign_interpreter(
            event=assembly, interpreter=people[3], target=languages["pa"]
        )
    )
    services.assign_interpreter(event=assembly, interpreter=people[4], target=languages["tl"])

    [item] = selectors.coverage(selectors.coverage_events(Event.objects.all()))

    assert states(item) == [
        ("fr", "needs_relief", False, 0, 1),
        ("pa", "declined", False, 0, 0),
        ("es", "covered", False, 0, 2),
        ("tl", "uncovered", False, 0, 0),
    ]
    assert [len(need.pending) for need in item.needs] == [0, 0, 0, 1]


def test_one_interpreter_covers_an_hour(organization, languages):
    starts = factories.local("America/Toronto", 2, 18)
    event = factories.make_event(
        organization,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=60),
        interpretation=("es",),
    )
    ana = make_interpreter(organization)
    services.accept_assignment(
        assignment=services.assign_interpreter(event=event, interpreter=ana, target=languages["es"])
    )

    [item] = selectors.coverage(selectors.coverage_events(Event.objects.filter(pk=event.pk)))

    assert states(item) == [("es", "covered", False, 0, 1)]


@pytest.mark.parametrize("events", [1, 3])
def test_coverage_queries_do_not_grow_with_events(organization, events, django_assert_num_queries):
    for number in range(events):
        event = factories.make_assembly(organization, interpretation=("es", "fr"))
        ask(event, "pa", 1)
        ana = make_interpreter(organization, pairs=[("en", "es", True)])
        services.assign_interpreter(
            event=event, interpreter=ana, target=Language.objects.get(pk="es")
        )
        del number

    with django_assert_num_queries(5):
        items = selectors.coverage(selectors.coverage_events(Event.objects.all()))
        assert len(items) == events


def test_campaign_coverage_groups_cities_soonest_first(organization):
    campaign = factories.make_campaign(organization)
    day = 3

    def city_event(city, zone, hour):
        venue = factories.make_venue(organization, city=city, name=f"Park in {city}")
        return factories.make_event(
            organization,
            campaign=campaign,
            venue=venue,
            timezone=zone,
            starts_at=factories.local(zone, day, hour),
            interpretation=("es",),
            title=f"Rally in {city}",
        )

    city_event("Vancouver", "America/Vancouver", 12)  # 3 pm Toronto
    city_event("Toronto", "America/Toronto", 12)
    city_event("Toronto", "America/Toronto", 16)
    city_event("St. John's", "America/St_Johns", 12)  # 10:30 am Toronto

    groups = selectors.campaign_coverage(campaign)

    assert [(city, [item.event.title for item in items]) for city, items in groups] == [
        ("St. John's", ["Rally in St. John's"]),
        ("Toronto", ["Rally in Toronto", "Rally in Toronto"]),
        ("Vancouver", ["Rally in Vancouver"]),
    ]
