"""A supporter joins the demo's anonymous assembly from a phone, in a real browser."""

import datetime as dt
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services as event_services
from events.demo import load_demo
from events.models import Event
from registrations.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_without_name_or_email_then_come_back_for_the_link(
    live_server, phone, shot, accessible
):
    factories.ensure_languages()
    load_demo()
    assembly = Event.objects.get(slug="open-assembly-undocumented")

    phone.goto(f"{live_server.url}/events/{assembly.slug}/")
    shot(phone, "1-event-page")
    phone.get_by_role("link", name="Register (no name needed)").click()

    assert phone.locator("input[name=name]").count() == 0
    shot(phone, "2-form")
    phone.get_by_role("button", name="Register").click()

    assert phone.get_by_role("heading", name="You are registered").is_visible()
    link = phone.locator("#manage-link").input_value()
    shot(phone, "3-link-shown-once")
    stored = Registration.objects.get(event=assembly)
    assert (stored.name, stored.email, stored.status) == ("", "", "confirmed")

    response = phone.goto(link)
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    opens = assembly.local_start - dt.timedelta(minutes=30)
    body = phone.locator("main").inner_text()
    assert f" at {opens.strftime('%-I:%M')} p.m. Toronto time." in body
    assert "Come back on" in body
    assert "meet.example.org" not in phone.content()
    shot(phone, "4-come-back-later")

    starts = timezone.now() + dt.timedelta(minutes=20)
    assembly.starts_at, assembly.ends_at = starts, starts + dt.timedelta(hours=1, minutes=30)
    event_services.save_event(event=assembly)
    phone.reload()
    assert phone.get_by_role("link", name="Join the meeting").get_attribute("href") == (
        "https://meet.example.org/j/81234567890"
    )
    assert "status4all" in phone.locator("main").inner_text()
    shot(phone, "5-join-link")

    # Replacing the link moves the page to the new address: a reload keeps working,
    # and the page says the old link has stopped. A double tap replaces it once.
    def slow_answer(route):  # a slow network: the second tap comes before the answer
        answer = route.fetch(max_redirects=0)
        time.sleep(0.5)
        route.fulfill(response=answer)

    phone.route("**/r/*/", slow_answer)
    phone.evaluate("""() => {
        const button = [...document.querySelectorAll("button")]
            .find(b => b.textContent.trim() === "Replace my link");
        button.click();
        setTimeout(() => button.click(), 100);
    }""")
    expect(phone.locator("#link-replaced")).to_be_focused()
    phone.unroute("**/r/*/")
    new_link = phone.locator("#manage-link").input_value()
    assert new_link != link
    expect(phone).to_have_url(new_link)  # the one-time note is not in the address
    assert "the link you had before no longer works" in phone.locator("main").inner_text()
    assert phone.get_by_role("link", name="Open my page").count() == 0
    accessible(phone)
    shot(phone, "6-link-replaced")
    assert phone.reload().status == 200
    assert phone.locator("#link-replaced").count() == 0
    assert phone.goto(link).status == 404
    assert phone.goto(new_link).status == 200

    # A change the page can no longer offer (a party size sent from a page kept
    # open, or altered): the summary above the form takes the focus, says what
    # to choose and leads to the field.
    phone.locator("#id_party_size option:checked").evaluate("option => { option.value = '11'; }")
    phone.get_by_role("button", name="Save changes").click()
    expect(phone.locator("#change-errors")).to_be_focused()
    assert (
        "Choose how many people come, from 1 to 10" in phone.locator("#change-errors").inner_text()
    )
    phone.locator("#change-errors a").click()
    expect(phone.locator("#id_party_size")).to_be_focused()
    accessible(phone)
    shot(phone, "7-change-with-error")
    assert Registration.objects.get(event=assembly).party_size == 1
