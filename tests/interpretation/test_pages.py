"""The interpreter's page and calendar, and the coordinators' dashboard."""

import icalendar
import pytest
from django.urls import reverse

from events.models import Role
from interpretation import services
from interpretation.models import Assignment
from registrations.services import register_attendee
from tests import factories
from tests.interpretation.factories import make_interpreter

pytestmark = pytest.mark.django_db


def page(interpreter) -> str:
    return reverse("interpretation:page", kwargs={"token": interpreter.token})


def feed(interpreter) -> str:
    return reverse("interpretation:feed", kwargs={"token": interpreter.token})


@pytest.fixture
def invited(organization, assembly, languages):
    ana = make_interpreter(organization, name="Ana Pérez", timezone="America/Vancouver")
    li = make_interpreter(organization, name="Li Wei", phone="555-0101")
    lead = services.assign_interpreter(event=assembly, interpreter=ana, target=languages["es"])
    relief = services.assign_interpreter(
        event=assembly, interpreter=li, target=languages["es"], role="relief"
    )
    return ana, li, lead, relief


def test_page_is_secret_and_lists_the_invitation(client, invited):
    ana, _li, lead, _relief = invited

    response = client.get(page(ana))

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Assembly for status" in text
    assert "Interpreting English → Spanish (Lead)" in text
    assert "4:00 p.m. – 6:00 p.m. Vancouver time" in text  # 7 pm Toronto
    assert "meet.example.org" not in text


def test_unknown_token_is_404_with_the_same_headers(client):
    response = client.get(reverse("interpretation:page", kwargs={"token": "x" * 43}))

    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"


def test_accept_from_the_page_shows_team_and_zoom(client, invited, assembly):
    from events import services as event_services

    event_services.set_meeting_link(
        event=assembly, join_url="https://meet.example.org/j/1", passcode="pass"
    )
    ana, li, lead, relief = invited
    services.accept_assignment(assignment=relief)

    response = client.post(page(ana), {"assignment": lead.pk, "action": "accept"})

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.ACCEPTED
    text = client.get(page(ana)).content.decode()
    assert "Li Wei (Relief)" in text
    assert "555-0101" not in text  # contacts stay with the coordinator
    assert "https://meet.example.org/j/1" in text
    assert "pick the Spanish channel" in text


def test_alone_on_a_long_session_is_said(client, invited):
    ana, _li, lead, _relief = invited

    client.post(page(ana), {"assignment": lead.pk, "action": "accept"})

    text = client.get(page(ana)).content.decode()
    assert "This session is longer than 60 minutes, so it needs two interpreters" in text
    assert "nobody else yet" in text


def test_someone_elses_invitation_cannot_be_answered(client, invited):
    ana, _li, _lead, relief = invited

    response = client.post(page(ana), {"assignment": relief.pk, "action": "accept"})

    assert response.status_code == 409
    assert "That invitation is not on your page." in response.content.decode()
    relief.refresh_from_db()
    assert relief.status == Assignment.Status.INVITED


def test_a_conflict_on_accept_is_shown_not_a_500(client, organization, invited, languages):
    ana, _li, lead, _relief = invited
    Assignment.objects.filter(pk=lead.pk).update(status=Assignment.Status.WITHDRAWN)
    clash = factories.make_assembly(organization, title="Clash")
    services.assign_interpreter(event=clash, interpreter=ana, target=languages["es"])
    Assignment.objects.filter(pk=lead.pk).update(status=Assignment.Status.INVITED)

    response = client.post(page(ana), {"assignment": lead.pk, "action": "accept"})

    assert response.status_code == 409
    assert "Ana Pérez is already on “Clash”" in response.content.decode()


def test_calendar_shows_accepted_then_cancelled(client, invited):
    ana, _li, lead, _relief = invited
    assert parse(client.get(feed(ana))) == []

    services.accept_assignment(assignment=lead)
    accepted = client.get(feed(ana))
    services.withdraw_assignment(assignment=lead)
    withdrawn = client.get(feed(ana))

    assert accepted["Cache-Control"] == "private, no-store"
    assert accepted["Referrer-Policy"] == "no-referrer"
    assert parse(accepted) == [
        ("Assembly for status", "CONFIRMED", "Interpreting English → Spanish (Lead)")
    ]
    assert parse(withdrawn) == [
        ("Cancelled: Assembly for status", "CANCELLED", "Interpreting English → Spanish (Lead)")
    ]


