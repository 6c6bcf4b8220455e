"""The suggestion ranking on a roster of 31 interpreters with overlapping hours."""

import datetime as dt

import pytest

from events.models import Event, Language
from interpretation import services
from interpretation.suggestions import suggest_interpreters
from tests import factories
from tests.interpretation.factories import EVERY_DAY, make_interpreter

pytestmark = pytest.mark.django_db

BOTH = (("en", "es", True),)


def online_event(organization, days: int, hour: int, title: str) -> Event:
    starts = factories.local("America/Toronto", days, hour)
    return factories.make_event(
        organization,
        title=title,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )


@pytest.fixture
def roster(organization):
    """The event (in two days, 7-9 pm Toronto, English, Spanish wanted) and 31 people."""
    event = online_event(organization, 2, 19, "Assembly")
    other_day = online_event(organization, 3, 19, "Next day")
    later = online_event(organization, 5, 19, "Later")
    clash = online_event(organization, 2, 20, "Clash")
    day = event.local_start.date()
    spanish = Language.objects.get(pk="es")
    special = {
        11: {"pairs": (("en", "es", False),)},
        12: {"pairs": (("en", "es", False),)},
        13: {"pairs": (("en", "es", False),)},
        14: {"pairs": (("en", "es", False),)},
        15: {"pairs": (("es", "en", False),)},
        16: {"pairs": (("es", "en", False),)},
        17: {"pairs": (("es", "en", False),)},
        18: {"pairs": (("en", "fr", True),)},
        19: {"pairs": (("fr", "es", True),)},
        20: {"modes": ("whisper",)},
        21: {"modes": ("whisper", "consecutive")},
        22: {"windows": tuple((d, "08:00", "12:00") for d in range(7))},
        23: {"windows": tuple((d, "08:00", "20:30") for d in range(7))},
        24: {"timezone": "America/Vancouver", "windows": ((day, "16:00", "18:00"),)},
        25: {"timezone": "America/Vancouver", "windows": ((day, "19:00", "21:00"),)},
        27: {"is_active": False},
        29: {"windows": ((day, "18:30", "21:30"),)},
        30: {"windows": ((day, "19:00", "21:00"),)},
        31: {"windows": ((day + dt.timedelta(days=1), "08:00", "23:00"),)},
    }
    people = {}
    for number in range(1, 32):
        values = {"pairs": BOTH, "windows": EVERY_DAY, **special.get(number, {})}
        people[number] = make_interpreter(organization, name=f"Interpreter {number:02}", **values)

    def put(number, target_event, role):
        services.assign_interpreter(
            event=target_event, interpreter=people[number], target=spanish, role=role
        )

    put(3, other_day, "lead")
    put(4, other_day, "relief")
    put(5, other_day, "relief")
    put(5, later, "lead")
    put(26, clash, "lead")
    put(28, event, "relief")
    return event, spanish


def names(numbers):
    return [f"Interpreter {number:02}" for number in numbers]


def test_ranking_is_exact_and_deterministic(roster):
    event, spanish = roster

    first = suggest_interpreters(event=event, target=spanish)
    again = suggest_interpreters(event=event, target=spanish)

    assert [s.interpreter.name for s in first.ranked] == names(
        [1, 2, 6, 7, 8, 9, 10, 24, 29, 30, 3, 4, 5, 11, 12, 13, 14]
    )
    assert [s.rank for s in first.ranked] == list(range(1, 18))
    assert [s.interpreter.pk for s in again.ranked] == [s.interpreter.pk for s in first.ranked]


def test_each_suggestion_says_why(roster):
    event, spanish = roster

    ranked = {
        s.interpreter.name: s.reasons
        for s in suggest_interpreters(event=event, target=spanish).ranked
    }

    assert ranked["Interpreter 01"] == (
        "works English and Spanish both ways",
        "available for every session, no clash",
        "no other assignment within a week",
    )
    assert ranked["Interpreter 05"] == (
        "works English and Spanish both ways",
        "available for every session, no clash",
        "2 other assignments within a week",
    )
    assert ranked["Interpreter 11"] == (
        "works from English into Spanish (one way)",
        "available for every session, no clash",
        "no other assignment within a week",
    )


def test_everyone_left_out_is_named_with_the_rule(roster):
    event, spanish = roster

    left_out = suggest_interpreters(event=event, target=spanish).left_out

    assert [(item.interpreter.name, item.code) for item in left_out] == [
        ("Interpreter 15", "language_pair"),
        ("Interpreter 16", "language_pair"),
        ("Interpreter 17", "language_pair"),
        ("Interpreter 18", "language_pair"),
        ("Interpreter 19", "language_pair"),
        ("Interpreter 20", "mode"),
        ("Interpreter 21", "mode"),
        ("Interpreter 22", "unavailable"),
        ("Interpreter 23", "unavailable"),
        ("Interpreter 25", "unavailable"),
        ("Interpreter 26", "overlap"),
        ("Interpreter 27", "inactive"),
        ("Interpreter 28", "already_assigned"),
        ("Interpreter 31", "unavailable"),
    ]
    reasons = {item.interpreter.name: item.reason for item in left_out}
    assert reasons["Interpreter 15"] == (
        "Interpreter 15 does not interpret from English into Spanish."
    )
    assert reasons["Interpreter 28"] == (
        "Interpreter 28 is already on this event (Spanish, Invited)."
    )
    assert reasons["Interpreter 25"].endswith("4:00 p.m. – 6:00 p.m. Vancouver time.")
    assert reasons["Interpreter 26"].startswith("Interpreter 26 is already on “Clash” (")


def test_suggestions_agree_with_the_service(roster):
    """Everyone ranked can be assigned; everyone left out is refused for the same rule."""
    event, spanish = roster
    suggestions = suggest_interpreters(event=event, target=spanish)

    for item in suggestions.left_out:
        if item.code == "already_assigned":
            continue
        with pytest.raises(services.InterpretationError) as caught:
            services.assign_interpreter(
                event=event, interpreter=item.interpreter, target=spanish, role="relief"
            )
        assert (caught.value.code, str(caught.value)) == (item.code, item.reason)
    for suggestion in suggestions.ranked:
        assignment = services.assign_interpreter(
            event=event, interpreter=suggestion.interpreter, target=spanish, role="relief"
        )
        assert assignment.status == "invited"


def test_suggestions_take_a_fixed_number_of_queries(roster, django_assert_num_queries):
    event, spanish = roster
    event = Event.objects.select_related("language").get(pk=event.pk)

    with django_assert_num_queries(5):
        suggest_interpreters(event=event, target=spanish)
