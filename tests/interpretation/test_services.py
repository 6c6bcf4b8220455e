"""Every rule of assignments, through the one service that keeps them."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from events import services as event_services
from events import signals
from events.models import Event
from interpretation import services
from interpretation.models import Assignment, Availability, Interpreter
from interpretation.services import InterpretationError
from registrations.models import OutboundMessage
from tests import factories
from tests.interpretation.factories import make_interpreter, window

pytestmark = pytest.mark.django_db

Status = Assignment.Status


@pytest.fixture
def heard():
    """What the interpretation app announced to the Zoom sync."""
    calls = []

    def receiver(sender, *, event, interpreters, **kwargs):
        calls.append((event.pk, interpreters))

    signals.interpreters_changed.connect(receiver, dispatch_uid="test-heard")
    yield calls
    signals.interpreters_changed.disconnect(dispatch_uid="test-heard")


def online_event(organization, days=2, hour=19, minutes=120, **values):
    starts = factories.local("America/Toronto", days, hour)
    return factories.make_event(
        organization,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        **values,
    )


def in_person_event(organization, venue, days=2, hour=12, minutes=60, **values):
    starts = factories.local("America/Toronto", days, hour)
    return factories.make_event(
        organization,
        venue=venue,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        **values,
    )


def test_assign_invites_with_calendar_attachment(
    organization, assembly, languages, django_capture_on_commit_callbacks
):
    ana = make_interpreter(organization, name="Ana", email="ana@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assign_interpreter(
            event=assembly, interpreter=ana, target=languages["es"]
        )

    assert (assignment.status, assignment.role, assignment.source_id, assignment.target_id) == (
        Status.INVITED,
        "lead",
        "en",
        "es",
    )
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Can you interpret? Assembly for status"
    [(name, calendar, mimetype)] = message.attachments
    assert (name, mimetype) == ("event.ics", "text/calendar; method=REQUEST")
    assert "Interpreting English → Spanish (Lead)" in calendar.replace("\r\n ", "")
    assert OutboundMessage.objects.count() == 0  # sent and deleted


def test_accept_announces_the_full_list(
    organization, assembly, languages, heard, django_capture_on_commit_callbacks
):
    ana = make_interpreter(organization, name="Ana", email="ana@example.org")
    li = make_interpreter(organization, name="Li", email="li@example.org")
    first = services.assign_interpreter(event=assembly, interpreter=ana, target=languages["es"])
    second = services.assign_interpreter(
        event=assembly, interpreter=li, target=languages["es"], role="relief"
    )
    assert heard == []  # invitations change nothing in Zoom

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_assignment(assignment=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_assignment(assignment=second)

    assert heard == [
        (assembly.pk, [("ana@example.org", "en", "es")]),
        (assembly.pk, [("ana@example.org", "en", "es"), ("li@example.org", "en", "es")]),
    ]


def test_withdraw_decline_and_deactivation_announce_what_is_left(
    organization, assembly, languages, heard, django_capture_on_commit_callbacks
):
    people = [
        make_interpreter(organization, name=name, email=f"{name.lower()}@example.org")
        for name in ["Ana", "Li", "Sam"]
    ]
    for person, role, code in zip(
        people, ["lead", "relief", "lead"], ["es", "es", "pa"], strict=True
    ):
        person.pairs.create(source_id="en", target_id="pa", both_ways=True)
        assignment = services.assign_interpreter(
            event=assembly, interpreter=person, target=languages[code], role=role
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.accept_assignment(assignment=assignment)
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_assignment(assignment=assignments_of(people[0]))
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_assignment(assignment=assignments_of(people[1]))
    people[2].is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        services.save_interpreter(interpreter=people[2])

    assert heard == [
        (assembly.pk, [("li@example.org", "en", "es"), ("sam@example.org", "en", "pa")]),
        (assembly.pk, [("sam@example.org", "en", "pa")]),
        (assembly.pk, []),
    ]
    assert list(Assignment.objects.values_list("status", flat=True).order_by("pk")) == [
        "withdrawn",
        "declined",
        "withdrawn",
    ]


def assignments_of(interpreter: Interpreter) -> Assignment:
    return Assignment.objects.get(interpreter=interpreter, status__in=Assignment.ACTIVE)


def test_saving_the_event_announces_its_interpreters_again(
    organization, assembly, languages, heard, django_capture_on_commit_callbacks
):
    ana = make_interpreter(organization, email="ana@example.org")
    services.accept_assignment(
        assignment=services.assign_interpreter(
            event=assembly, interpreter=ana, target=languages["es"]
        )
    )
    assembly.status = Event.Status.CANCELLED
    assembly.status_reason = "Moved online to next week."

    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=assembly)

    assert heard == [(assembly.pk, [("ana@example.org", "en", "es")])]
    [message] = mail.outbox
    assert message.subject == "Cancelled: Assembly for status"
    assert message.attachments[0][2] == "text/calendar; method=CANCEL"


def test_overlapping_online_events_are_refused_naming_the_other(organization, languages):
    first = online_event(organization, title="Assembly one", hour=19)
    second = online_event(organization, title="Assembly two", hour=20)
    ana = make_interpreter(organization, name="Ana")
    services.assign_interpreter(event=first, interpreter=ana, target=languages["es"])

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=second, interpreter=ana, target=languages["es"])

    assert caught.value.code == "overlap"
    assert str(caught.value).startswith("Ana is already on “Assembly one” (")
    assert str(caught.value).endswith("Toronto time), which overlaps this event.")


def test_back_to_back_online_events_need_no_travel(organization, languages):
    first = online_event(organization, hour=18, minutes=60)
    second = online_event(organization, hour=19, minutes=60)
    ana = make_interpreter(organization)
    services.assign_interpreter(event=first, interpreter=ana, target=languages["es"])

    assignment = services.assign_interpreter(event=second, interpreter=ana, target=languages["es"])

    assert assignment.status == Status.INVITED


def test_in_person_events_keep_the_travel_buffer(organization, venue, languages):
    first = in_person_event(organization, venue, hour=12, minutes=60, title="Noon rally")
    second = in_person_event(organization, venue, days=2, hour=13, minutes=60)
    second.starts_at += dt.timedelta(minutes=20)
    second.ends_at += dt.timedelta(minutes=20)
    event_services.save_event(event=second)
    ana = make_interpreter(organization, name="Ana")
    services.assign_interpreter(event=first, interpreter=ana, target=languages["es"])

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=second, interpreter=ana, target=languages["es"])

    assert caught.value.code == "overlap"
    assert "leaves less than 30 minutes to travel" in str(caught.value)
    services.save_plan(event=second, request_threshold=1, travel_buffer_minutes=15)
    services.save_plan(event=first, request_threshold=1, travel_buffer_minutes=15)
    assignment = services.assign_interpreter(event=second, interpreter=ana, target=languages["es"])
    assert assignment.status == Status.INVITED


def test_outside_availability_is_refused_in_the_interpreters_time(organization, languages):
    event = online_event(organization, hour=19, minutes=60)  # 7 pm Toronto = 4 pm Vancouver
    day = event.local_start.date()
    ana = make_interpreter(
        organization,
        name="Ana",
        timezone="America/Vancouver",
        windows=[(day, "09:00", "15:30")],
    )

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=event, interpreter=ana, target=languages["es"])

    assert caught.value.code == "unavailable"
    assert str(caught.value).startswith("Ana is not available ")
    assert str(caught.value).endswith("4:00 p.m. – 5:00 p.m. Vancouver time.")


def test_one_off_date_makes_the_interpreter_available(organization, languages):
    event = online_event(organization, hour=19, minutes=60)
    ana = make_interpreter(organization, windows=[(event.local_start.date(), "18:00", "21:00")])

    assignment = services.assign_interpreter(event=event, interpreter=ana, target=languages["es"])

    assert assignment.status == Status.INVITED


def test_missing_language_pair_is_refused(organization, assembly, languages):
    ana = make_interpreter(organization, name="Ana", pairs=[("en", "fr", True)])

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=assembly, interpreter=ana, target=languages["es"])

    assert (caught.value.code, str(caught.value)) == (
        "language_pair",
        "Ana does not interpret from English into Spanish.",
    )


def test_one_way_pair_works_only_in_its_direction(organization, assembly, languages):
    into_english = make_interpreter(organization, name="Ana", pairs=[("es", "en", False)])
    into_spanish = make_interpreter(organization, name="Li", pairs=[("en", "es", False)])

    with pytest.raises(InterpretationError):
        services.assign_interpreter(
            event=assembly, interpreter=into_english, target=languages["es"]
        )
    assignment = services.assign_interpreter(
        event=assembly, interpreter=into_spanish, target=languages["es"]
    )
    assert assignment.target_id == "es"


def test_sign_language_needs_a_sign_interpreter(organization, venue, languages):
    rally = in_person_event(organization, venue)
    spoken_only = make_interpreter(organization, name="Ana", pairs=[("en", "ase", True)])
    signer = make_interpreter(organization, name="Jo", pairs=[("en", "ase", True)], modes=("sign",))

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=rally, interpreter=spoken_only, target=languages["ase"])

    assert caught.value.code == "mode"
    assignment = services.assign_interpreter(
        event=rally, interpreter=signer, target=languages["ase"]
    )
    assert assignment.target_id == "ase"


def test_online_event_needs_simultaneous_online(organization, assembly, languages):
    whisperer = make_interpreter(organization, name="Ana", modes=("whisper",))

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=assembly, interpreter=whisperer, target=languages["es"])

    assert str(caught.value) == (
        "Ana does not work in the way this event needs (simultaneous, online)."
    )


def test_second_lead_is_refused_relief_is_taken(organization, assembly, languages):
    ana = make_interpreter(organization, name="Ana")
    li = make_interpreter(organization, name="Li")
    services.assign_interpreter(event=assembly, interpreter=ana, target=languages["es"])

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=assembly, interpreter=li, target=languages["es"])

    assert str(caught.value) == (
        "Ana is already the lead for Spanish: add a relief interpreter instead."
    )
    relief = services.assign_interpreter(
        event=assembly, interpreter=li, target=languages["es"], role="relief"
    )
    assert relief.role == "relief"


def test_same_interpreter_twice_on_an_event_is_refused(organization, assembly, languages):
    ana = make_interpreter(organization, name="Ana", pairs=[("en", "es", True), ("en", "fr", True)])
    services.assign_interpreter(event=assembly, interpreter=ana, target=languages["es"])

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(
            event=assembly, interpreter=ana, target=languages["fr"], role="relief"
        )

    assert caught.value.code == "already_assigned"


def test_inactive_and_other_organizations_interpreters_are_refused(
    organization, other_organization, assembly, languages
):
    resting = make_interpreter(organization, name="Ana", is_active=False)
    elsewhere = make_interpreter(other_organization, name="Li")

    with pytest.raises(InterpretationError) as inactive:
        services.assign_interpreter(event=assembly, interpreter=resting, target=languages["es"])
    with pytest.raises(InterpretationError) as foreign:
        services.assign_interpreter(event=assembly, interpreter=elsewhere, target=languages["es"])

    assert (inactive.value.code, foreign.value.code) == ("inactive", "organization")


def test_cancelled_and_past_events_are_refused(organization, languages):
    ana = make_interpreter(organization)
    past = online_event(organization, days=-2)
    cancelled = online_event(
        organization, status=Event.Status.CANCELLED, status_reason="Moved to next month."
    )

    with pytest.raises(InterpretationError) as over:
        services.assign_interpreter(event=past, interpreter=ana, target=languages["es"])
    with pytest.raises(InterpretationError) as off:
        services.assign_interpreter(event=cancelled, interpreter=ana, target=languages["es"])

    assert (over.value.code, off.value.code) == ("over", "cancelled")


def test_the_events_own_language_is_refused(organization, assembly, languages):
    ana = make_interpreter(organization)

    with pytest.raises(InterpretationError) as caught:
        services.assign_interpreter(event=assembly, interpreter=ana, target=languages["en"])

    assert caught.value.code == "same_language"


def test_accept_checks_the_rules_again(organization, languages):
    first = online_event(organization, hour=19)
    second = online_event(organization, hour=20)
    ana = make_interpreter(organization, name="Ana")
    invitation = services.assign_interpreter(event=first, interpreter=ana, target=languages["es"])
    services.withdraw_assignment(assignment=invitation)
    later = services.assign_interpreter(event=second, interpreter=ana, target=languages["es"])
    Assignment.objects.filter(pk=invitation.pk).update(status=Status.INVITED)  # a stale invitation

    with pytest.raises(InterpretationError) as caught:
        services.accept_assignment(assignment=invitation)

    assert caught.value.code == "overlap"
    assert later.status == Status.INVITED


def test_withdrawn_invitation_cannot_be_accepted(organization, assembly, languages):
    ana = make_interpreter(organization)
    invitation = services.assign_interpreter(
        event=assembly, interpreter=ana, target=languages["es"]
    )
    services.withdraw_assignment(assignment=invitation)

    with pytest.raises(InterpretationError) as caught:
        services.accept_assignment(assignment=invitation)

    assert caught.value.code == "status"


def test_withdraw_after_accept_mails_a_cancellation(
    organization, assembly, languages, django_capture_on_commit_callbacks
):
    ana = make_interpreter(organization, email="ana@example.org")
    assignment = services.assign_interpreter(
        event=assembly, interpreter=ana, target=languages["es"]
    )
    services.accept_assignment(assignment=assignment)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_assignment(assignment=assignment)

    [message] = mail.outbox
    assert message.subject == "No longer interpreting: Assembly for status"
    [(_name, calendar, mimetype)] = message.attachments
    assert mimetype == "text/calendar; method=CANCEL"
    assert "STATUS:CANCELLED" in calendar


def test_moved_event_mails_its_interpreters_once(
    organization, assembly, languages, django_capture_on_commit_callbacks
):
    ana = make_interpreter(organization, email="ana@example.org")
    li = make_interpreter(organization, email="li@example.org")
    services.accept_assignment(
        assignment=services.assign_interpreter(
            event=assembly, interpreter=ana, target=languages["es"]
        )
    )
    services.assign_interpreter(
        event=assembly, interpreter=li, target=languages["es"], role="relief"
    )

    assembly.starts_at += dt.timedelta(minutes=30)
    assembly.ends_at += dt.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event=assembly)

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ana@example.org", "Changed: Assembly for status"),
        ("li@example.org", "Changed: Assembly for status"),
    ]
    assert services.notify_event_change(event=assembly, sequence=assembly.sequence) == 0


def test_hours_that_end_before_they_start_are_refused(organization):
    with pytest.raises(ValidationError) as caught:
        make_interpreter(organization, windows=[(0, "18:00", "09:00")])

    assert caught.value.messages == [
        "The hours must end after they start (split a night across two days)."
    ]
    assert Interpreter.objects.count() == 0


def test_unknown_time_zone_is_refused(organization):
    with pytest.raises(ValidationError) as caught:
        make_interpreter(organization, timezone="Mars/Olympus")

    assert caught.value.message_dict == {
        "timezone": ["Mars/Olympus is not a known time zone. Use a name like America/Toronto."]
    }


def test_window_contains_only_its_day_and_hours():
    tuesday = dt.datetime(2026, 12, 1, 19, 0)
    weekly = window(1, "18:00", "22:00")
    assert weekly.contains(tuesday, tuesday + dt.timedelta(hours=2)) is True
    assert weekly.contains(tuesday, tuesday + dt.timedelta(hours=4)) is False
    assert (
        weekly.contains(tuesday + dt.timedelta(days=1), tuesday + dt.timedelta(days=1, hours=1))
        is False
    )
    late = Availability(weekday=1, starts=dt.time(20), ends=dt.time(23, 59))
    assert late.contains(tuesday + dt.timedelta(hours=3), tuesday + dt.timedelta(hours=5)) is True
