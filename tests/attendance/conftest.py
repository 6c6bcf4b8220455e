import pytest
from django.core.cache import cache
from django.test import Client

from attendance import services
from events.models import Role
from registrations import services as registration_services
from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rally(organization, venue):
    return factories.make_event(organization, venue=venue, title="Noon rally for status")


@pytest.fixture
def marshal(organization, rally):
    user = factories.make_user(username="gate-north", is_staff=False)
    services.assign_marshal(event=rally, username=user.username, gate="North gate")
    return user


@pytest.fixture
def coordinator(organization):
    return factories.make_user(
        organization=organization, role=Role.INTERPRETATION_COORDINATOR, username="coord"
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(event, *, party_size=1, **values):
    """A registration made through the product's service; returns it."""
    result = registration_services.register_attendee(event=event, party_size=party_size, **values)
    if result.registration is not None:
        return result.registration
    from registrations.models import Registration

    return Registration.objects.filter(event=event).order_by("-pk").first()
