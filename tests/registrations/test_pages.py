"""The registration form at /events/<slug>/register/ and the manage page at /r/<token>/."""

import datetime as dt
import hashlib
import io
import logging
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from config.logging import MaskSecretPaths
from events import services as event_services
from events.models import Event
from events.templatetags.event_time import moment_parts
from registrations import services
from registrations.models import Registration, Seats
from tests import factories

Status = Registration.Status

JOIN_URL = "https://meet.example.org/j/8675309"
PASSCODE = "481516"
# The address the test client claims to come from; it must never be stored.
CLIENT_ADDRESS = "203.0.113.77"

MANAGE_LINK = re.compile(r'<input id="manage-link"[^>]*\bvalue="([^"]+)"')
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.DOTALL)


def soon(delay: dt.timedelta) -> dt.datetime:
    """A start ``delay`` from now, on a whole minute (as organizers enter times)."""
    return (timezone.now() + delay).replace(second=0, microsecond=0)


def make_assembly(organization, *, starts_in=dt.timedelta(days=2), **values) -> Event:
    """An anonymous online assembly starting ``starts_in`` from now."""
    return factories.make_assembly(organization, starts_at=soon(starts_in), **values)


@pytest.fixture
def rally(organization, venue):
    return factories.make_event(organization, venue=venue, title="Noon rally for status")


def register_url(event: Event) -> str:
    return f"/events/{event.slug}/register/"


def post_form(client, event: Event, **fields):
    data = {"party_size": "1", "message_language": "en", **fields}
    return client.post(register_url(event), data)


def register(event: Event, party_size: int = 1, **extra) -> tuple[Registration, str | None]:
    """Register through the service; the registration as stored and its token."""
    result = services.register_attendee(event=event, party_size=party_size, **extra)
    if result.registration is not None:
        return result.registration, result.token
    stored = Registration.objects.filter(event=event).latest("created_at", "pk")
    return stored, None


def manage_path(token: str) -> str:
    return f"/r/{token}/"


def link_in(response) -> str:
    """The manage path shown in the read-only box of a "you are registered" page."""
    found = MANAGE_LINK.search(response.content.decode())
    assert found is not None
    link = found.group(1)
    assert link.startswith("http://testserver/r/")  # the address the request came to
    return link.removeprefix("http://testserver")


def link_in_mail(message) -> str:
    found = re.search(re.escape(django_settings.SITE_URL) + r"(/r/[^/\s]+/)", message.body)
    assert found is not None
    return found.group(1)


def main_text(response) -> str:
    found = MAIN.search(response.content.decode())
    assert found is not None
    return CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', found.group(1))


def assert_secret_headers(response) -> None:
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"


def statuses(event: Event) -> list[tuple[int, str]]:
    return list(
        Registration.objects.filter(event=event)
        .order_by("created_at", "pk")
        .values_list("party_size", "status")
    )


def change_form(party_size: int) -> dict:
    return {
        "action": "change",
        "party_size": str(party_size),
        "interpretation_language": "",
        "message_language": "en",
    }


# The form of an anonymous event


def test_anonymous_form_has_no_name_field(client, assembly):
    response = client.get(register_url(assembly))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="name"' not in html
    email_input = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert "required" not in email_input
    assert "Email (optional)" in html
    # The form itself is not secret: its posts must carry their Origin for CSRF.
    assert (response["Cache-Control"], response["Referrer-Policy"]) == ("no-store", "same-origin")


def test_anonymous_registration_shows_the_link_and_stores_no_identity(client, assembly):
    response = post_form(client, assembly)
    assert response.status_code == 200
    assert_secret_headers(response)
    # Shown with the advice to keep it, which claims nothing untrue: the
    # token is not stored, only its hash.
    assert "We keep no copy of it, so we cannot send it to you later." in main_text(response)
    path = link_in(response)
    token = path.removeprefix("/r/").removesuffix("/")
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.email_key) == ("", "", "")
    assert registration.status == Status.CONFIRMED
    assert registration.manage_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert registration.manage_token_hash != token
    assert client.get(path).status_code == 200


def test_anonymous_registration_drops_a_name_sent_anyway(client, assembly):
    response = post_form(client, assembly, name="Maria Lopez")
    assert response.status_code == 200
    assert Registration.objects.get().name == ""


# The manage page and the join link


