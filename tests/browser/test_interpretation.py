"""The issue's "done when" in a real browser: a coordinator covers the demo
assembly's Spanish and Punjabi, the interpreters accept from their phones,
and their calendars show the assignment."""

import io
import re

import icalendar
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from events.models import Organization, Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = {"es": "Spanish", "pa": "Punjabi"}
LINK = re.compile(r"^  (?P<name>[^:]+): https?://[^/]+(?P<path>/interpreters/[^/]+/)$", re.M)


def test_coordinator_covers_the_demo_assembly(live_server, browser, shot):
    factories.ensure_languages()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    pages = {match["name"]: match["path"] for match in LINK.finditer(out.getvalue())}
    coordinator = factories.make_user(
        organization=Organization.objects.get(slug="migrant-rights-toronto"),
        role=Role.INTERPRETATION_COORDINATOR,
        username="coordinator",
    )
    desk = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-CA").new_page()
    desk.goto(f"{live_server.url}/admin/login/?next=/dashboard/interpretation/")
    desk.fill("#id_username", coordinator.username)
    desk.fill("#id_password", "a long test password")
    desk.click("input[type=submit]")
    desk.get_by_role("link", name="Open assembly for undocumented migrants and supporters").click()
    coverage = desk.locator("table.coverage").first
    expect(coverage).to_contain_text("Punjabi (ਪੰਜਾਬੀ) asked for, not offered")
    expect(coverage).to_contain_text("fewer than 5")
    shot(desk, "interpretation-1-needs")

    invited = []
    for code in ("es", "pa"):
        desk.select_option("#suggest-language", code)
        desk.get_by_role("button", name="Show").click()
        for role in ("lead", "relief"):
            expect(desk.locator("h3").last).to_contain_text("Into " + LANGUAGES[code])
            first = desk.locator("ol.ranked li").first
            name = first.locator("strong").inner_text()
            invited.append(name)
            first.locator(f"button[value={role}]").click()
            expect(desk.locator("table.coverage").nth(1)).to_contain_text(name)
    assert invited == ["Diego Ramírez", "Lucía Gómez", "Gurpreet Singh", "Harpreet Kaur"]
    shot(desk, "interpretation-2-invited")

    phone = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-CA").new_page()
    for name in invited:
        response = phone.goto(live_server.url + pages[name])
        assert response.headers["referrer-policy"] == "no-referrer"
        phone.get_by_role("button", name="Accept").click()
        expect(phone.locator("main")).to_contain_text("No open invitations.")
    expect(phone.locator("article.card").first).to_contain_text("Gurpreet Singh (Lead)")
    shot(phone, "interpretation-3-accepted")

    desk.reload()
    expect(desk.locator("table.coverage").first.locator(".state")).to_have_text(
        ["covered", "covered"]
    )
    shot(desk, "interpretation-4-covered")
    for name in invited:
        feed = phone.request.get(live_server.url + pages[name] + "calendar.ics")
        [entry] = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
        assert str(entry["SUMMARY"]) == "Open assembly for undocumented migrants and supporters"
        assert str(entry["STATUS"]) == "CONFIRMED"
