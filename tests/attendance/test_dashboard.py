"""The event dashboard: figures, the under-5 rule, the chart, online counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance import selectors, services
from attendance.chart import registrations_chart
from attendance.models import OnlineCount
from events import signals
from events.models import Language
from registrations import services as registration_services
from tests import factories
from tests.attendance.conftest import client_for, register


def dashboard(client, event):
    return client.get(f"/dashboard/events/{event.pk}/")


def test_figures_count_people_with_party_sizes(organization, venue):
    event = factories.make_event(organization, venue=venue, capacity=6, interpretation=("es",))
    spanish = Language.objects.get(code="es")
    register(event, party_size=3, interpretation_language=spanish)
    register(event, party_size=2)
    register(event, party_size=4)  # does not fit: waits
    cancelled = register(event, party_size=1)
    registration_services.cancel_registration(registration=cancelled)
    figures = selectors.event_figures(event, event.starts_at)
    assert (
        figures.confirmed_people,
        figures.confirmed_registrations,
        figures.waitlisted_people,
        figures.cancelled_registrations,
    ) == (5, 2, 4, 1)
    assert figures.languages == [("", 6), ("Spanish", 3)]
    assert sum(count for _day, count in figures.by_day) == 4


def test_dashboard_shows_counts_and_capacity(organizer, organization, venue):
    event = factories.make_event(organization, venue=venue, capacity=40)
    for _ in range(6):
        register(event, party_size=2)
    page = dashboard(client_for(organizer), event).content.decode()
    assert "<dt>Confirmed people</dt><dd>12</dd>" in page
    assert "12 / 40" in page
    assert '<svg class="chart"' in page


def test_anonymous_event_breakdown_under_five_shows_fewer_than_five(organizer, organization):
    assembly = factories.make_assembly(organization, interpretation=("es", "fr"))
    spanish, french = Language.objects.get(code="es"), Language.objects.get(code="fr")
    for _ in range(2):
        register(assembly, interpretation_language=spanish)
    for _ in range(6):
        register(assembly, interpretation_language=french)
    page = dashboard(client_for(organizer), assembly).content.decode()
    assert "<td>Spanish</td><td>fewer than 5</td>" in page
    assert "<td>French</td><td>6</td>" in page
    assert "<dt>Confirmed people</dt><dd>8</dd>" in page  # totals are exact


def test_chart_hides_small_days_of_anonymous_events():
    days = [(dt.date(2026, 11, 1), 2), (dt.date(2026, 11, 3), 9)]
    anonymous = str(registrations_chart(days, anonymous=True))
    standard = str(registrations_chart(days, anonymous=False))
    assert anonymous.count("<rect") == 2  # Nov 2 (0) and Nov 3 (9); Nov 1 is "<5"
    assert "2026-11-01: fewer than 5" in anonymous
    assert "2026-11-01: 2" in standard and standard.count("<rect") == 3
    assert "<script" not in anonymous


@pytest.mark.parametrize("registrations", [1, 30])
def test_dashboard_query_count_does_not_grow(organizer, organization, venue, registrations):
    event = factories.make_event(organization, venue=venue)
    for _ in range(registrations):
        register(event, interpretation_language=Language.objects.get(code="es"))
    client = client_for(organizer)
    dashboard(client, event)
    with CaptureQueriesContext(connection) as queries:
        assert dashboard(client, event).status_code == 200
    # The counts kept after personal data is deleted: one query; the menu asks
    # whether to offer interpretation: one more.
    assert len(queries) == 13


def test_online_count_signal_is_stored_with_its_peak(organization):
    assembly = factories.make_assembly(organization)
    signals.online_count_changed.send(sender=None, event=assembly, now=12, peak=12)
    signals.online_count_changed.send(sender=None, event=assembly, now=30, peak=31)
    signals.online_count_changed.send(sender=None, event=assembly, now=25, peak=20)
    row = OnlineCount.objects.get(event=assembly)
    assert (row.occurrence, row.now, row.peak) == (assembly.starts_at, 25, 31)
    figures = selectors.event_figures(assembly, assembly.starts_at)
    assert (figures.online_now, figures.online_peak) == (25, 31)


def test_online_count_goes_to_the_running_night_of_a_recurring_event(organization):
    starts = factories.local("America/Toronto", -2, 19)
    nightly = factories.make_assembly(
        organization, starts_at=starts, recurrence="FREQ=DAILY;COUNT=5"
    )
    second_night = nightly.occurrences(limit=2)[1][0]
    at = second_night + dt.timedelta(minutes=30)
    services.record_online_count(event=nightly, now=9, peak=9, at=at)
    assert OnlineCount.objects.get(event=nightly).occurrence == second_night


@pytest.mark.parametrize("events", [1, 3])
def test_dashboard_list_query_count_does_not_grow(organizer, organization, venue, events):
    campaign = factories.make_campaign(organization)
    for _ in range(events):
        factories.make_event(organization, venue=venue, campaign=campaign)
    client = client_for(organizer)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/dashboard/")
    assert (
        page.content.decode().count('<div class="card"><h3><a href="/dashboard/events/') == events
    )
    assert len(queries) == 7  # one for the menu (interpretation or not)


def test_the_dashboard_lists_what_comes_next_first(client, organization, organizer):
    from tests.factories import local

    later = make_event_at(organization, local("America/Toronto", 9, 12), "Later rally")
    sooner = make_event_at(organization, local("America/Toronto", 1, 12), "Sooner rally")
    over = make_event_at(organization, local("America/Toronto", -3, 12), "Rally that is over")
    client.force_login(organizer)
    page = client.get("/dashboard/").content.decode()
    positions = [page.index(event.title) for event in (sooner, later, over)]
    assert positions == sorted(positions)


def make_event_at(organization, starts, title):
    import datetime as dt

    return factories.make_event(
        organization, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