@pytest.mark.parametrize(
    "now, starts, said",
    [
        # 6 pm in Toronto, 11 pm UTC; the window opens at 8 pm, 1 am UTC the next day.
        ((10, 18, 0), (10, 20, 30), "Come back today at 8:00 p.m. Toronto time."),
        # 11 pm in Toronto, 4 am UTC; the window opens at half past midnight,
        # still that day in UTC but the next day in Toronto.
        ((10, 23, 0), (11, 1, 0), "Come back on {date} at 12:30 a.m. Toronto time."),
    ],
)
def test_the_day_to_come_back_is_today_or_a_date_in_the_events_zone(
    client, organization, now, starts, said
):
    toronto = ZoneInfo("America/Toronto")
    # January of next year: always ahead, and Toronto is then 5 hours behind UTC.
    year = timezone.now().year + 1
    starts_at = dt.datetime(year, 1, starts[0], starts[1], starts[2], tzinfo=toronto)
    event = make_assembly(organization, starts_in=starts_at - timezone.now())
    event_services.set_meeting_link(event=event, join_url=JOIN_URL, passcode=PASSCODE)
    _registration, token = register(event)
    moment = dt.datetime(year, 1, now[0], now[1], now[2], tzinfo=toronto)
    # The page as read at that moment: the clock is Django's, not this project's.
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        html = client.get(manage_path(token)).content.decode()
    date = f"{dt.date(year, 1, 11):%A}, January 11, {year}"
    assert f"<strong>{said.format(date=date)}</strong>" in html


def test_manage_page_before_the_reveal_window_says_when_to_come_back(client, organization):
    # Two days ahead: the window opens on another day than today's.
    event = make_assembly(organization, starts_in=dt.timedelta(days=2))
    event_services.set_meeting_link(event=event, join_url=JOIN_URL, passcode=PASSCODE)
    _registration, token = register(event)
    response = client.get(manage_path(token))
    html = response.content.decode()
    opens_at = event.starts_at - dt.timedelta(minutes=30)
    opens = moment_parts(opens_at, "America/Toronto")
    local = opens_at.astimezone(ZoneInfo("America/Toronto"))
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'a.m.' if local.hour < 12 else 'p.m.'}"
    assert response.status_code == 200
    assert opens["time"] == f"{clock} Toronto time"
    assert opens["date"] == f"{local:%A}, {local:%B} {local.day}, {local.year}"
    assert f"<strong>Come back on {opens['date']} at {opens['time']}.</strong>" in html
    seconds_left = (opens_at - timezone.now()).total_seconds()
    shown = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert seconds_left - 60 < shown <= seconds_left
    assert JOIN_URL not in html
    assert "meet.example.org" not in html
    assert PASSCODE not in html
    assert_secret_headers(response)


