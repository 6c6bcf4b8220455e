"""Who sees what under /dashboard/: each role's limits."""

import pytest
from django.test import Client

from tests import factories
from tests.attendance.conftest import client_for


def event_pages(event) -> list[str]:
    base = f"/dashboard/events/{event.pk}"
    return [f"{base}/", f"{base}/export.csv", f"{base}/updates/"]


def counting_pages(event) -> list[str]:
    base = f"/dashboard/events/{event.pk}"
    return [f"{base}/counter/", f"{base}/checkin/", f"{base}/taps/"]


def test_visitor_is_sent_to_login(rally):
    for url in ["/dashboard/", *event_pages(rally), f"/dashboard/events/{rally.pk}/counter/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dashboard/login/?next=")


def test_organizer_sees_own_events_not_other_organizations(organizer, rally, other_organization):
    theirs = factories.make_event(other_organization, title="Their rally")
    client = client_for(organizer)
    home = client.get("/dashboard/").content.decode()
    assert rally.title in home and "Their rally" not in home
    for url in event_pages(rally) + counting_pages(rally):
        assert client.get(url).status_code == 200, url
    for url in event_pages(theirs) + counting_pages(theirs):
        assert client.get(url).status_code == 404, url


def test_marshal_sees_only_counter_and_checkin_of_assigned_event(marshal, organization, rally):
    other = factories.make_event(organization, title="Unassigned vigil")
    client = client_for(marshal)
    home = client.get("/dashboard/").content.decode()
    assert f"/dashboard/events/{rally.pk}/counter/" in home
    assert f'href="/dashboard/events/{rally.pk}/"' not in home
    for url in counting_pages(rally):
        assert client.get(url).status_code == 200, url
    counter = client.get(f"/dashboard/events/{rally.pk}/counter/").content.decode()
    assert '<h1>Counter · <span dir="auto">North gate</span></h1>' in counter  # their gate
    for url in event_pages(rally) + counting_pages(other) + event_pages(other):
        assert client.get(url).status_code == 404, url
    campaign = factories.make_campaign(organization)
    assert client.get(f"/dashboard/campaigns/{campaign.slug}/").status_code == 404
    assert (
        client.post(
            f"/dashboard/events/{rally.pk}/marshals/", {"username": "gate-north"}
        ).status_code
        == 404
    )


def test_coordinator_sees_interpretation_only(coordinator, organization, rally):
    client = client_for(coordinator)
    home = client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/interpretation/"' in home
    assert rally.title not in home
    campaign = factories.make_campaign(organization)
    urls = [*event_pages(rally), *counting_pages(rally), f"/dashboard/campaigns/{campaign.slug}/"]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_organizer_assigns_a_marshal_by_login(organizer, rally):
    marshal = factories.make_user(username="gate-south", is_staff=False)
    client = client_for(organizer)
    response = client.post(
        f"/dashboard/events/{rally.pk}/marshals/", {"username": "gate-south", "gate": "South"}
    )
    assert response.status_code == 302
    assert client_for(marshal).get(f"/dashboard/events/{rally.pk}/counter/").status_code == 200
    unknown = client.post(
        f"/dashboard/events/{rally.pk}/marshals/", {"username": "nobody"}, follow=True
    )
    assert "There is no login called “nobody”." in unknown.content.decode()


@pytest.mark.parametrize("username", ["gate-north"])
def test_marshal_logs_in_on_the_dashboard_login_page(marshal, username):
    client = Client()
    page = client.get("/dashboard/login/")
    assert page.status_code == 200
    response = client.post(
        "/dashboard/login/",
        {"username": username, "password": "a long test password", "next": "/dashboard/"},
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
