import datetime as dt
import re

import pytest
from django.urls import reverse

from events import services
from events.models import Event
from tests import factories

# What a page loads by itself (scripts, images, styles, frames); links people
# choose to follow, like the map link, are not loads.
EXTERNAL_LOAD = re.compile(
    r"""(?:\bsrc=|<link\b[^>]*\bhref=|\burl\()["']?(?:https?:)?//""", re.IGNORECASE
)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def rally(organization, venue):
    return factories.make_event(
        organization,
        venue=venue,
        title="Noon rally",
        starts_at=factories.local("America/Toronto", 3, 12),
        ends_at=factories.local("America/Toronto", 3, 14),
        interpretation=("es",),
    )


def test_list_shows_upcoming_listed_events_only(client, organization, rally):
    factories.make_event(organization, title="Planning draft", visibility=Event.Visibility.DRAFT)
    factories.make_event(organization, title="Quiet vigil", visibility=Event.Visibility.UNLISTED)
    factories.make_event(
        organization,
        title="Last week's march",
        starts_at=factories.local("America/Toronto", -7, 12),
    )
    html = page(client, "/")
    assert "Noon rally" in html
    assert "Planning draft" not in html
    assert "Quiet vigil" not in html
    assert "Last week&#x27;s march" not in html


def test_list_shows_time_in_the_events_own_zone(client, organization):
    factories.make_event(
        organization,
        title="Vancouver march",
        timezone="America/Vancouver",
        starts_at=factories.local("America/Vancouver", 3, 12),
        ends_at=factories.local("America/Vancouver", 3, 14),
        venue=factories.make_venue(organization, city="Vancouver", province="BC"),
    )
    html = page(client, "/")
    assert "12:00 p.m. – 2:00 p.m. Vancouver time" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("city=toronto", {"Noon rally"}),
        ("city=MONTRÉAL", {"Manif"}),
        ("kind=assembly", {"Online assembly"}),
        ("format=online", {"Online assembly"}),
        ("language=es", {"Noon rally", "Online assembly"}),
        ("language=fr", {"Manif"}),
        ("", {"Noon rally", "Online assembly", "Manif"}),
    ],
)
def test_list_filters(client, organization, rally, query, expected):
    factories.make_event(
        organization,
        title="Online assembly",
        kind=Event.Kind.ASSEMBLY,
        format=Event.Format.ONLINE,
        language_id="es",
    )
    factories.make_event(
        organization,
        title="Manif",
        language_id="fr",
        venue=factories.make_venue(organization, city="Montréal", province="QC"),
    )
    html = page(client, f"/?{query}")
    shown = {title for title in ["Noon rally", "Online assembly", "Manif"] if title in html}
    assert shown == expected


def test_list_filters_by_campaign(client, organization, rally):
    campaign = factories.make_campaign(organization, name="Status for All")
    factories.make_event(organization, title="Campaign rally", campaign=campaign)
    html = page(client, f"/?campaign={campaign.slug}")
    assert "Campaign rally" in html
    assert "Noon rally" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("city=Atlantis", "No upcoming events in “Atlantis”. Cities with events: Toronto."),
        ("kind=picnic", "Select a valid choice. picnic is not one of the available choices."),
        ("campaign=nope", "There is no campaign with that name."),
        ("language=xx", "That language is not known here."),
        ("format=telepathy", "Select a valid choice."),
    ],
)
def test_list_explains_unknown_filter_values(client, rally, query, message):
    html = page(client, f"/?{query}", status=400)
    assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in html or message in html
    assert "Some filters could not be used" in html


def test_event_page_shows_time_place_and_languages(client, rally):
    html = page(client, rally.get_absolute_url())
    local_day = factories.local("America/Toronto", 3, 12)
    expected_date = local_day.strftime("%A, %B ") + str(local_day.day) + local_day.strftime(", %Y")
    assert f"{expected_date}, 12:00 p.m. – 2:00 p.m. Toronto time" in html
    assert "Christie Pits Park<br>750 Bloor Street West<br>Toronto ON<br>" in html
    assert "Closest to entrance 93" in html
    assert (
        'href="https://www.openstreetmap.org/search?query=750+Bloor+Street+West%2C+Toronto%2C+ON"'
        in html
    )
    assert "Interpretation into: Spanish (Español)." in html


