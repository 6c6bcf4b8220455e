"""Two marshals count at two gates from phones; one loses the network for a while."""

import pytest
from playwright.sync_api import expect

from attendance import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/dashboard/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()


def tap(page, name: str, times: int) -> None:
    for _ in range(times):
        page.get_by_role("button", name=name).click()


def test_taps_made_offline_are_sent_when_the_network_returns(live_server, browser, shot):
    factories.ensure_languages()
    organization = factories.make_organization()
    rally = factories.make_event(organization, title="Rally at the park")
    phones = []
    for username in ("gate-north", "gate-south"):
        factories.make_user(username=username, is_staff=False)
        services.assign_marshal(event=rally, username=username)
        context = browser.new_context(viewport={"width": 360, "height": 780})
        page = context.new_page()
        log_in(page, live_server.url, username)
        page.goto(f"{live_server.url}/dashboard/events/{rally.pk}/counter/")
        phones.append((context, page))
    (north_context, north), (_south_context, south) = phones

    tap(north, "+1 entry", 3)
    tap(south, "+1 entry", 4)
    tap(south, "+1 exit", 1)
    expect(south.locator("[data-pending]")).to_be_hidden()
    expect(north.locator("[data-pending]")).to_be_hidden()
    assert selectors.tally(rally, rally.starts_at).inside == 6
    north.reload()  # the other gate's taps too
    assert north.locator("[data-total=inside]").inner_text() == "6"

    north_context.set_offline(True)
    tap(north, "+1 entry", 5)
    tap(north, "−1 entry", 1)
    expect(north.locator("[data-pending-count]")).to_have_text("6")
    assert north.locator("[data-total=inside]").inner_text() == "10"  # shown at once
    shot(north, "counter-offline")
    assert selectors.tally(rally, rally.starts_at).inside == 6  # nothing arrived yet

    north_context.set_offline(False)
    expect(north.locator("[data-pending]")).to_be_hidden(timeout=15000)
    figures = selectors.tally(rally, rally.starts_at)
    assert (figures.entries, figures.exits, figures.inside) == (11, 1, 10)

    # Offline again, and the page is closed before the network returns: the
    # taps wait on the phone and go when the counter is opened again.
    north_context.set_offline(True)
    tap(north, "+1 entry", 2)
    north.close()
    north_context.set_offline(False)
    again = north_context.new_page()
    again.goto(f"{live_server.url}/dashboard/events/{rally.pk}/counter/")
    expect(again.locator("[data-pending]")).to_be_hidden(timeout=15000)
    assert selectors.tally(rally, rally.starts_at).inside == 12
    assert again.locator("[data-total=inside]").inner_text() == "12"
    for context, _page in phones:
        context.close()
