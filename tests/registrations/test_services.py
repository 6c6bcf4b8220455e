import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse, set_script_prefix

from events import services as event_services
from events.models import Event
from registrations import services
from registrations.messages import manage_path
from registrations.models import Registration, Seats, token_hash
from tests import factories

Status = Registration.Status


@pytest.fixture
def event(organization):
    return factories.make_event(organization, capacity=4)


def register(event, party_size=1, **extra):
    return services.register_attendee(event=event, party_size=party_size, **extra).registration


def statuses(event) -> list[tuple[int, str]]:
    return list(
        Registration.objects.filter(event=event)
        .order_by("created_at", "pk")
        .values_list("party_size", "status")
    )


def test_parties_are_confirmed_until_capacity_then_wait(event):
    for size in (2, 2, 1):
        register(event, size)
    assert statuses(event) == [(2, Status.CONFIRMED), (2, Status.CONFIRMED), (1, Status.WAITLISTED)]
    assert Seats.objects.get(pk=event.pk).confirmed == 4


def test_the_answer_gives_the_place_in_the_waiting_line(event):
    """On PostgreSQL the one statement counts who waits ahead; elsewhere a query does."""
    results = [services.register_attendee(event=event, party_size=size) for size in (3, 2, 1, 2)]
    assert [result.registration.status for result in results] == [
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert [result.waiting_position for result in results] == [None, 1, None, 2]
    for result in results:
        assert result.waiting_position == services.waiting_position(result.registration)
    assert Seats.objects.get(pk=event.pk).confirmed == 4


def test_the_place_given_counts_who_left_or_moved_up(event):
    confirmed = [register(event) for _ in range(4)]
    first, second, third = (register(event) for _ in range(3))
    services.cancel_registration(registration=second)
    services.cancel_registration(registration=confirmed[0])  # the first waiting moves up
    assert Registration.objects.get(pk=first.pk).status == Status.CONFIRMED
    result = services.register_attendee(event=event, party_size=1)
    assert result.waiting_position == 2  # behind the third only
    assert result.waiting_position == services.waiting_position(result.registration)
    assert services.waiting_position(Registration.objects.get(pk=third.pk)) == 1
    assert Seats.objects.get(pk=event.pk).waiting == 2


def test_saving_the_event_recounts_the_waiting_line(event):
    for _ in range(6):
        register(event)
    Seats.objects.filter(pk=event.pk).update(waiting=0)  # as if a count had gone wrong
    event_services.save_event(event=Event.objects.get(pk=event.pk))
    assert Seats.objects.get(pk=event.pk).waiting == 2
    assert services.register_attendee(event=event, party_size=1).waiting_position == 3


def test_a_party_that_fits_takes_the_last_seats(event):
    register(event, 3)
    register(event, 2)
    register(event, 1)
    assert statuses(event) == [(3, Status.CONFIRMED), (2, Status.WAITLISTED), (1, Status.CONFIRMED)]


def test_cancellation_promotes_the_first_party_that_fits(event):
    first = register(event, 4)
    register(event, 3)
    register(event, 1)
    services.cancel_registration(registration=first)
    assert statuses(event) == [(4, Status.CANCELLED), (3, Status.CONFIRMED), (1, Status.CONFIRMED)]


def test_party_too_large_keeps_its_place_while_a_smaller_one_fits(event):
    first = register(event, 2)
    register(event, 2)
    register(event, 3)  # waits first
    register(event, 2)  # waits second
    services.cancel_registration(registration=first)
    assert statuses(event) == [
        (2, Status.CANCELLED),
        (2, Status.CONFIRMED),
        (3, Status.WAITLISTED),
        (2, Status.CONFIRMED),
    ]
    assert services.waiting_position(Registration.objects.get(party_size=3)) == 1


def test_cancelling_twice_frees_seats_once(event):
    first = register(event, 4)
    services.cancel_registration(registration=first)
    services.cancel_registration(registration=first)
    assert Seats.objects.get(pk=event.pk).confirmed == 0


def test_smaller_party_frees_seats_for_the_waiting_line(event):
    big = register(event, 4)
    register(event, 2)
    services.change_registration(
        registration=big, party_size=2, interpretation_language=None, message_language="en"
    )
    assert statuses(event) == [(2, Status.CONFIRMED), (2, Status.CONFIRMED)]
    assert Seats.objects.get(pk=event.pk).confirmed == 4


def test_larger_party_needs_free_seats(event):
    small = register(event, 3)
    with pytest.raises(services.RegistrationError) as caught:
        services.change_registration(
            registration=small, party_size=5, interpretation_language=None, message_language="en"
        )
    assert caught.value.code == "full"
    assert Registration.objects.get(pk=small.pk).party_size == 3


def test_larger_capacity_promotes_in_order(event):
    register(event, 4)
    register(event, 2)
    register(event, 1)
    event.capacity = 7
    event_services.save_event(event=event)
    assert [status for _, status in statuses(event)] == [Status.CONFIRMED] * 3
    assert Seats.objects.get(pk=event.pk).capacity == 7


def test_capacity_below_confirmed_is_refused_with_the_count(event):
    register(event, 3)
    event.capacity = 2
    with pytest.raises(ValidationError) as caught:
        event_services.save_event(event=event)
    assert caught.value.message_dict["capacity"] == [
        "3 people are already confirmed. Set the capacity to at least 3, "
        "or cancel registrations first."
    ]
    event.refresh_from_db()
    assert event.capacity == 4


def test_unlimited_event_confirms_everyone(organization):
    event = factories.make_event(organization)
    for _ in range(5):
        register(event, 10)
    assert {status for _, status in statuses(event)} == {Status.CONFIRMED}
    assert Seats.objects.get(pk=event.pk).confirmed == 50


def test_full_event_without_waiting_list_refuses(organization):
    event = factories.make_event(organization, capacity=1, has_waitlist=False)
    register(event)
    with pytest.raises(services.RegistrationError) as caught:
        register(event)
    assert (caught.value.code, str(caught.value)) == (
        "full",
        "This event is full and keeps no waiting list.",
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": Event.Status.CANCELLED, "status_reason": "Storm"}, "cancelled"),
        ({"status": Event.Status.POSTPONED, "status_reason": "Storm"}, "postponed"),
        ({"visibility": Event.Visibility.DRAFT}, "draft"),
    ],
)
def test_registration_refused_when_not_open(event, changes, code):
    for name, value in changes.items():
        setattr(event, name, value)
    event_services.save_event(event=event)
    with pytest.raises(services.RegistrationError) as caught:
        register(event)
    assert caught.value.code == code
    assert Registration.objects.count() == 0


