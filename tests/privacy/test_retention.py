"""Personal data is deleted after events; counts stay; organizers' looks are recorded."""

import datetime as dt
import itertools
import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from events import services as event_services
from events.models import Event
from privacy import services as privacy_services
from privacy.models import PersonalDataAccess
from registrations import retention, selectors, services
from registrations.models import OutboundMessage, Registration, Seats, Tally
from tests import factories

Status = Registration.Status


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


_numbers = itertools.count()


def fill(event, *parties, language=None):
    results = []
    for size in parties:
        number = next(_numbers)
        results.append(
            services.register_attendee(
                event=event,
                party_size=size,
                name=f"Canary Name {number}",
                email=f"canary{number}@example.org",
                interpretation_language=language,
            )
        )
    return results


@pytest.mark.django_db
def test_an_anonymous_assembly_keeps_only_counts_a_day_after_it_ends(organization):
    factories.ensure_languages()
    from events.models import Language

    spanish = Language.objects.get(code="es")
    assembly = factories.make_assembly(organization, capacity=5)
    fill(assembly, 2, 2, language=spanish)
    fill(assembly, 3)  # waits
    before = selectors.registration_counts(assembly)
    pending = Registration.objects.filter(event=assembly).first().email
    OutboundMessage.objects.create(to=pending, subject="s", body="b")

    not_yet = assembly.last_ends_at + dt.timedelta(hours=20)
    assert privacy_services.purge_expired(not_yet)["registrations"] == 0
    report = privacy_services.purge_expired(assembly.last_ends_at + dt.timedelta(hours=23))

    assert report["events"] == 1 and report["registrations"] == 3
    assert not Registration.objects.filter(event=assembly).exists()
    assert not OutboundMessage.objects.filter(to__startswith="canary").exists()
    tally = Tally.objects.get(event=assembly)
    assert (tally.confirmed_people, tally.waitlisted_people) == (4, 3)
    assert (tally.confirmed_registrations, tally.waitlisted_registrations) == (2, 1)
    assert tally.languages_needed == {"es": 4}
    assert selectors.registration_counts(assembly) == before


@pytest.mark.django_db
def test_other_events_keep_data_for_their_organizations_days(organization):
    event = factories.make_event(organization)
    fill(event, 1, 1)
    ended = event.last_ends_at
    assert retention.purge_expired(ended + dt.timedelta(days=29))["registrations"] == 0
    organization.personal_data_days = 7
    organization.save()
    assert retention.purge_expired(ended + dt.timedelta(days=6))["registrations"] == 0
    assert retention.purge_expired(ended + dt.timedelta(days=7, minutes=1))["registrations"] == 2
    assert retention.purge_expired(ended + dt.timedelta(days=8))["registrations"] == 0  # once
    assert Tally.objects.get(event=event).confirmed_people == 2


@pytest.mark.django_db
def test_deleting_now_keeps_the_seats_taken(organization):
    event = factories.make_event(organization, capacity=3)
    fill(event, 2, 1)
    assert retention.purge_event(event) == 2
    # The people are still coming: their seats are not given away.
    late = services.register_attendee(event=event, party_size=1, email="late@example.org")
    assert Registration.objects.get(email="late@example.org").status == Status.WAITLISTED
    assert late.emailed
    event_services.save_event(event=Event.objects.get(pk=event.pk))  # recounts the seats
    assert Seats.objects.get(pk=event.pk).confirmed == 3
    assert selectors.registration_counts(event)["confirmed_people"] == 3
    assert retention.purge_event(event) == 1  # again: only what came since
    assert Tally.objects.get(event=event).waitlisted_registrations == 1


@pytest.mark.django_db
def test_the_job_reports_counts_only(organization, caplog):
    assembly = factories.make_assembly(organization)
    fill(assembly, 1)
    with caplog.at_level(logging.INFO):
        privacy_services.purge_expired(assembly.last_ends_at + dt.timedelta(days=1))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "1 registrations" in logged
    assert "canary" not in logged.lower()


