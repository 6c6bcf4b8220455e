"""The admin for coordinators: scoped, and every change through the services."""

import pytest

from interpretation.models import Assignment, Interpreter
from tests.interpretation.factories import make_interpreter

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


def inline_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_add_interpreter_with_pairs_and_hours(admin_client, organization):
    data = {
        "organization": organization.pk,
        "name": "Ana Pérez",
        "email": "ana@example.org",
        "message_language": "es",
        "timezone": "America/Toronto",
        "simultaneous_online": "on",
        "is_active": "on",
        **inline_management("pairs", 1),
        "pairs-0-source": "en",
        "pairs-0-target": "es",
        "pairs-0-both_ways": "on",
        **inline_management("availability", 1),
        "availability-0-weekday": "2",
        "availability-0-starts": "18:00",
        "availability-0-ends": "22:00",
    }

    response = admin_client.post("/admin/interpretation/interpreter/add/", data)

    assert response.status_code == 302
    ana = Interpreter.objects.get()
    assert [str(pair) for pair in ana.pairs.all()] == ["en ↔ es"]
    assert [str(window) for window in ana.availability.all()] == ["Wednesday 18:00–22:00"]
    assert len(ana.token_hash) == 64


def test_hours_ending_before_start_are_a_form_error(admin_client, organization):
    data = {
        "organization": organization.pk,
        "name": "Ana Pérez",
        "email": "ana@example.org",
        "message_language": "en",
        "timezone": "America/Toronto",
        "is_active": "on",
        **inline_management("pairs", 0),
        **inline_management("availability", 1),
        "availability-0-weekday": "2",
        "availability-0-starts": "22:00",
        "availability-0-ends": "18:00",
    }

    response = admin_client.post("/admin/interpretation/interpreter/add/", data)

    assert response.status_code == 200
    assert "The hours must end after they start" in response.content.decode()
    assert Interpreter.objects.count() == 0


def test_assignment_conflict_in_the_admin_is_a_message(admin_client, organization, assembly):
    ana = make_interpreter(organization, name="Ana", pairs=[("en", "fr", True)])

    response = admin_client.post(
        "/admin/interpretation/assignment/add/",
        {"event": assembly.pk, "interpreter": ana.pk, "target": "es", "role": "lead"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Ana does not interpret from English into Spanish." in response.content.decode()
    assert Assignment.objects.count() == 0


def test_other_organizations_interpreters_are_hidden(admin_client, other_organization):
    theirs = make_interpreter(other_organization, name="Somebody Else")

    listing = admin_client.get("/admin/interpretation/interpreter/")
    detail = admin_client.get(f"/admin/interpretation/interpreter/{theirs.pk}/change/")

    assert "Somebody Else" not in listing.content.decode()
    assert detail.status_code == 302  # the admin sends unknown objects back to its index