def test_event_page_names_the_zone_of_an_evening_assembly(client, organization):
    event = factories.make_event(
        organization,
        title="Open assembly",
        format=Event.Format.ONLINE,
        privacy=Event.Privacy.ANONYMOUS,
        starts_at=factories.local("America/Toronto", 4, 20),
        ends_at=factories.local("America/Toronto", 4, 21, 30),
    )
    html = page(client, event.get_absolute_url())
    assert "8:00 p.m. – 9:30 p.m. Toronto time" in html
    assert "you do not need to give your name" in html


def test_event_page_shows_cancelled_banner_with_reason(client, rally):
    rally.status = Event.Status.CANCELLED
    rally.status_reason = "The speakers cannot travel."
    services.save_event(event=rally)
    html = page(client, rally.get_absolute_url())
    assert (
        '<div class="banner banner-cancelled" role="alert"><strong>This event is cancelled.'
        "</strong> The speakers cannot travel.</div>"
    ) in html


def test_event_page_shows_postponed_banner(client, rally):
    rally.status = Event.Status.POSTPONED
    rally.status_reason = "New date soon."
    services.save_event(event=rally)
    html = page(client, rally.get_absolute_url())
    assert "<strong>This event is postponed.</strong> New date soon." in html


def test_event_page_lists_updates_newest_first(client, rally):
    now = factories.local("America/Toronto", 0, 9)
    services.post_event_update(event=rally, body="First news", posted_at=now)
    services.post_event_update(
        event=rally, body="Second news", posted_at=now + dt.timedelta(hours=1)
    )
    html = page(client, rally.get_absolute_url())
    assert html.index("Second news") < html.index("First news")
    assert "10:00 a.m. Toronto time" in html


def test_recurring_event_page_lists_next_gatherings(client, organization, venue):
    event = factories.make_event(
        organization,
        venue=venue,
        title="Nightly gathering",
        starts_at=factories.local("America/Toronto", -2, 19),
        ends_at=factories.local("America/Toronto", -2, 20, 30),
        recurrence="FREQ=DAILY;COUNT=18",
    )
    html = page(client, event.get_absolute_url())
    occurrences = re.findall(r"<li>([^<]*7:00 p.m. – 8:30 p.m. Toronto time)</li>", html)
    assert len(occurrences) == 7
    assert "Coming dates" in html


def test_draft_is_hidden_from_the_public_but_shown_to_its_organizer(
    client, organization, organizer
):
    draft = factories.make_event(organization, title="Draft", visibility=Event.Visibility.DRAFT)
    page(client, draft.get_absolute_url(), status=404)
    client.force_login(organizer)
    assert "only your organization's organizers can see this page" in page(
        client, draft.get_absolute_url()
    )


def test_draft_is_hidden_from_another_organizations_organizer(
    client, other_organization, organizer
):
    draft = factories.make_event(other_organization, visibility=Event.Visibility.DRAFT)
    client.force_login(organizer)
    page(client, draft.get_absolute_url(), status=404)


def test_unlisted_event_opens_by_its_address(client, organization):
    event = factories.make_event(
        organization, title="Quiet vigil", visibility=Event.Visibility.UNLISTED
    )
    assert "Quiet vigil" in page(client, event.get_absolute_url())


def test_unknown_event_and_campaign_give_a_readable_404(client, db):
    assert "This page does not exist" in page(client, "/events/no-such-event/", status=404)
    assert "This page does not exist" in page(client, "/campaigns/no-such-day/", status=404)


