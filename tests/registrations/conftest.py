import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and calendar parts must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def assembly(organization):
    return factories.make_assembly(organization, interpretation=("es", "fr"))