def test_manage_page_in_the_reveal_window_shows_join_link_and_passcode(client, organization):
    event = make_assembly(organization, starts_in=dt.timedelta(minutes=20))
    event_services.set_meeting_link(event=event, join_url=JOIN_URL, passcode=PASSCODE)
    _registration, token = register(event)
    response = client.get(manage_path(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<code>{JOIN_URL}</code>" in html
    assert f"<code>{PASSCODE}</code>" in html
    assert "Come back on" not in html
    assert_secret_headers(response)


def test_manage_page_of_a_waitlisted_registration_never_shows_the_join_link(client, organization):
    event = make_assembly(organization, starts_in=dt.timedelta(minutes=20), capacity=1)
    event_services.set_meeting_link(event=event, join_url=JOIN_URL, passcode=PASSCODE)
    register(event)
    waiting, token = register(event)
    response = client.get(manage_path(token))
    html = response.content.decode()
    assert waiting.status == Status.WAITLISTED
    assert response.status_code == 200
    assert "On the waiting list: number 1." in html
    assert "The join link is shown only to confirmed registrations." in html
    assert JOIN_URL not in html
    assert PASSCODE not in html


def test_unknown_renewed_and_mistyped_links_get_the_same_404(client, assembly):
    registration, token = register(assembly)
    renewed = services.renew_manage_token(registration=registration)
    mistyped = renewed[:-1] + ("A" if renewed[-1] != "A" else "B")
    unknown = services.new_token()

    def not_found_page(bad_token: str) -> tuple[int, str]:
        response = client.get(manage_path(bad_token))
        assert_secret_headers(response)
        # The page repeats its own address (language switcher) and carries a
        # fresh CSRF mask: both differ by request, not by why the link failed.
        body = response.content.decode().replace(bad_token, "TOKEN")
        return response.status_code, CSRF_VALUE.sub("", body)

    old_link = not_found_page(token)
    assert old_link[0] == 404
    assert "This link does not work" in old_link[1]
    assert not_found_page(unknown) == old_link
    assert not_found_page(mistyped) == old_link
    assert client.get(manage_path(renewed)).status_code == 200


# Actions on the manage page


def test_renew_shows_a_new_link_and_the_old_one_stops_working(client, assembly):
    _registration, token = register(assembly)
    answer = client.post(manage_path(token), {"action": "renew"})
    # The browser goes to the new address: a reload uses the link that works.
    assert answer.status_code == 302
    new_path = answer["Location"].removesuffix("?renewed=1")
    assert new_path != manage_path(token) and new_path.startswith("/r/")
    assert_secret_headers(answer)
    response = client.get(answer["Location"])
    assert response.status_code == 200
    assert_secret_headers(response)
    assert link_in(response) == new_path
    assert "the link you had before no longer works" in main_text(response)
    assert "We keep no copy of it" not in main_text(response)
    assert client.get(manage_path(token)).status_code == 404
    assert "no longer works" not in main_text(client.get(new_path))


def test_cancel_frees_the_seat_for_the_first_waiting_party(
    client, organization, django_capture_on_commit_callbacks
):
    event = make_assembly(organization, capacity=1, title="Assembly on the regularization")
    first, token = register(event)
    waiting, _token = register(event, email="waiting@example.org")
    assert waiting.status == Status.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_path(token), {"action": "cancel", "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == manage_path(token)
    page = client.get(manage_path(token))
    html = page.content.decode()
    assert "Your registration is cancelled." in html
    assert f'href="{event.get_absolute_url()}" rel="noreferrer">Coming after all?' in html
    # Nothing left to join, change or add to a calendar.
    for gone in ("How to join", "Save changes", "Cancel my registration", "In your calendar"):
        assert gone not in html
    # Once the event itself is called off, there is nothing to register for again.
    event.status, event.status_reason = Event.Status.CANCELLED, "Storm"
    event_services.save_event(event=event)
    html = client.get(manage_path(token)).content.decode()
    assert "This event is cancelled." in html and "Coming after all?" not in html
    assert statuses(event) == [(1, Status.CANCELLED), (1, Status.CONFIRMED)]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["waiting@example.org"], "A place opened for you: Assembly on the regularization")
    ]


def test_cancel_without_email_on_the_waiting_party_sends_nothing(
    client, organization, django_capture_on_commit_callbacks
):
    event = make_assembly(organization, capacity=1)
    _first, token = register(event)
    register(event)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_path(token), {"action": "cancel", "confirm": "yes"})
    assert statuses(event) == [(1, Status.CANCELLED), (1, Status.CONFIRMED)]
    assert mail.outbox == []


def test_growing_a_party_beyond_the_free_seats_is_refused(client, organization):
    event = make_assembly(organization, capacity=4)
    _small, token = register(event, 1)
    register(event, 2)
    register(event, 2)
    response = client.post(manage_path(token), change_form(3))
    html = response.content.decode()
    assert response.status_code == 409
    # Said in the change form's summary; the form keeps the size asked for.
    assert re.search(
        r'<div class="error" id="change-errors"[^>]*autofocus>\s*<p>Only 1 more place is free.',
        html,
    )
    assert '<option value="3" selected>' in html
    assert html.count("autofocus") == 1
    assert (
        "Only 1 more place is free. Keep your party as it is, or register the others "
        "separately to join the waiting list."
    ) in html
    assert statuses(event) == [
        (1, Status.CONFIRMED),
        (2, Status.CONFIRMED),
        (2, Status.WAITLISTED),
    ]
    assert Seats.objects.get(pk=event.pk).confirmed == 3


def test_shrinking_a_party_promotes_the_waiting_line(client, organization):
    event = make_assembly(organization, capacity=4)
    register(event, 1)
    _large, token = register(event, 3)
    register(event, 2)
    response = client.post(manage_path(token), change_form(1))
    assert response.status_code == 302
    assert response["Location"] == manage_path(token) + "?saved=1"
    assert statuses(event) == [
        (1, Status.CONFIRMED),
        (1, Status.CONFIRMED),
        (2, Status.CONFIRMED),
    ]
    assert Seats.objects.get(pk=event.pk).confirmed == 4


# A standard event with an email


