"""A calendar written in one language is not "current" for a visitor in another."""

import pytest

from tests import factories


@pytest.mark.django_db
def test_calendar_etags_differ_by_language_and_a_304_never_crosses_languages(organization, client):
    event = factories.make_event(organization)
    for url in (f"/events/{event.slug}.ics", "/calendar.ics"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        client.cookies["django_language"] = "es"
        spanish = client.get(url, HTTP_IF_NONE_MATCH=english["ETag"])
        assert spanish.status_code == 200, url  # not the English copy
        assert spanish["ETag"] != english["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=spanish["ETag"])
        assert again.status_code == 304
        assert "Cookie" in spanish["Vary"] and "Accept-Language" in spanish["Vary"]
        del client.cookies["django_language"]


@pytest.mark.django_db
def test_the_share_text_says_when_an_event_is_cancelled_or_postponed(organization, client):
    from events import services
    from events.models import Event

    event = factories.make_event(organization, title="Vigil")
    assert "Details and registration" in client.get(event.get_absolute_url()).content.decode()
    for status, word in (
        (Event.Status.POSTPONED, "POSTPONED"),
        (Event.Status.CANCELLED, "CANCELLED"),
    ):
        event.status = status
        event.status_reason = "Weather"
        services.save_event(event=event)
        page = client.get(event.get_absolute_url()).content.decode()
        assert f"{word}: Vigil" in page


@pytest.mark.django_db
def test_pages_of_a_recurring_event_show_its_next_night(organization, client):
    import datetime as dt

    from django.utils import timezone

    from events.templatetags.event_time import local_date

    first = factories.local("America/Toronto", -3, 19)
    nightly = factories.make_event(
        organization,
        title="Nightly gathering",
        starts_at=first,
        ends_at=first + dt.timedelta(hours=2),
        recurrence="FREQ=DAILY;COUNT=10",
    )
    upcoming, _ends = nightly.next_occurrence(timezone.now())
    shown = local_date(upcoming.astimezone(nightly.zone))
    page = client.get(f"/events/{nightly.slug}/register/").content.decode()
    assert f"Next: {shown}" in page
    assert local_date(first) not in page
