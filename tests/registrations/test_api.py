"""POST /api/events/<id>/registrations/ registers; organizers GET the list."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.fields import DateTimeField
from rest_framework.test import APIClient

from events.models import Event
from registrations import services
from registrations.models import Registration, token_hash
from tests import factories

Status = Registration.Status

EMAILED = {"detail": "The registration and its personal link are being sent to the email given."}
IDEMPOTENCY_KEY = "6f1c2a3e-9b7d-4c1e-8f2a-0d9e8c7b6a51"


@pytest.fixture
def rally(organization, venue):
    return factories.make_event(
        organization, venue=venue, title="Noon rally for status", interpretation=("es",)
    )


def url(event_or_id) -> str:
    event_id = event_or_id.pk if isinstance(event_or_id, Event) else event_or_id
    return f"/api/events/{event_id}/registrations/"


def post(client, event, body, **headers):
    return client.post(url(event), body, format="json", headers=headers)


def manage_path(manage_url: str) -> str:
    # Shown on the address the request came to (the test client's).
    assert re.fullmatch(r"http://testserver/r/[\w-]{43}/", manage_url)
    return manage_url.removeprefix("http://testserver")


def body_without_link(response) -> dict:
    return {**response.json(), "manage_url": "<link>"}


# Registering


@pytest.mark.parametrize(("body", "party_size"), [({}, 1), ({"party_size": 2}, 2)])
def test_register_for_an_anonymous_event_gives_the_link(anonymous, assembly, body, party_size):
    response = post(anonymous, assembly, body)
    assert response.status_code == 201
    assert body_without_link(response) == {
        "status": "confirmed",
        "party_size": party_size,
        "waiting_position": None,
        "manage_url": "<link>",
    }
    path = manage_path(response.json()["manage_url"])
    registration = Registration.objects.get()
    token = path.removeprefix("/r/").removesuffix("/")
    assert registration.manage_token_hash == token_hash(token)
    assert Client().get(path).status_code == 200


def test_register_for_an_anonymous_event_drops_a_name(anonymous, assembly):
    response = post(anonymous, assembly, {"name": "Maria Lopez"})
    assert response.status_code == 201
    assert Registration.objects.get().name == ""


@pytest.mark.parametrize("event_fixture", ["assembly", "rally"])
def test_register_with_an_email_answers_the_same_for_a_new_and_a_known_email(
    anonymous, request, event_fixture, django_capture_on_commit_callbacks
):
    event = request.getfixturevalue(event_fixture)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(anonymous, event, {"email": "ana@example.org"})
    with django_capture_on_commit_callbacks(execute=True):
        again = post(anonymous, event, {"email": " ANA@Example.org "})
    assert (first.status_code, first.json()) == (202, EMAILED)
    assert (again.status_code, again.json()) == (202, EMAILED)
    assert Registration.objects.filter(event=event).count() == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]] * 2


def test_a_status_in_the_body_is_ignored(anonymous, organization):
    event = factories.make_assembly(organization, capacity=1)
    post(anonymous, event, {})
    response = post(anonymous, event, {"status": "confirmed"})
    assert response.status_code == 201
    assert body_without_link(response) == {
        "status": "waitlisted",
        "party_size": 1,
        "waiting_position": 1,
        "manage_url": "<link>",
    }
    assert list(Registration.objects.values_list("status", flat=True)) == [
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]


def test_the_same_idempotency_key_registers_once(anonymous, assembly):
    first = post(anonymous, assembly, {"party_size": 2}, **{"Idempotency-Key": IDEMPOTENCY_KEY})
    again = post(anonymous, assembly, {"party_size": 2}, **{"Idempotency-Key": IDEMPOTENCY_KEY})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Registration.objects.count() == 1
    assert Client().get(manage_path(again.json()["manage_url"])).status_code == 200


def test_the_same_idempotency_key_with_other_answers_is_refused(anonymous, assembly):
    post(anonymous, assembly, {"party_size": 2}, **{"Idempotency-Key": IDEMPOTENCY_KEY})
    again = post(anonymous, assembly, {"party_size": 3}, **{"Idempotency-Key": IDEMPOTENCY_KEY})
    assert again.status_code == 409
    assert again.json() == {
        "detail": "This Idempotency-Key was already used with other answers. "
        "To register again, send a new key."
    }
    assert list(Registration.objects.values_list("party_size", flat=True)) == [2]


@pytest.mark.parametrize("key", ["abcde", "k" * 65])
def test_an_idempotency_key_of_the_wrong_length_is_refused(anonymous, assembly, key):
    response = post(anonymous, assembly, {}, **{"Idempotency-Key": key})
    assert response.status_code == 400
    assert response.json() == {"Idempotency-Key": ["Use 16 to 64 characters, for example a UUID."]}
    assert Registration.objects.count() == 0


# Input the API refuses


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"party_size": 0}, {"party_size": ["Ensure this value is greater than or equal to 1."]}),
        (
            {"party_size": 1000},
            {"party_size": ["Ensure this value is less than or equal to 10."]},
        ),
        ({"party_size": "abc"}, {"party_size": ["A valid integer is required."]}),
        (
            {"interpretation_language": "xx"},
            {
                "interpretation_language": [
                    "This event offers interpretation into: es, fr. "
                    "Leave it empty if you need none."
                ]
            },
        ),
        ({"message_language": "de"}, {"message_language": ['"de" is not a valid choice.']}),
        (
            {"accessibility_needs": "ramp\x00please"},
            {"accessibility_needs": ["Null characters are not allowed."]},
        ),
        (
            {"name": "n" * 100_000},
            {"name": ["Ensure this field has no more than 200 characters."]},
        ),
        ({"email": "not an address"}, {"email": ["Enter a valid email address."]}),
        (
            ["party_size", 2],
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
        ),
    ],
)
def test_bad_input_is_refused_with_field_errors(anonymous, assembly, body, errors):
    response = post(anonymous, assembly, body)
    assert response.status_code == 400
    assert response.json() == errors
    assert Registration.objects.count() == 0


def test_an_email_longer_than_the_column_is_refused(anonymous, rally):
    # Valid by Django's address rules (up to 320 characters), but the column holds 254.
    response = post(anonymous, rally, {"email": "a" * 250 + "@example.org"})
    assert response.status_code == 400
    assert response.json() == {"email": ["Ensure this field has no more than 254 characters."]}
    assert Registration.objects.count() == 0


def test_a_body_that_is_not_json_or_form_data_is_a_400(anonymous, assembly):
    response = anonymous.post(url(assembly), "party_size=2", content_type="text/plain")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Send the body as JSON (Content-Type: application/json) or as form data."
        ]
    }
    assert Registration.objects.count() == 0


def test_broken_json_is_a_400(anonymous, assembly):
    response = anonymous.post(url(assembly), '{"party_size": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The body is not valid JSON. Check its quotes and commas."]
    }
    assert Registration.objects.count() == 0


# Refusals


def test_register_for_a_cancelled_event_is_a_conflict(anonymous, organization):
    event = factories.make_assembly(
        organization, status=Event.Status.CANCELLED, status_reason="The hall was taken back."
    )
    response = post(anonymous, event, {})
    assert response.status_code == 409
    assert response.json() == {"detail": "This event is cancelled."}
    assert Registration.objects.count() == 0


def test_register_for_a_full_event_without_waiting_list_is_a_conflict(anonymous, organization):
    event = factories.make_assembly(organization, capacity=1, has_waitlist=False)
    post(anonymous, event, {})
    response = post(anonymous, event, {})
    assert response.status_code == 409
    assert response.json() == {"detail": "This event is full and keeps no waiting list."}
    assert Registration.objects.count() == 1


def test_register_for_a_draft_of_another_organization_is_not_found(
    other_organization, as_organizer
):
    draft = factories.make_assembly(other_organization, visibility=Event.Visibility.DRAFT)
    response = post(as_organizer, draft, {})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Registration.objects.count() == 0


def test_register_for_an_unknown_event_is_not_found(anonymous, db):
    response = post(anonymous, 999_999, {})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_registering_is_rate_limited(anonymous, assembly, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    answers = [post(anonymous, assembly, {}).status_code for _ in range(3)]
    limited = post(anonymous, assembly, {})
    assert answers == [201, 201, 429]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= settings.RATE_LIMIT_WINDOW
    minutes = -(-int(limited["Retry-After"]) // 60)
    assert limited.json() == {
        "detail": f"Please wait {minutes} minute{'s' if minutes > 1 else ''} and try again."
    }
    assert Registration.objects.count() == 2


def test_rate_limit_answer_in_the_request_language(anonymous, assembly, settings):
    settings.REGISTRATION_RATE_LIMIT = 0
    limited = anonymous.post(url(assembly), {}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert limited.status_code == 429
    assert limited.json()["detail"].startswith("Espera ")


def test_the_answer_with_a_link_is_never_cached_nor_sent_on(anonymous, assembly):
    response = post(anonymous, assembly, {})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_interpretation_asked_of_an_event_that_offers_none(anonymous, organization):
    event = factories.make_assembly(organization)
    event.interpretation_languages.clear()
    response = post(anonymous, event, {"interpretation_language": "es"})
    assert response.status_code == 400
    assert response.json() == {
        "interpretation_language": ["This event offers no interpretation. Leave it empty."]
    }


# What organizers see


def api_time(value: dt.datetime) -> str:
    return DateTimeField().to_representation(value)


def test_organizer_lists_the_rows_of_a_standard_event(as_organizer, rally):
    services.register_attendee(
        event=rally,
        name="Ana Silva",
        email="ana@example.org",
        interpretation_language=rally.interpretation_languages.get(),
        message_language="es",
        consent_to_updates=True,
    )
    services.register_attendee(event=rally, party_size=3, accessibility_needs="Step-free")
    ana, group = Registration.objects.order_by("created_at", "pk")
    response = as_organizer.get(url(rally))
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": ana.pk,
                "status": "confirmed",
                "party_size": 1,
                "name": "Ana Silva",
                "email": "ana@example.org",
                "interpretation_language": "es",
                "message_language": "es",
                "accessibility_needs": "",
                "consent_to_updates": True,
                "created_at": api_time(ana.created_at),
                "checked_in_at": None,
            },
            {
                "id": group.pk,
                "status": "confirmed",
                "party_size": 3,
                "name": "",
                "email": "",
                "interpretation_language": None,
                "message_language": "en",
                "accessibility_needs": "Step-free",
                "consent_to_updates": False,
                "created_at": api_time(group.created_at),
                "checked_in_at": None,
            },
        ],
    }


def test_organizer_gets_only_counts_for_an_anonymous_event(as_organizer, organization):
    event = factories.make_assembly(organization, capacity=3)
    for size in (2, 1, 2, 1):
        services.register_attendee(event=event, party_size=size)
    last = Registration.objects.order_by("created_at", "pk").last()
    services.cancel_registration(registration=last)
    response = as_organizer.get(url(event))
    assert response.status_code == 200
    assert response.json() == {
        "anonymous": True,
        "counts": {
            "confirmed_people": 3,
            "waitlisted_people": 2,
            "confirmed_registrations": 2,
            "waitlisted_registrations": 1,
            "cancelled_registrations": 1,
        },
    }


def test_the_list_needs_a_login(anonymous, rally):
    services.register_attendee(event=rally, name="Ana Silva", email="ana@example.org")
    response = anonymous.get(url(rally))
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_an_organizer_of_another_organization_gets_not_found(other_organizer, rally):
    services.register_attendee(event=rally, name="Ana Silva", email="ana@example.org")
    client = APIClient()
    client.force_authenticate(user=other_organizer)
    response = client.get(url(rally))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_registration_close_in_the_past_is_a_conflict(anonymous, organization):
    event = factories.make_assembly(
        organization, registration_closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    response = post(anonymous, event, {})
    assert response.status_code == 409
    assert response.json() == {"detail": "Registration is closed."}


def test_errors_come_in_the_language_of_each_request(anonymous, assembly):
    """Field error texts are made per request: one language never leaks into the next."""
    url = f"/api/events/{assembly.pk}/registrations/"
    answers = {}
    for language in ("es", "fr", "en", "es"):
        response = anonymous.post(
            url, {"party_size": 0}, format="json", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 400
        answers.setdefault(language, set()).add(response.json()["party_size"][0])
    assert len(answers["es"]) == 1  # the same text both times
    assert len({text for texts in answers.values() for text in texts}) == 3
    wrong = anonymous.post(url, "hello", content_type="text/plain", HTTP_ACCEPT_LANGUAGE="es")
    assert wrong.status_code == 400
    assert "JSON" in wrong.json()["non_field_errors"][0]
    assert wrong.json()["non_field_errors"][0].startswith("Envía")


# The short way through the middleware and the Redis count (the hot path)


def test_a_registration_carries_the_headers_of_every_answer(anonymous, assembly):
    registered = post(anonymous, assembly, {}, **{"Accept-Language": "es"})
    page = Client().get("/", headers={"Accept-Language": "es"})
    assert registered.status_code == 201
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
        "Content-Language",
    ):
        assert registered[header] == page[header], header
    assert registered["Content-Language"] == "es"
    assert "Accept-Language" in registered["Vary"]
    assert registered["Content-Type"] == "application/json"
    assert "Set-Cookie" not in registered  # no session, no CSRF cookie


def test_a_logged_in_browser_registers_without_a_csrf_token(organizer, assembly):
    # As before the short way: registering needs no account and no token.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(organizer)
    response = browser.post(url(assembly), {"party_size": 2}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["party_size"] == 2


def test_other_api_posts_still_go_through_the_whole_stack(organizer, assembly):
    # A session login without a CSRF token is refused on the organizers' API.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(organizer)
    response = browser.post("/api/venues/", {"name": "Hall"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_form_data_registers_too(anonymous, assembly):
    response = anonymous.post(url(assembly), {"party_size": "3", "consent_to_updates": "true"})
    assert response.status_code == 201
    assert response.json()["party_size"] == 3


@pytest.mark.parametrize("body", ["NaN", '{"party_size": Infinity}', b"\xff\xfe"])
def test_json_that_is_not_json_is_a_400(anonymous, assembly, body):
    response = anonymous.post(url(assembly), body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_json_not_in_utf8_is_told_to_send_utf8(anonymous, assembly):
    body = '{"accessibility_needs": "fauteuil roulant, accès"}'.encode("latin-1")
    response = anonymous.post(url(assembly), body, content_type="application/json")
    assert response.status_code == 400
    assert "Send it as UTF-8" in response.json()["non_field_errors"][0]
    assert Registration.objects.count() == 0


@pytest.mark.redis
def test_the_limit_is_counted_in_redis_without_the_address(
    anonymous, assembly, settings, shared_redis
):
    import redis

    settings.REGISTRATION_RATE_LIMIT = 3
    answers = [post(anonymous, assembly, {}).status_code for _ in range(2)]
    # A refused body is an attempt too, and leaves the connection fit for the next.
    broken = anonymous.post(url(assembly), "{broken", content_type="application/json")
    limited = post(anonymous, assembly, {})
    assert answers + [broken.status_code, limited.status_code] == [201, 201, 400, 429]
    assert 1 <= int(limited["Retry-After"]) <= settings.RATE_LIMIT_WINDOW
    assert Registration.objects.count() == 2
    store = redis.Redis.from_url(shared_redis)
    counters = [key for key in store.scan_iter() if b"rl:register:" in key]
    assert len(counters) == 1
    assert int(store.get(counters[0])) == 4
    assert 0 < store.ttl(counters[0]) <= settings.RATE_LIMIT_WINDOW
    assert not [key for key in store.scan_iter() if b"127.0.0.1" in key]


@pytest.mark.redis
def test_the_count_goes_on_after_redis_forgets_the_script(
    anonymous, assembly, settings, shared_redis
):
    import redis

    settings.REGISTRATION_RATE_LIMIT = 2
    first = post(anonymous, assembly, {})
    redis.Redis.from_url(shared_redis).script_flush()  # as after a restart
    second = post(anonymous, assembly, {})
    third = post(anonymous, assembly, {})
    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 429]


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("party_size=2".encode("latin-1"), "application/x-www-form-urlencoded; charset=ISO-8859-1"),
        (b"party_size=2", "application/x-www-form-urlencoded; charset=UTF8"),
    ],
)
def test_form_data_in_another_charset_registers(anonymous, assembly, body, content_type):
    response = anonymous.generic("POST", url(assembly), body, content_type=content_type)
    assert response.status_code == 201
    assert response.json()["party_size"] == 2


NOT_TEXT = "The body is not text in the charset it names"
NOT_FORM = "The form data could not be read"


# The message names what was sent: JSON is not told about form data, nor the reverse.
@pytest.mark.parametrize(
    "body, content_type, message",
    [
        (b'{"party_size": 2}', "application/json; charset=bz2_codec", NOT_TEXT),
        (b"party_size=2", "application/x-www-form-urlencoded; charset=bz2_codec", NOT_FORM),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x; charset=hex", NOT_FORM),
        (b"[" * 100_000, "application/json", "The body is not valid JSON"),
        (b"party_size=2", "text/plain", "Send the body as JSON"),
        (b'{"party_size": 2}', "application/json; charset=punycode", NOT_TEXT),
        (b'{"party_size": 2}', "application/json; charset=undefined", NOT_TEXT),
        (b"party_size=2", "application/x-www-form-urlencoded; charset=punycode", NOT_TEXT),
        (b"party_size=2", "multipart/form-data", NOT_FORM),
    ],
)
def test_bodies_no_parser_can_read_are_a_400(anonymous, assembly, body, content_type, message):
    response = anonymous.generic("POST", url(assembly), body, content_type=content_type)
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith(message)
    assert Registration.objects.count() == 0


def test_a_lone_surrogate_echoed_in_an_error_is_still_json(anonymous, assembly):
    response = anonymous.post(
        url(assembly), '{"message_language": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "message_language" in response.json()
    assert response["Content-Length"] == str(len(response.content))


def test_an_unknown_host_is_refused_before_anything_is_stored(anonymous, assembly):
    response = anonymous.post(url(assembly), {}, format="json", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_a_body_too_large_is_a_400_with_the_usual_headers(anonymous, assembly, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "x" * 2000 + '"}'
    response = anonymous.post(url(assembly), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The body is too large: send at most 1000\xa0bytes."]
    }
    assert response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"
    assert Registration.objects.count() == 0


def test_a_body_of_megabytes_is_a_400_in_json_at_the_default_limit(anonymous, assembly):
    body = '{"accessibility_needs": "' + "x" * 3_000_000 + '"}'
    response = anonymous.post(url(assembly), body, content_type="application/json")
    assert response.status_code == 400
    assert "too large" in response.json()["non_field_errors"][0]
    assert Registration.objects.count() == 0


def test_a_chunked_body_is_refused_not_taken_as_empty(anonymous, assembly):
    response = anonymous.post(
        url(assembly),
        '{"party_size": 4}',
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 400
    assert "Content-Length" in response.json()["non_field_errors"][0]
    assert Registration.objects.count() == 0


def test_too_many_form_fields_is_a_400_in_json(anonymous, assembly, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = "&".join(f"f{n}=1" for n in range(10))
    response = anonymous.post(
        url(assembly), fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The body has more fields than a registration needs."]
    }
    assert Registration.objects.count() == 0


def test_a_client_over_the_limit_costs_the_database_nothing(
    anonymous, assembly, settings, django_assert_num_queries
):
    settings.REGISTRATION_RATE_LIMIT = 0
    with django_assert_num_queries(0):
        limited = post(anonymous, assembly, {"interpretation_language": "es"})
    assert limited.status_code == 429


@pytest.mark.redis
def test_a_connection_closed_by_redis_is_opened_again(anonymous, assembly, settings, shared_redis):
    import redis

    settings.REGISTRATION_RATE_LIMIT = 3
    first = post(anonymous, assembly, {})
    redis.Redis.from_url(shared_redis).client_kill_filter(_type="normal", skipme=True)
    answers = [post(anonymous, assembly, {}).status_code for _ in range(3)]
    assert [first.status_code, *answers] == [201, 201, 201, 429]
