"""Per-client limits that store no address anywhere.

A client is told apart by an HMAC of its address with a salt that lives only
in the cache and changes every day; counters expire with their window.
"""

import functools
import hashlib
import hmac
import math
import secrets
import threading
import time

import redis
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

SALT_LIFETIME = 24 * 3600


_salts: dict[int, str] = {}


def _salt() -> str:
    """Today's salt, shared by every process through the cache (kept here too)."""
    day = int(time.time() // SALT_LIFETIME)
    if day not in _salts:
        _salts.clear()
        _salts[day] = cache.get_or_set(f"rl-salt:{day}", secrets.token_hex(16), SALT_LIFETIME * 2)
    return _salts[day]


def client_address(request) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()  # added by our own proxy
    return request.META.get("REMOTE_ADDR", "")


def client_digest(request) -> str:
    return digest(client_address(request))


def digest(identity: str) -> str:
    return hmac.new(_salt().encode(), identity.encode(), hashlib.sha256).hexdigest()[:32]


def over_limit(request, *, scope: str, limit: int) -> int | None:
    """Count one attempt by this client; return seconds to wait when over
    the limit, else None."""
    return _over_limit(client_digest(request), scope=scope, limit=limit)


class Attempt:
    """One attempt, counted while the request goes on: the count is sent to
    Redis at once and its answer read by ``wait()``, so the request does its
    own work (reading the body, say) instead of waiting for Redis. Call
    ``wait()`` exactly once, before acting on anything the client sent."""

    def __init__(self, request, *, scope: str, limit: int):
        self.limit = limit
        self.key, self.seconds = _window(client_digest(request), scope)
        self.connection = None
        self.count = None
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, RedisCache) and settings.REDIS_URL:
            self.key = backend.make_key(self.key)
            connection = _own_connection()
            try:
                connection.send_command(
                    "EVALSHA", _redis_counter().sha, 1, self.key, settings.RATE_LIMIT_WINDOW
                )
                self.connection = connection
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                connection.disconnect()  # closed by Redis: counted through the pool below
            except BaseException:
                connection.disconnect()  # connects again on the next use
                raise
        else:
            self.count = _count(self.key, settings.RATE_LIMIT_WINDOW)

    def wait(self) -> int | None:
        """Seconds to wait when this attempt is over the limit, else None."""
        if self.connection is not None:
            connection, self.connection = self.connection, None
            try:
                self.count = int(connection.read_response())
            except redis.exceptions.NoScriptError:  # Redis restarted: load the script again
                pass
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                # The connection was closed (a restart, an idle timeout): the
                # pool's client connects anew and retries.
                connection.disconnect()
            except BaseException:
                connection.disconnect()  # an answer may be left unread
                raise
        if self.count is None:
            script = _redis_counter()
            self.count = int(script(keys=[self.key], args=[settings.RATE_LIMIT_WINDOW]))
        return self.seconds if self.count > self.limit else None


_threads = threading.local()


def _own_connection():
    """This thread's own connection to Redis, on the counter's settings: the
    pool's locks and bookkeeping cost more than the round trip."""
    pool = _redis_counter().registered_client.connection_pool
    owned = getattr(_threads, "redis", None)
    if owned is None or owned[0] is not pool:
        owned = _threads.redis = (pool, pool.make_connection())
    return owned[1]


def over_limit_for(identity: str, *, scope: str, limit: int) -> int | None:
    """The same for something other than the client (an account name, say)."""
    return _over_limit(digest(identity), scope=scope, limit=limit)


def limited(request, *, scope: str, limit: int) -> int | None:
    """Without counting: seconds to wait when this client already made
    ``limit`` attempts in the window, else None."""
    return _limited(client_digest(request), scope=scope, limit=limit)


def limited_for(identity: str, *, scope: str, limit: int) -> int | None:
    return _limited(digest(identity), scope=scope, limit=limit)


def _window(hashed: str, scope: str) -> tuple[str, int]:
    """The counter's key for this window, and the seconds until it ends."""
    window = settings.RATE_LIMIT_WINDOW
    now = time.time()
    bucket = int(now // window)
    return f"rl:{scope}:{bucket}:{hashed}", max(1, math.ceil((bucket + 1) * window - now))


def _over_limit(hashed: str, *, scope: str, limit: int) -> int | None:
    key, wait = _window(hashed, scope)
    return wait if _count(key, settings.RATE_LIMIT_WINDOW) > limit else None


def _limited(hashed: str, *, scope: str, limit: int) -> int | None:
    key, wait = _window(hashed, scope)
    return wait if (cache.get(key) or 0) >= limit else None


# INCR, and date the counter when this made it: one round trip, atomic.
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@functools.cache
def _redis_counter():
    """A script on one Redis client per process (thread-safe, pooled).

    Django's cache builds a new client for every call, which costs more CPU
    than the round trip on the registration path.
    """
    return redis.Redis.from_url(settings.REDIS_URL).register_script(COUNT_SCRIPT)


def _count(key: str, window: int) -> int:
    """Add one to the key's counter, which expires with its window."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache) and settings.REDIS_URL:
        # Our keys are short ASCII: Django's per-character key check is skipped.
        return int(_redis_counter()(keys=[backend.make_key(key)], args=[window]))
    try:
        return cache.incr(key)
    except ValueError:  # first attempt in this window
        return 1 if cache.add(key, 1, window) else cache.incr(key)