@pytest.mark.django_db
def test_organizers_looking_at_registrations_is_recorded(organization, organizer, client):
    event = factories.make_event(organization)
    fill(event, 1)
    client.force_login(organizer)
    assert client.get(f"/api/events/{event.pk}/registrations/").status_code == 200
    assert client.get(reverse("admin:registrations_registration_changelist")).status_code == 200
    registration = Registration.objects.get(event=event)
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    assert client.get(url).status_code == 200
    records = list(PersonalDataAccess.objects.order_by("at", "pk").values_list("action", "where"))
    assert records == [("list", "api"), ("list", "admin"), ("view", "admin")]
    assert {access.username for access in PersonalDataAccess.objects.all()} == {"orga"}
    # The records themselves expire with the organization's personal data.
    later = PersonalDataAccess.objects.first().at + dt.timedelta(days=31)
    assert privacy_services.purge_expired(later)["access_records"] == 3


@pytest.mark.django_db
def test_counts_of_an_anonymous_event_are_not_an_access_to_personal_data(
    organization, organizer, client
):
    assembly = factories.make_assembly(organization)
    fill(assembly, 1)
    client.force_login(organizer)
    assert client.get(f"/api/events/{assembly.pk}/registrations/").json()["anonymous"] is True
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_organizers_can_delete_an_events_personal_data_now(organization, organizer, client):
    event = factories.make_event(organization)
    fill(event, 1, 2)
    client.force_login(organizer)
    changelist = reverse("admin:events_event_changelist")
    chosen = {"action": "delete_personal_data_now", "_selected_action": [event.pk]}
    # First the question, with what will happen; nothing is deleted yet.
    question = client.post(changelist, chosen).content.decode()
    assert "2 registrations" in question and "has not ended" in question
    assert Registration.objects.filter(event=event).count() == 2
    response = client.post(changelist, {**chosen, "confirm": "yes"}, follow=True)
    assert "Personal data deleted: 2 registrations" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()
    assert Tally.objects.get(event=event).confirmed_people == 3


@pytest.mark.django_db
def test_the_privacy_page_says_what_the_code_does(client):
    response = client.get("/privacy/")
    text = response.content.decode()
    assert response.status_code == 200
    assert f"within {int(retention.ANONYMOUS_AFTER.total_seconds() // 3600)} hours" in text
    assert "30 days after it ends" in text
    assert 'href="/privacy/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_dashboard_figures_survive_the_deletion(organization):
    from attendance import selectors as attendance_selectors
    from attendance import services as attendance_services
    from attendance.models import CheckIn

    event = factories.make_event(organization, capacity=2)
    fill(event, 1, 1, 1)
    first = Registration.objects.filter(event=event).order_by("pk").first()
    code = attendance_services.checkin_code_for(registration=first)
    attendance_services.check_in(event=event, code=code, occurrence=event.starts_at)
    before = attendance_selectors.event_figures(event, event.starts_at)

    retention.purge_event(event)

    after = attendance_selectors.event_figures(event, event.starts_at)
    assert not Registration.objects.filter(event=event).exists()
    assert CheckIn.objects.filter(event=event, registration=None).count() == 1
    for name in (
        "confirmed_people",
        "waitlisted_people",
        "cancelled_registrations",
        "checked_in_people",
    ):
        assert getattr(after, name) == getattr(before, name), name
    assert (after.confirmed_people, after.checked_in_people) == (2, 1)


@pytest.mark.django_db
def test_exporting_registrations_from_the_dashboard_is_recorded(organization, organizer, client):
    event = factories.make_event(organization)
    fill(event, 1)
    assembly = factories.make_assembly(organization)
    fill(assembly, 1)
    client.force_login(organizer)
    assert client.get(f"/dashboard/events/{event.pk}/export.csv").status_code == 200
    assert client.get(f"/dashboard/events/{assembly.pk}/export.csv").status_code == 200
    records = list(PersonalDataAccess.objects.values_list("event_id", "action", "where"))
    assert records == [(event.pk, "export", "dashboard")]  # the anonymous one is counts only


@pytest.mark.django_db
def test_a_login_without_a_next_page_lands_on_the_dashboard(organization, client):
    factories.make_user(organization=organization, username="ana")
    response = client.post(
        "/dashboard/login/", {"username": "ana", "password": "a long test password"}
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
