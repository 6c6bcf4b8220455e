"""The API under generated requests (schemathesis, from /api/schema/): no 5xx,
answers that match the schema, and no write that works without logging in.

Bounded: a fixed number of examples per operation, so CI stays fast.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import factories

# Writes anyone may make: registering for an event.
PUBLIC_WRITES = {("POST", "/api/events/{event_id}/registrations/")}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Reads only organizers may make.
PROTECTED_READS = {("GET", "/api/events/{event_id}/registrations/")}


@pytest.fixture
def api_schema(db, organization, settings):
    settings.REGISTRATION_RATE_LIMIT = 10**9
    cache.clear()
    factories.make_event(organization, capacity=3)
    factories.make_assembly(organization)
    factories.make_campaign(organization)
    # As Django's test client does: requests run inside the test's
    # transaction, so they must not close the database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


def writes_need_a_login(ctx, response, case):
    method = case.method.upper()
    protected = (method in WRITES and (method, case.path) not in PUBLIC_WRITES) or (
        (method, case.path) in PROTECTED_READS
    )
    if protected and not 400 <= response.status_code < 500:
        raise AssertionError(
            f"{case.method} {case.path} answered {response.status_code} without a login"
        )


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_to_its_schema(case):
    case.call_and_validate(
        checks=[not_a_server_error, response_schema_conformance, writes_need_a_login]
    )