def test_campaign_page_groups_events_by_city_each_in_its_zone(client, organization):
    campaign = factories.make_campaign(organization, name="Status for All")
    cities = [
        ("Toronto", "America/Toronto", 12, "12:00 p.m. – 2:00 p.m. Toronto time"),
        ("Edmonton", "America/Edmonton", 12, "12:00 p.m. – 2:00 p.m. Edmonton time"),
        ("Vancouver", "America/Vancouver", 12, "12:00 p.m. – 2:00 p.m. Vancouver time"),
        ("St. John's", "America/St_Johns", 18, "6:00 p.m. – 8:00 p.m. St. John’s time"),
    ]
    for city, zone, hour, _ in cities:
        factories.make_event(
            organization,
            title=f"Rally in {city}",
            campaign=campaign,
            timezone=zone,
            starts_at=factories.local(zone, 3, hour),
            venue=factories.make_venue(organization, city=city),
        )
    html = page(client, campaign.get_absolute_url())
    assert "Find the action near you" in html
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    # In order of the first event, as one instant: noon in Toronto comes first,
    # 6 pm in St. John's (21:30 UTC) last.
    assert headings[:4] == ["Toronto", "Edmonton", "Vancouver", "St. John&#x27;s"]
    for _, _, _, shown in cities:
        assert shown in html


@pytest.mark.parametrize(
    "zone, language, shown",
    [
        ("Europe/London", "en", "London time"),
        ("Europe/London", "fr", "heure de Londres"),
        ("Europe/London", "es", "hora de Londres"),
        ("Europe/London", "pa", "ਲੰਡਨ ਦਾ ਸਮਾਂ"),
        # Renamed zones, which CLDR files under their old names.
        ("Asia/Kolkata", "pa", "ਕੋਲਕਾਤਾ ਦਾ ਸਮਾਂ"),
        ("Europe/Kyiv", "pa", "ਕੀਵ ਦਾ ਸਮਾਂ"),
    ],
)
def test_the_zones_city_is_written_in_the_visitors_language(
    client, organization, zone, language, shown
):
    event = factories.make_event(organization, timezone=zone)
    client.cookies["django_language"] = language
    assert shown in page(client, event.get_absolute_url())


@pytest.mark.parametrize(
    "url", ["/", "/events/noon-rally/", "/campaigns/day/", "/?city=Nowhere", "/events/nope/"]
)
def test_pages_load_nothing_from_other_hosts(client, organization, rally, url):
    factories.make_campaign(organization, name="Day", slug="day")
    response = client.get(url)
    html = response.content.decode()
    assert EXTERNAL_LOAD.findall(html) == []
    assert "<script" not in html


def list_page_queries(client, count, django_assert_num_queries, url, make):
    for _ in range(count):
        make()
    with django_assert_num_queries(LIST_QUERIES[url]):
        assert client.get(url).status_code == 200


# Pinned: the same for 1 and for 3 events. A change here means an N+1 crept in.
LIST_QUERIES = {"/": 7, "/campaigns/pinned/": 4}


@pytest.mark.parametrize("count", [1, 3])
def test_list_page_query_count_does_not_grow(
    client, organization, count, django_assert_num_queries
):
    def make():
        factories.make_event(organization, interpretation=("es", "fr"))

    list_page_queries(client, count, django_assert_num_queries, "/", make)


@pytest.mark.parametrize("count", [1, 3])
def test_campaign_page_query_count_does_not_grow(
    client, organization, count, django_assert_num_queries
):
    campaign = factories.make_campaign(organization, slug="pinned")

    def make():
        factories.make_event(organization, campaign=campaign, interpretation=("es",))

    list_page_queries(client, count, django_assert_num_queries, "/campaigns/pinned/", make)


def test_urls_are_the_stable_addresses():
    assert reverse("events:list") == "/"
    assert reverse("events:detail", kwargs={"slug": "vigil"}) == "/events/vigil/"
    assert reverse("events:campaign", kwargs={"slug": "status"}) == "/campaigns/status/"
