import pytest
from django.core.cache import cache

from events.models import Language, Role
from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(organization):
    return factories.make_user(
        organization=organization, role=Role.INTERPRETATION_COORDINATOR, username="coord"
    )


@pytest.fixture
def languages(organization):
    return {language.code: language for language in Language.objects.all()}


@pytest.fixture
def assembly(organization):
    """Online, two hours (so two interpreters per language), Spanish offered."""
    return factories.make_assembly(organization, interpretation=("es",))
