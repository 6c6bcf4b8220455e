"""Two coordinators at the same moment, on a real PostgreSQL."""

import datetime as dt

import pytest

from events.models import Event, Language
from interpretation import services
from interpretation.models import Assignment
from tests import factories
from tests.concurrency import run_at_once
from tests.interpretation.factories import make_interpreter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def online_event(organization, hour: int, title: str) -> Event:
    starts = factories.local("America/Toronto", 3, hour)
    return factories.make_event(
        organization,
        title=title,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )


def race(jobs) -> tuple[list[Assignment], list[services.InterpretationError]]:
    done, refused = [], []

    def attempt(job):
        def run():
            try:
                done.append(job())
            except services.InterpretationError as error:
                refused.append(error)

        return run

    run_at_once(*[attempt(job) for job in jobs])
    return done, refused


def test_same_interpreter_on_overlapping_events_exactly_one_wins(organization):
    spanish = Language.objects.get(pk="es")
    for round_number in range(ROUNDS):
        ana = make_interpreter(organization, name=f"Ana {round_number}")
        first = online_event(organization, 18, "Assembly A")
        second = online_event(organization, 19, "Assembly B")

        done, refused = race(
            [
                lambda event=event, person=ana: services.assign_interpreter(
                    event=event, interpreter=person, target=spanish
                )
                for event in (first, second)
            ]
        )

        assert (len(done), len(refused)) == (1, 1)
        assert refused[0].code == "overlap"
        winner = "Assembly A" if done[0].event_id == first.pk else "Assembly B"
        assert f"is already on “{winner}”" in str(refused[0])
        assert Assignment.objects.filter(interpreter=ana).count() == 1


def test_control_without_the_lock_double_books(organization, settings):
    """The same race with the lock switched off: the interpreter ends up on both
    events in at least one round, so the test above is testing the lock."""
    settings.INTERPRETATION_UNGUARDED = True
    spanish = Language.objects.get(pk="es")
    double_booked = 0
    for round_number in range(ROUNDS * 2):
        ana = make_interpreter(organization, name=f"Ana {round_number}")
        events = [online_event(organization, 18, "A"), online_event(organization, 19, "B")]
        done, _refused = race(
            [
                lambda event=event, person=ana: services.assign_interpreter(
                    event=event, interpreter=person, target=spanish
                )
                for event in events
            ]
        )
        double_booked += len(done) == 2
    assert double_booked > 0


def test_two_leads_for_one_language_exactly_one_wins(organization):
    spanish = Language.objects.get(pk="es")
    event = online_event(organization, 18, "Assembly")
    people = [make_interpreter(organization, name=name) for name in ("Ana", "Li")]

    done, refused = race(
        [
            lambda person=person: services.assign_interpreter(
                event=event, interpreter=person, target=spanish
            )
            for person in people
        ]
    )

    assert (len(done), len(refused)) == (1, 1)
    assert refused[0].code in {"taken", "lead_taken"}
    assert Assignment.objects.filter(event=event, role="lead").count() == 1