def parse(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return [
        (str(item["SUMMARY"]), str(item["STATUS"]), str(item["DESCRIPTION"]).split("\n")[0])
        for item in calendar.walk("VEVENT")
    ]


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_dashboard_needs_a_coordinator(client, organization):
    marshal = factories.make_user(organization=organization, role=Role.MARSHAL)
    assert client.get(reverse("interpretation:dashboard")).status_code == 302
    client.force_login(marshal)
    assert client.get(reverse("interpretation:dashboard")).status_code == 403


def test_dashboard_shows_needs_and_flags(coordinator_client, assembly, languages):
    for _ in range(2):
        register_attendee(event=assembly, interpretation_language=languages["pa"])

    response = coordinator_client.get(reverse("interpretation:dashboard"))

    text = response.content.decode()
    assert response.status_code == 200
    assert 'Punjabi (ਪੰਜਾਬੀ) <span class="flag">asked for, not offered</span>' in text
    assert "fewer than 5" in text  # an anonymous assembly: no exact small counts
    assert "2 registrants" not in text
    assert text.count('class="state state-uncovered"') == 2


def test_other_organizations_events_are_hidden(coordinator_client, other_organization):
    theirs = factories.make_assembly(other_organization, interpretation=("es",))

    listing = coordinator_client.get(reverse("interpretation:dashboard"))
    detail = coordinator_client.get(reverse("interpretation:event", args=[theirs.pk]))

    assert "Assembly for status" not in listing.content.decode()
    assert detail.status_code == 404


def test_invite_from_the_suggestions(coordinator_client, organization, assembly):
    ana = make_interpreter(organization, name="Ana Pérez")
    url = reverse("interpretation:event", args=[assembly.pk])

    shown = coordinator_client.get(url + "?language=es").content.decode()
    response = coordinator_client.post(
        url, {"interpreter": ana.pk, "target": "es", "role": "lead", "invite": "on"}
    )

    assert "<strong>Ana Pérez</strong>: works English and Spanish both ways" in shown
    assert response.status_code == 302
    assert Assignment.objects.get().status == Assignment.Status.INVITED


def test_bad_input_gets_form_errors(coordinator_client, organization, assembly):
    ana = make_interpreter(organization, name="Ana Pérez", windows=[(0, "09:00", "10:00")])
    url = reverse("interpretation:event", args=[assembly.pk])

    unknown = coordinator_client.post(url, {"interpreter": ana.pk, "target": "xx", "role": "lead"})
    unavailable = coordinator_client.post(
        url, {"interpreter": ana.pk, "target": "es", "role": "lead"}
    )
    bad_language = coordinator_client.get(url + "?language=zz")

    assert unknown.status_code == 400
    assert "That language is not known. Choose one from the list." in unknown.content.decode()
    assert unavailable.status_code == 409
    assert "Ana Pérez is not available" in unavailable.content.decode()
    assert bad_language.status_code == 200
    assert "That language is not known." in bad_language.content.decode()


def test_withdraw_from_the_dashboard(coordinator_client, invited):
    _ana, _li, lead, _relief = invited

    response = coordinator_client.post(
        reverse("interpretation:assignment", args=[lead.pk]), {"action": "withdraw"}
    )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.WITHDRAWN


def test_campaign_dashboard(coordinator_client, organization):
    campaign = factories.make_campaign(organization, name="Status for All")
    factories.make_event(organization, campaign=campaign, interpretation=("es",), title="Rally")

    response = coordinator_client.get(
        reverse("interpretation:campaign", kwargs={"slug": campaign.slug})
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "<h2>Toronto</h2>" in text
    assert "Rally" in text


def events_with_assignments(organization, count: int, person):
    from events.models import Language

    spanish = Language.objects.get(pk="es")
    for number in range(count):
        starts = factories.local("America/Toronto", 2 + number, 19)
        event = factories.make_assembly(
            organization, starts_at=starts, interpretation=("es", "fr"), title=f"Assembly {number}"
        )
        register_attendee(event=event, interpretation_language=Language.objects.get(pk="pa"))
        services.accept_assignment(
            assignment=services.assign_interpreter(event=event, interpreter=person, target=spanish)
        )


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_is_pinned(
    coordinator_client, organization, count, django_assert_num_queries
):
    events_with_assignments(organization, count, make_interpreter(organization))

    with django_assert_num_queries(9):
        response = coordinator_client.get(reverse("interpretation:dashboard"))

    assert response.content.decode().count('<article class="card">') == count


@pytest.mark.parametrize("count", [1, 3])
def test_interpreter_page_query_count_is_pinned(
    client, organization, count, django_assert_num_queries
):
    ana = make_interpreter(organization)
    events_with_assignments(organization, count, ana)

    with django_assert_num_queries(3):
        response = client.get(page(ana))

    assert response.content.decode().count("Interpreting English → Spanish") == count
