import os

import pytest
from django.db import connection

from config.catalogs import compile_catalogs
from tests import factories


def pytest_configure(config):
    # ./test.sh compiles the catalogs; this covers pytest run on its own.
    compile_catalogs(only_if_stale=True)


def pytest_runtest_setup(item):
    if item.get_closest_marker("redis") is not None and not redis_reachable():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("This test needs Redis, and REQUIRE_REDIS=1 forbids skipping it.")
        pytest.skip("needs Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379/14)")
    if item.get_closest_marker("postgres") is None or connection.vendor == "postgresql":
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail("This test needs PostgreSQL, and REQUIRE_POSTGRES=1 forbids skipping it.")
    pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def redis_reachable() -> bool:
    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def shared_redis(settings):
    """The cache on a real Redis (as in production), shared by workers."""
    import redis

    from registrations import ratelimit

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
    redis.Redis.from_url(url).flushdb()
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    ratelimit._redis_counter.cache_clear()  # its client follows REDIS_URL
    yield url
    ratelimit._redis_counter.cache_clear()
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def organization(db):
    factories.ensure_languages()  # a transactional test's flush removes them
    return factories.make_organization("Migrant Rights Toronto")


@pytest.fixture
def other_organization(db):
    return factories.make_organization("Solidarity Montréal")


@pytest.fixture
def organizer(organization):
    return factories.make_user(organization=organization, username="orga")


@pytest.fixture
def venue(organization):
    return factories.make_venue(
        organization,
        name="Christie Pits Park",
        street_address="750 Bloor Street West",
        directions="Closest to entrance 93",
    )


@pytest.fixture
def anonymous():
    """An API client that has not logged in."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def as_organizer(organizer):
    """An API client logged in as the organization's organizer."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=organizer)
    return client


@pytest.fixture
def other_organizer(other_organization):
    return factories.make_user(organization=other_organization, username="other-orga")