def test_registering_with_email_mails_the_link(client, rally, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, rally, email="ana@example.org")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Check your email</h1>" in html
    # The address as given, so that a typing mistake shows.
    assert '<strong dir="ltr" class="address">ana@example.org</strong>' in html
    assert MANAGE_LINK.search(html) is None
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    path = link_in_mail(mail.outbox[0])
    assert path not in html
    assert client.get(path).status_code == 200


def test_registering_again_with_the_same_email_looks_the_same_and_sends_a_second_link(
    client, rally, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post_form(client, rally, email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        again = post_form(client, rally, email="  ANA@Example.ORG ")
    # The same answer but for the address, shown as typed (spaces aside).
    assert "ANA@Example.ORG</strong>" in again.content.decode()
    shown_again = main_text(again).replace("ANA@Example.ORG", "ana@example.org")
    assert (again.status_code, shown_again) == (first.status_code, main_text(first))
    assert Registration.objects.filter(event=rally).count() == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]] * 2
    first_path, second_path = link_in_mail(mail.outbox[0]), link_in_mail(mail.outbox[1])
    assert second_path != first_path
    # Whoever knows an address cannot cut its owner off: both links open the page.
    assert client.get(first_path).status_code == 200
    assert client.get(second_path).status_code == 200
    assert "links from earlier e-mails keep working" in mail.outbox[1].body
    # A third registration replaces the second link, never the first.
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, rally, email="ana@example.org")
    third_path = link_in_mail(mail.outbox[2])
    assert [client.get(p).status_code for p in (first_path, second_path, third_path)] == [
        200,
        404,
        200,
    ]
    # The owner replacing the link from the page ends every earlier one.
    renewed = client.post(third_path, {"action": "renew"}, follow=True)
    assert [client.get(p).status_code for p in (first_path, third_path, link_in(renewed))] == [
        404,
        404,
        200,
    ]


def test_changes_on_the_manage_page_say_they_are_saved(client, rally):
    _registration, token = register(rally)
    response = client.post(manage_path(token), change_form(2), follow=True)
    assert response.status_code == 200
    assert "Your changes are saved." in response.content.decode()
    assert "Your changes are saved." not in client.get(manage_path(token)).content.decode()


def test_a_change_the_page_cannot_offer_is_summarized_above_the_form(client, rally):
    registration, token = register(rally, party_size=3)
    response = client.post(manage_path(token), change_form(11))
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(
        r'<div class="error" id="change-errors"[^>]*autofocus>(.*?)</div>', html, re.S
    )
    assert summary is not None
    assert 'href="#id_party_size"' in summary.group(1) and 'id="id_party_size"' in html
    assert html.count("autofocus") == 1
    assert "Choose how many people come, from 1 to 10, you included." in summary.group(1)
    # One alert: the summary; the field's own message is tied to it, not announced again.
    assert html.count('role="alert"') == 1
    assert re.search(r'aria-describedby="[^"]*\bid_party_size_error"', html)
    # The list shows the size still booked, not its first choice: saving
    # again without a look must not shrink the party to 1.
    party_select = re.search(r'<select name="party_size".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)" selected>', party_select) == ["3"]
    registration.refresh_from_db()
    assert registration.party_size == 3


def test_without_an_email_the_language_choice_is_the_calendars(client, rally):
    _registration, token = register(rally)
    page = client.get(manage_path(token)).content.decode()
    assert "Language of your calendar" in page and "Language for messages" not in page
    with_email, _token = register(rally, email="ana@example.org")  # the link goes by e-mail
    token = services.renew_manage_token(registration=with_email)
    page = client.get(manage_path(token)).content.decode()
    assert "Language for messages" in page and "Language of your calendar" not in page


def test_updates_can_be_stopped_from_the_manage_page(client, rally):
    registration, _ = register(rally, email="ana@example.org", consent_to_updates=True)
    token = services.renew_manage_token(registration=registration)
    page = client.get(manage_path(token)).content.decode()
    assert 'name="consent_to_updates"' in page and "checked" in page
    client.post(manage_path(token), change_form(1))  # the box left unticked
    registration.refresh_from_db()
    assert registration.consent_to_updates is False


def test_no_updates_choice_without_an_email(client, assembly):
    _registration, token = register(assembly)
    assert 'name="consent_to_updates"' not in client.get(manage_path(token)).content.decode()