def test_same_email_gives_back_the_existing_registration(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register_attendee(event=event, email="Ana@Example.org")
        again = services.register_attendee(event=event, email="  ana@example.org ")
    assert (
        first == again == services.RegistrationResult(registration=None, token=None, emailed=True)
    )
    assert Registration.objects.count() == 1
    assert [message.to for message in mailoutbox] == [["Ana@Example.org"], ["Ana@Example.org"]]


def test_same_email_may_register_again_after_cancelling(event):
    services.register_attendee(event=event, email="ana@example.org")
    services.cancel_registration(registration=Registration.objects.get())
    services.register_attendee(event=event, email="ana@example.org")
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        Status.CANCELLED,
        Status.CONFIRMED,
    ]


def test_token_is_random_and_only_its_hash_is_stored(event):
    result = services.register_attendee(event=event)
    stored = Registration.objects.get()
    assert len(result.token) >= 43  # 32 random bytes, base64
    assert stored.manage_token_hash == token_hash(result.token) != result.token
    assert services.registration_for_token(result.token) == stored


def test_renewed_token_replaces_the_old_one(event):
    result = services.register_attendee(event=event)
    new = services.renew_manage_token(registration=result.registration)
    assert services.registration_for_token(result.token) is None
    assert services.registration_for_token(new) == result.registration


def test_idempotency_key_registers_once_with_the_same_token(event):
    first = services.register_attendee(event=event, idempotency_key="k" * 32)
    again = services.register_attendee(event=event, idempotency_key="k" * 32)
    assert (again.registration, again.token) == (first.registration, first.token)
    assert Registration.objects.count() == 1


def test_replay_after_renewal_does_not_bring_back_the_old_link(event):
    first = services.register_attendee(event=event, idempotency_key="k" * 32)
    services.renew_manage_token(registration=first.registration)
    again = services.register_attendee(event=event, idempotency_key="k" * 32)
    assert (again.registration, again.token) == (first.registration, None)


def test_anonymous_event_never_stores_a_name(organization):
    event = factories.make_event(organization, privacy=Event.Privacy.ANONYMOUS)
    services.register_attendee(event=event, name="Should Not Be Kept")
    assert Registration.objects.get().name == ""


def test_email_failure_keeps_the_registration_and_the_message(
    event, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    from registrations.models import OutboundMessage

    with django_capture_on_commit_callbacks(execute=True):
        result = services.register_attendee(event=event, email="ana@example.org")
    assert result.emailed
    assert Registration.objects.count() == 1
    assert OutboundMessage.objects.count() == 1  # kept for the retry


def test_sweep_sends_what_could_not_be_sent_at_once(
    event, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from registrations.models import OutboundMessage
    from registrations.tasks import send_pending_messages

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with django_capture_on_commit_callbacks(execute=True):
        services.register_attendee(event=event, email="ana@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending_messages() == 1
    assert send_pending_messages() == 0
    assert OutboundMessage.objects.count() == 0
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]


def test_the_manage_link_keeps_the_prefix_the_service_is_mounted_under():
    # Behind a proxy that mounts the service under a path (SCRIPT_NAME, which
    # Django's handler makes the script prefix), the link carries it.
    token = services.new_token()
    try:
        set_script_prefix("/coordination/")
        assert manage_path(token) == f"/coordination/r/{token}/"
        assert manage_path(token) == reverse("registrations:manage", kwargs={"token": token})
    finally:
        set_script_prefix("/")
    assert manage_path(token) == f"/r/{token}/"
