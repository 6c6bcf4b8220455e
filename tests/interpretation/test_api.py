"""The coordinators' API: scoped, 400 for bad shapes, 409 naming the conflict."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from events.models import Language
from interpretation import services
from interpretation.models import Assignment, Interpreter
from tests import factories
from tests.interpretation.factories import make_interpreter

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(user=coordinator)
    return client


def interpreter_body(organization, **changes):
    return {
        "organization": organization.slug,
        "name": "Ana Pérez",
        "email": "ana@example.org",
        "timezone": "America/Toronto",
        "simultaneous_online": True,
        "pairs": [{"source": "en", "target": "es", "both_ways": True}],
        "availability": [{"weekday": 2, "starts": "18:00", "ends": "22:00"}],
        **changes,
    }


def test_create_interpreter_mails_the_secret_link(
    api, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/interpreters/", interpreter_body(organization), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["pairs"] == [{"source": "en", "target": "es", "both_ways": True}]
    assert body["availability"] == [
        {"weekday": 2, "date": None, "starts": "18:00:00", "ends": "22:00:00"}
    ]
    assert "token" not in str(body)
    [message] = mail.outbox
    assert message.subject == "Your interpreter page"
    assert "/interpreters/" in message.body


def test_bad_interpreter_input_is_400_with_field_errors(api, organization, other_organization):
    response = api.post(
        "/api/interpreters/",
        interpreter_body(
            other_organization,
            timezone="Mars/Olympus",
            pairs=[{"source": "en", "target": "xx"}],
            availability=[{"weekday": 2, "starts": "22:00", "ends": "18:00"}],
        ),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "organization": [
            "You coordinate interpretation only for your organizations; "
            f"“{other_organization.slug}” is not one."
        ],
        "timezone": ["Mars/Olympus is not a known time zone. Use a name like America/Toronto."],
        "pairs": {
            "0": {"target": ["“xx” is not a known language code. Use one like es, pa or ase."]}
        },
        "availability": {
            "0": {"ends": ["The hours must end after they start (split a night across two days)."]}
        },
    }
    assert Interpreter.objects.count() == 0


def test_unknown_time_zone_is_400(api, organization):
    response = api.post(
        "/api/interpreters/", interpreter_body(organization, timezone="Mars/Olympus"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "timezone": ["Mars/Olympus is not a known time zone. Use a name like America/Toronto."]
    }


def test_update_replaces_pairs(api, organization):
    ana = make_interpreter(organization)

    response = api.patch(
        f"/api/interpreters/{ana.pk}/",
        {"pairs": [{"source": "en", "target": "pa", "both_ways": False}]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["pairs"] == [{"source": "en", "target": "pa", "both_ways": False}]


def test_other_organizations_interpreters_are_invisible(api, other_organization):
    theirs = make_interpreter(other_organization)

    assert api.get("/api/interpreters/").json()["results"] == []
    assert api.get(f"/api/interpreters/{theirs.pk}/").status_code == 404


def test_organizer_without_coordination_role_elsewhere_is_refused(anonymous, organization):
    assert anonymous.get("/api/interpreters/").status_code in (401, 403)


def test_assign_conflict_is_409_naming_it(api, organization, assembly):
    ana = make_interpreter(organization, name="Ana", windows=[(0, "09:00", "10:00")])

    response = api.post(
        "/api/interpretation/assignments/",
        {"event": assembly.pk, "interpreter": ana.pk, "target": "es"},
        format="json",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "unavailable"
    assert body["non_field_errors"][0].startswith("Ana is not available ")


def test_assign_withdraw_and_coverage(api, organization, assembly):
    ana = make_interpreter(organization, name="Ana")

    created = api.post(
        "/api/interpretation/assignments/",
        {"event": assembly.pk, "interpreter": ana.pk, "target": "es", "role": "lead"},
        format="json",
    )
    coverage = api.get(f"/api/interpretation/coverage/?event={assembly.pk}")
    withdrawn = api.post(f"/api/interpretation/assignments/{created.json()['id']}/withdraw/")

    assert created.status_code == 201
    assert created.json()["status"] == "invited"
    assert coverage.json()[0]["needs"] == [
        {
            "language": "es",
            "offered": True,
            "requested": 0,
            "requested_fewer_than_5": False,
            "flagged": False,
            "needed": 2,
            "accepted": 0,
            "pending": 1,
            "declined": 0,
            "state": "uncovered",
        }
    ]
    assert withdrawn.json()["status"] == "withdrawn"
    assert Assignment.objects.get().status == "withdrawn"


def test_unknown_language_in_assignment_and_suggestions_is_400(api, organization, assembly):
    ana = make_interpreter(organization)

    assign = api.post(
        "/api/interpretation/assignments/",
        {"event": assembly.pk, "interpreter": ana.pk, "target": "klingon"},
        format="json",
    )
    suggest = api.get(f"/api/interpretation/suggestions/?event={assembly.pk}&language=klingon")

    assert assign.status_code == 400
    assert assign.json() == {
        "target": ["“klingon” is not a known language code. Use one like es, pa or ase."]
    }
    assert suggest.status_code == 400
    assert suggest.json() == {"language": ["“klingon” is not a known language code."]}


def test_suggestions_api(api, organization, assembly):
    make_interpreter(organization, name="Ana")
    make_interpreter(organization, name="Bo", pairs=[("en", "fr", True)])

    response = api.get(f"/api/interpretation/suggestions/?event={assembly.pk}&language=es")

    body = response.json()
    assert [(item["rank"], item["name"]) for item in body["ranked"]] == [(1, "Ana")]
    assert [(item["name"], item["code"]) for item in body["left_out"]] == [("Bo", "language_pair")]


def test_same_email_twice_in_an_organization_is_400(api, organization):
    make_interpreter(organization, email="ana@example.org")

    response = api.post("/api/interpreters/", interpreter_body(organization), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Another interpreter of this organization has this e-mail."]
    }


@pytest.mark.parametrize("count", [1, 3])
def test_api_lists_pin_their_query_count(api, organization, count, django_assert_num_queries):
    spanish = Language.objects.get(pk="es")
    for number in range(count):
        person = make_interpreter(organization)
        event = factories.make_assembly(organization, title=f"Assembly {number}")
        services.assign_interpreter(event=event, interpreter=person, target=spanish)

    with django_assert_num_queries(5):
        interpreters = api.get("/api/interpreters/")
    with django_assert_num_queries(3):
        assignments = api.get("/api/interpretation/assignments/")

    assert len(interpreters.json()["results"]) == len(assignments.json()["results"]) == count


def test_plan_read_and_set(api, organization, assembly, other_organization):
    url = f"/api/interpretation/events/{assembly.pk}/plan/"
    theirs = factories.make_assembly(other_organization)

    before = api.get(url)
    changed = api.put(url, {"request_threshold": 3, "travel_buffer_minutes": 45}, format="json")
    refused = api.put(url, {"request_threshold": 0, "travel_buffer_minutes": -5}, format="json")

    assert before.json() == {"request_threshold": 1, "travel_buffer_minutes": 30}
    assert changed.json() == {"request_threshold": 3, "travel_buffer_minutes": 45}
    assert refused.status_code == 400
    assert set(refused.json()) == {"request_threshold", "travel_buffer_minutes"}
    assert api.get(f"/api/interpretation/events/{theirs.pk}/plan/").status_code == 404