def test_changing_language_after_registering_leads_to_the_persons_page(client, assembly):
    response = post_form(client, assembly)
    link = link_in(response)
    assert f'<input name="next" type="hidden" value="{link}">' in response.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "es", "next": link})
    assert switched.status_code == 302
    assert switched["Location"] == link


def test_email_goes_to_the_address_given_with_the_event_title(
    client, rally, django_capture_on_commit_callbacks
):
    # No locale/ catalog exists yet, so the Spanish wording is not checked.
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, rally, email="lucia@example.org", message_language="es")
    assert [message.to for message in mail.outbox] == [["lucia@example.org"]]
    assert "Noon rally for status" in mail.outbox[0].subject
    assert Registration.objects.get().message_language == "es"


def test_a_form_submitted_twice_registers_once(client, assembly):
    form_token = client.get(register_url(assembly)).context["form"]["form_token"].value()
    first = post_form(client, assembly, form_token=form_token)
    again = post_form(client, assembly, form_token=form_token)
    assert (first.status_code, again.status_code) == (200, 200)
    assert link_in(again) == link_in(first)
    assert Registration.objects.count() == 1


# Input the form refuses


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"party_size": "0"}, "Choose how many people come, from 1 to 10, you included."),
        ({"party_size": "1000"}, "Choose how many people come, from 1 to 10, you included."),
        ({"accessibility_needs": "ramp\x00please"}, "Null characters are not allowed."),
        (
            {"accessibility_needs": "x" * 100_000},
            "Ensure this value has at most 1000 characters (it has 100000).",
        ),
        (
            {"interpretation_language": "xx"},
            "This event does not offer that language. Choose one from the list, or “None needed”.",
        ),
        ({"message_language": "de"}, "That language is not known. Choose one from the list."),
        ({"email": "not an address"}, "Enter a valid email address."),
    ],
)
def test_bad_form_input_is_refused(client, assembly, fields, error):
    response = post_form(client, assembly, **fields)
    assert response.status_code == 400
    html, name = response.content.decode(), next(iter(fields))
    # The message is tied to its field, so a screen reader reads it with the field,
    # and the summary at the top (focused on arrival) links to the field.
    assert f'<span class="field-error" id="id_{name}_error">{error}</span>' in html
    assert re.search(rf'aria-describedby="[^"]*\bid_{name}_error"', html)
    summary = re.search(
        r'<div class="error" id="form-errors"[^>]*autofocus>(.*?)</div>', html, re.S
    )
    assert summary is not None and f'href="#id_{name}"' in summary.group(1)
    assert Registration.objects.count() == 0


def test_a_filled_trap_field_is_refused_with_a_message(client, assembly):
    # Browsers and password managers sometimes fill hidden fields: the person
    # must be told what went wrong, not shown the same form again in silence.
    response = post_form(client, assembly, website="https://spam.example.com")
    assert response.status_code == 400
    assert "Please leave the field “Leave this field empty” empty." in (response.content.decode())
    assert Registration.objects.count() == 0


def test_a_name_too_long_is_refused(client, rally):
    response = post_form(client, rally, name="n" * 100_000)
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 100000)." in (
        response.content.decode()
    )
    assert Registration.objects.count() == 0


def test_an_email_longer_than_the_column_is_refused(client, rally):
    # Valid by Django's address rules (up to 320 characters), but the column holds 254.
    address = "a" * 250 + "@example.org"
    response = post_form(client, rally, email=address)
    assert response.status_code == 400
    assert "Ensure this value has at most 254 characters (it has 262)." in (
        response.content.decode()
    )
    assert Registration.objects.count() == 0


# Registration refused


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"status": Event.Status.CANCELLED, "status_reason": "The hall was taken back."},
            "This event is cancelled.",
        ),
        (
            {"status": Event.Status.POSTPONED, "status_reason": "Storm warning."},
            "This event is postponed. Registration opens again when it has a new date.",
        ),
        (
            {"registration_closes_at": timezone.now() - dt.timedelta(hours=1)},
            "Registration is closed.",
        ),
    ],
)
def test_registration_is_refused_when_the_event_is_not_open(client, organization, values, message):
    event = make_assembly(organization, **values)
    shown = client.get(register_url(event))
    response = post_form(client, event)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="banner banner-cancelled" role="alert">{message}</div>' in html
    assert 'name="party_size"' not in html
    assert main_text(shown) == main_text(response)
    assert Registration.objects.count() == 0


