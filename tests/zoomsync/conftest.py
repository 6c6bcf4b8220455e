import pytest
from django.core.cache import cache

from tests.zoom_server import ZoomServer


@pytest.fixture(autouse=True)
def fresh_cache():
    """The Retry-After moment and the pacing ticks live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zoom_server(settings):
    """A Zoom-compatible server on loopback, with the service pointed at it.

    Short timeouts and backoffs keep the fault tests quick; pacing is off
    unless a test turns it on. The timeout leaves room for a loaded machine:
    a prompt answer must never be taken for a lost one.
    """
    with ZoomServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.ZOOM_TIMEOUT = 1.0
        settings.ZOOM_REQUESTS_PER_SECOND = 0
        settings.ZOOM_MAX_INLINE_WAIT = 5
        settings.ZOOM_RETRY_BACKOFF = [0.02, 0.05, 0.1, 0.2, 0.4, 0.8]
        settings.ZOOM_WEBHOOK_SECRET = "webhook-secret-for-tests"
        yield server
        assert server.ledger.violations == []