def test_a_full_event_without_waiting_list_refuses(client, organization):
    event = make_assembly(organization, capacity=1, has_waitlist=False)
    register(event)
    response = post_form(client, event)
    html = response.content.decode()
    assert response.status_code == 409
    assert re.search(
        r'<div class="error" id="form-errors" role="alert"[^>]*>\s*'
        r"<p>This event is full and keeps no waiting list.",
        html,
    )
    assert Registration.objects.count() == 1
    assert Seats.objects.get(pk=event.pk).confirmed == 1


def test_the_waiting_list_position_is_shown(client, organization):
    event = make_assembly(organization, capacity=2)
    post_form(client, event)
    post_form(client, event)
    response = post_form(client, event)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>You are on the waiting list</h1>" in html
    assert "You are number 1 on the waiting list" in html
    assert statuses(event) == [
        (1, Status.CONFIRMED),
        (1, Status.CONFIRMED),
        (1, Status.WAITLISTED),
    ]


# Rate limits and traces


def stored_values() -> list[str]:
    """Every value of every row of every table the project has models for."""
    values = []
    for model in apps.get_models():
        for row in model._default_manager.values():
            values.extend(str(value) for value in row.values())
    return values


def test_registration_is_rate_limited_without_storing_the_address(client, assembly, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR=CLIENT_ADDRESS)
    answers = [post_form(client, assembly).status_code for _ in range(3)]
    response = post_form(client, assembly)
    assert answers == [200, 200, 429]
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.RATE_LIMIT_WINDOW
    assert "<h1>Too many attempts</h1>" in response.content.decode()
    assert Registration.objects.count() == 2
    assert [value for value in stored_values() if CLIENT_ADDRESS in value] == []


def test_other_clients_are_not_limited_by_one_client(client, assembly, settings):
    settings.REGISTRATION_RATE_LIMIT = 1
    post_form(Client(REMOTE_ADDR=CLIENT_ADDRESS), assembly)
    response = post_form(Client(REMOTE_ADDR="198.51.100.5"), assembly)
    assert response.status_code == 200


def test_unknown_links_are_rate_limited(client, assembly, settings):
    settings.MANAGE_LINK_MISS_LIMIT = 2
    _registration, token = register(assembly)
    answers = [client.get(manage_path(services.new_token())).status_code for _ in range(3)]
    limited = client.get(manage_path(services.new_token()))
    assert answers == [404, 404, 429]
    assert 1 <= int(limited["Retry-After"]) <= settings.RATE_LIMIT_WINDOW
    assert "<h1>Too many attempts</h1>" in limited.content.decode()
    assert client.get(manage_path(token)).status_code == 200


def test_mask_secret_paths_hides_the_token_in_a_log_record():
    token = services.new_token()
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/r/{token}/",), None
    )
    record.request = object()
    assert MaskSecretPaths().filter(record) is True
    assert record.getMessage() == "Not Found: /r/[secret]/"
    assert record.request is None


def test_logging_settings_put_the_mask_on_the_console_handler(settings):
    assert settings.LOGGING["filters"]["mask_secrets"] == {"()": "config.logging.MaskSecretPaths"}
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["mask_secrets"]
    assert settings.LOGGING["loggers"]["django"]["handlers"] == ["console"]


def test_a_404_on_a_manage_link_is_logged_without_the_token(client, db):
    # caplog listens on the root logger, which "django" does not propagate to,
    # so the line is read from the configured console handler itself.
    console = next(
        handler
        for handler in logging.getLogger("django").handlers
        if any(isinstance(item, MaskSecretPaths) for item in handler.filters)
    )
    stream = io.StringIO()
    previous = console.setStream(stream)
    token = services.new_token()
    try:
        response = client.get(manage_path(token))
    finally:
        console.setStream(previous)
    logged = stream.getvalue()
    assert response.status_code == 404
    assert "WARNING django.request Not Found: /r/[secret]/" in logged
    assert token not in logged


def test_cancelling_needs_the_confirmation_box(client, organization):
    event = factories.make_event(organization, capacity=5)
    result = services.register_attendee(event=event)
    response = client.post(f"/r/{result.token}/", {"action": "cancel"})
    assert response.status_code == 400
    # At the top of the page, which takes the focus.
    assert re.search(
        r'<div class="error" id="page-error" role="alert" tabindex="-1" autofocus><p>'
        r"Tick “Yes, I want to cancel” to cancel your registration.",
        response.content.decode(),
    )
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
