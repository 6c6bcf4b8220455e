"""Zoom's Meeting API, through the ``zoomus`` client.

This module knows HTTP and Zoom, not our models. It fixes what ``zoomus``
(1.2.1) leaves to its caller:

- ``zoomus`` asks for a token in its constructor, with no timeout and no look
  at the answer, and never refreshes it. Here the Server-to-Server OAuth token
  is asked for with a timeout, checked, kept per process until shortly before
  it expires, and asked for again once when Zoom answers 401.
- ``zoomus`` components are built with a fixed 15-second timeout (the client's
  ``timeout`` never reaches them, and its setter truncates to whole seconds);
  here every request gets ``ZOOM_TIMEOUT``.
- ``zoomus`` writes ``start_time`` with a ``Z`` without converting it; here
  aware datetimes are converted to UTC first, and naive ones refused.
- ``zoomus`` hands back the raw response; here a non-2xx answer becomes a
  ``PermanentError`` or a ``TemporaryError``, and answers are parsed strictly.
- A 429 is never retried before its ``Retry-After``: the moment is shared
  through the cache so no worker of the account calls Zoom before it; short
  waits are waited out here, long ones raise ``RateLimited`` for the caller to
  requeue. Requests are paced to ``ZOOM_REQUESTS_PER_SECOND`` across workers.
"""

import base64
import datetime as dt
import email.utils
import functools
import threading
import time
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from zoomus import util as zoomus_util
from zoomus.components.meeting import MeetingComponentV2

# Renew the token this long before Zoom says it expires.
TOKEN_MARGIN = 300
# The moment before which nobody may call Zoom (after a 429), shared by workers.
NOT_BEFORE_KEY = "zoom:not-before"
PAGE_SIZE = 300


class ZoomError(Exception):
    """Zoom did not do what was asked. ``status`` is the HTTP status (0: no answer)."""

    def __init__(self, message: str, *, status: int = 0, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class PermanentError(ZoomError):
    """Asking again will not help (bad request, no permission, not found)."""


class NotFound(PermanentError):
    """The meeting or registrant is not (or no longer) in Zoom."""


class TemporaryError(ZoomError):
    """Zoom is down, slow or busy: ask again later.

    ``maybe_applied`` is true when Zoom may have done the work before the
    answer was lost (a read timeout, a 5xx), so a create must be looked up
    before it is repeated.
    """

    def __init__(self, message: str, *, maybe_applied: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.maybe_applied = maybe_applied


class RateLimited(TemporaryError):
    """Too many requests: ``retry_after`` seconds must pass before the next one."""

    def __init__(self, message: str, *, retry_after: float, **kwargs):
        super().__init__(message, status=429, **kwargs)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Config:
    account_id: str
    client_id: str
    client_secret: str
    user_id: str = "me"
    api_url: str = "https://api.zoom.us/v2"
    oauth_url: str = "https://zoom.us/oauth/token"
    timeout: float = 10.0
    requests_per_second: float = 30.0
    max_inline_wait: float = 5.0


@dataclass(frozen=True)
class Meeting:
    id: int
    join_url: str
    password: str = ""
    settings: dict = field(default_factory=dict)
    agenda: str = ""


@dataclass(frozen=True)
class Registrant:
    id: str
    join_url: str
    email: str = ""


def is_configured() -> bool:
    """True when the Zoom credentials are set; otherwise the service is in manual mode."""
    return bool(
        settings.ZOOM_ACCOUNT_ID and settings.ZOOM_CLIENT_ID and settings.ZOOM_CLIENT_SECRET
    )


def config_from_settings() -> Config:
    return Config(
        account_id=settings.ZOOM_ACCOUNT_ID,
        client_id=settings.ZOOM_CLIENT_ID,
        client_secret=settings.ZOOM_CLIENT_SECRET,
        user_id=settings.ZOOM_USER_ID or "me",
        api_url=settings.ZOOM_API_URL,
        oauth_url=settings.ZOOM_OAUTH_URL,
        timeout=settings.ZOOM_TIMEOUT,
        requests_per_second=settings.ZOOM_REQUESTS_PER_SECOND,
        max_inline_wait=settings.ZOOM_MAX_INLINE_WAIT,
    )


def client() -> "ZoomClient":
    return ZoomClient(config_from_settings())


def in_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; zoomus then writes it with a correct ``Z``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Zoom times must be aware datetimes.")
    return value.astimezone(dt.UTC)


def meeting_settings(*, registration: bool, anonymous: bool) -> dict:
    """The settings every meeting of ours gets.

    Anonymous events: no Zoom registration, waiting room on, no automatic
    recording, no sign-in. Standard events may register people in Zoom (each
    gets a personal link); Zoom sends them no e-mail, our pages show the link.
    """
    use_registration = registration and not anonymous
    return {
        "approval_type": 0 if use_registration else 2,
        "waiting_room": anonymous,
        "auto_recording": "none",
        "meeting_authentication": False,
        "join_before_host": False,
        "registrants_email_notification": False,
        "registrants_confirmation_email": False,
    }


def interpretation_settings(
    *, spoken: list[tuple[str, str, str]], signed: list[tuple[str, str]]
) -> dict:
    """``language_interpretation`` and ``sign_language_interpretation`` settings.

    ``spoken``: (email, source name, target name) with Zoom's language names
    ("English", "Spanish"); ``signed``: (email, sign language name).
    """
    return {
        "language_interpretation": {
            "enable": bool(spoken),
            "interpreters": [
                {"email": address, "interpreter_languages": f"{source},{target}"}
                for address, source, target in spoken
            ],
        },
        "sign_language_interpretation": {
            "enable": bool(signed),
            "interpreters": [
                {"email": address, "sign_language": language} for address, language in signed
            ],
        },
    }


_tokens: dict[tuple, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


class ZoomClient:
    def __init__(self, config: Config):
        self.config = config
        # zoomus builds URL, headers and JSON; the token goes into this dict.
        self._zoomus_config = {"version": zoomus_util.API_VERSION_2, "token": None}
        self._meetings = MeetingComponentV2(base_uri=config.api_url, config=self._zoomus_config)
        # Its setter would cut the timeout to whole seconds.
        self._meetings._timeout = config.timeout

    # Meetings

    def create_meeting(
        self,
        *,
        topic: str,
        start: dt.datetime,
        duration_minutes: int,
        timezone: str,
        agenda: str,
        recurring: bool = False,
        settings: dict,
    ) -> Meeting:
        # Reference: POST /users/{userId}/meetings (meetingCreate)
        answer = self._call(
            lambda: self._meetings.create(
                user_id=self.config.user_id,
                topic=topic[:200],
                type=3 if recurring else 2,
                start_time=in_utc(start),
                duration=duration_minutes,
                timezone=timezone,
                agenda=agenda[:2000],
                settings=settings,
            ),
            expect=201,
        )
        return parse_meeting(answer)

    def update_meeting(
        self,
        meeting_id: int,
        *,
        topic: str,
        start: dt.datetime,
        duration_minutes: int,
        timezone: str,
        agenda: str,
        recurring: bool = False,
        settings: dict,
    ) -> None:
        # Reference: PATCH /meetings/{meetingId} (meetingUpdate)
        self._call(
            lambda: self._meetings.update(
                id=meeting_id,
                topic=topic[:200],
                type=3 if recurring else 2,
                start_time=in_utc(start),
                duration=duration_minutes,
                timezone=timezone,
                agenda=agenda[:2000],
                settings=settings,
            ),
            expect=204,
        )

    def get_meeting(self, meeting_id: int) -> Meeting:
        # Reference: GET /meetings/{meetingId} (meeting)
        return parse_meeting(self._call(lambda: self._meetings.get(id=meeting_id), expect=200))

    def delete_meeting(self, meeting_id: int) -> bool:
        """Cancel (delete) the meeting; False when Zoom no longer has it."""
        # Reference: DELETE /meetings/{meetingId} (meetingDelete)
        try:
            self._call(
                lambda: self._meetings.delete(id=meeting_id, schedule_for_reminder=False),
                expect=204,
            )
        except NotFound:
            return False
        return True

    def find_meeting(self, agenda: str) -> Meeting | None:
        """The host's scheduled meeting whose agenda starts with ``agenda``."""
        # Reference: GET /users/{userId}/meetings (meetings)
        for item in self._pages(
            lambda token: self._meetings.list(
                user_id=self.config.user_id,
                type="scheduled",
                page_size=PAGE_SIZE,
                next_page_token=token,
            ),
            "meetings",
        ):
            if str(item.get("agenda", "")).startswith(agenda):
                return parse_meeting(item)
        return None

    # Registrants

    def add_registrant(self, meeting_id: int, *, email: str, first_name: str) -> Registrant:
        """Register one person: only the two fields Zoom requires."""
        # Reference: POST /meetings/{meetingId}/registrants (meetingRegistrantCreate)
        answer = self._call(
            lambda: self._meetings.add_registrant(
                id=meeting_id, email=email, first_name=first_name[:64]
            ),
            expect=201,
        )
        return parse_registrant(answer, key="registrant_id")

    def find_registrant(self, meeting_id: int, *, email: str) -> Registrant | None:
        # Reference: GET /meetings/{meetingId}/registrants (meetingRegistrants)
        wanted = email.strip().lower()
        for item in self._pages(
            lambda token: self._meetings.list_registrants(
                id=meeting_id, status="approved", page_size=PAGE_SIZE, next_page_token=token
            ),
            "registrants",
        ):
            if str(item.get("email", "")).strip().lower() == wanted:
                return parse_registrant(item, key="id")
        return None

    def cancel_registrant(self, meeting_id: int, *, registrant_id: str, email: str) -> None:
        # Reference: PUT /meetings/{meetingId}/registrants/status (meetingRegistrantStatus)
        self._call(
            lambda: self._meetings.update_registrant_status(
                id=meeting_id,
                action="cancel",
                registrants=[{"id": registrant_id, "email": email}],
            ),
            expect=204,
        )

    # Plumbing

    def _pages(self, fetch, key: str):
        token = ""
        for _page in range(100):
            answer = self._call(lambda token=token: fetch(token), expect=200)
            items = answer.get(key) if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise TemporaryError(f"Zoom's list has no {key}.")
            yield from (item for item in items if isinstance(item, dict))
            token = answer.get("next_page_token") or ""
            if not token:
                return

    def _call(self, send, *, expect: int) -> dict | None:
        """Send one request (again after a 401 or a short Retry-After) and parse it."""
        refreshed = False
        for _attempt in range(4):
            wait_turn(self.config)
            self._zoomus_config["token"] = self._token(renew=False)
            try:
                response = send()
            except requests.ConnectionError as error:
                # A connection that failed or was reset: Zoom may have done it.
                raise TemporaryError(
                    f"Zoom unreachable: {type(error).__name__}", maybe_applied=True
                ) from None
            except requests.Timeout:
                raise TemporaryError("Zoom did not answer in time.", maybe_applied=True) from None
            if response.status_code == 401 and not refreshed:
                self._token(renew=True)
                refreshed = True
                continue
            if response.status_code == 429:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                hold_off(retry_after)
                if retry_after <= self.config.max_inline_wait:
                    continue
                raise RateLimited("Zoom rate limit reached.", retry_after=retry_after)
            return parse_answer(response, expect)
        raise TemporaryError("Zoom kept refusing the request.")

    def _token(self, *, renew: bool) -> str:
        key = (self.config.oauth_url, self.config.account_id, self.config.client_id)
        with _tokens_lock:
            known = _tokens.get(key)
            if known and not renew and known[1] > time.monotonic():
                return known[0]
            token, lifetime = request_token(self.config)
            _tokens[key] = (token, time.monotonic() + max(lifetime - TOKEN_MARGIN, 0))
            return token


def request_token(config: Config) -> tuple[str, float]:
    """A Server-to-Server OAuth token and its lifetime in seconds."""
    # Reference: POST https://zoom.us/oauth/token?grant_type=account_credentials
    basic = base64.b64encode(f"{config.client_id}:{config.client_secret}".encode()).decode()
    try:
        response = requests.post(
            config.oauth_url,
            params={"grant_type": "account_credentials", "account_id": config.account_id},
            headers={"Authorization": f"Basic {basic}"},
            timeout=config.timeout,
        )
    except requests.RequestException as error:
        raise TemporaryError(f"Zoom sign-in failed: {type(error).__name__}") from None
    if response.status_code >= 500 or response.status_code == 429:
        raise TemporaryError("Zoom sign-in is unavailable.", status=response.status_code)
    if response.status_code != 200:
        raise PermanentError(
            "Zoom refused the credentials (check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, "
            "ZOOM_CLIENT_SECRET).",
            status=response.status_code,
        )
    try:
        body = response.json()
        token, lifetime = body["access_token"], float(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise TemporaryError("Zoom's sign-in answer could not be read.") from None
    if not isinstance(token, str) or not token:
        raise TemporaryError("Zoom's sign-in answer has no token.")
    return token, lifetime


# Pacing: every request reserves the next free moment, shared by all workers.
# Moments of the last sixth of a second left unused may still be taken, so a
# pace held back by busy workers catches up by a few requests (four at 30 a
# second, far below Zoom's burst), never more.
def tolerance(rate: float) -> float:
    return max(int(rate / 6) - 1, 0) / rate if rate > 0 else 0.0


# With Redis, one atomic step per request, on Redis's own clock: the later of
# the next free moment, now less the tolerance, and any Retry-After; unless
# the Retry-After is further off than a worker may wait.
RESERVE_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local not_before = tonumber(redis.call('GET', KEYS[2]) or '0')
if not_before - now > tonumber(ARGV[3]) then
  return {'later', tostring(not_before - now)}
end
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(next_free, now - tonumber(ARGV[2]), not_before)
redis.call('SET', KEYS[1], string.format('%.6f', at + tonumber(ARGV[1])), 'EX', 60)
return {'go', tostring(at - now)}
"""
# Nobody calls before this moment (a Retry-After): the later of the two wins.
HOLD_OFF_SCRIPT = """
local clock = redis.call('TIME')
local until_ = tonumber(clock[1]) + tonumber(clock[2]) / 1000000 + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'EX', math.ceil(tonumber(ARGV[1])) + 60)
end
return 1
"""
NEXT_KEY = "zoom:next"
_pace_lock = threading.Lock()


@functools.cache
def _redis_scripts(url: str):
    """The two scripts on one Redis client per process (Django's cache makes
    a client for every call, which cost more than the pacing itself)."""
    import redis

    client = redis.Redis.from_url(url)
    return client.register_script(RESERVE_SCRIPT), client.register_script(HOLD_OFF_SCRIPT)


def _redis_keys() -> list[str] | None:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache) and settings.REDIS_URL:
        return [backend.make_key(NEXT_KEY), backend.make_key(NOT_BEFORE_KEY)]
    return None


def wait_turn(config: Config) -> None:
    """Wait for this request's moment: never before a Retry-After, at most
    the paced rate. One reservation per request: no polling."""
    rate = config.requests_per_second
    interval = 1 / rate if rate > 0 else 0.0
    keys = _redis_keys()
    if keys is not None:
        verdict, seconds = _redis_scripts(settings.REDIS_URL)[0](
            keys=keys, args=[interval, tolerance(rate), config.max_inline_wait]
        )
        wait = float(seconds)
        if verdict == b"later":
            raise RateLimited("Zoom asked us to wait.", retry_after=wait)
    else:
        # Another cache (one process, as in tests): the same steps under a lock.
        with _pace_lock:
            now = time.time()
            not_before = cache.get(NOT_BEFORE_KEY) or 0.0
            if not_before - now > config.max_inline_wait:
                raise RateLimited("Zoom asked us to wait.", retry_after=not_before - now)
            at = max(cache.get(NEXT_KEY) or 0.0, now - tolerance(rate), not_before)
            cache.set(NEXT_KEY, at + interval, timeout=60)
            wait = at - now
    if wait > 0:
        time.sleep(wait)


def hold_off(retry_after: float) -> None:
    """Nobody calls Zoom for ``retry_after`` seconds from now."""
    keys = _redis_keys()
    if keys is not None:
        _redis_scripts(settings.REDIS_URL)[1](keys=[keys[1]], args=[retry_after])
        return
    with _pace_lock:
        until = time.time() + retry_after
        if until > (cache.get(NOT_BEFORE_KEY) or 0.0):
            cache.set(NOT_BEFORE_KEY, until, timeout=int(retry_after) + 60)


def parse_retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date); 1 when absent."""
    if not value:
        return 1.0
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max((moment - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


def parse_answer(response: requests.Response, expect: int) -> dict | None:
    status = response.status_code
    if 200 <= status < 300:
        if status == 204 or not response.content:
            return None
        try:
            body = response.json()
        except ValueError:
            raise TemporaryError(
                "Zoom's answer could not be read.", status=status, maybe_applied=True
            ) from None
        if not isinstance(body, dict):
            raise TemporaryError("Zoom's answer is not an object.", status=status)
        return body
    code = error_code(response)
    message = f"Zoom answered {status}" + (f" (code {code})" if code is not None else "")
    if status >= 500 or status == 408:
        raise TemporaryError(message, status=status, code=code, maybe_applied=True)
    if status == 404:
        raise NotFound(message, status=status, code=code)
    raise PermanentError(message, status=status, code=code)


def error_code(response: requests.Response) -> int | None:
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) else None


def parse_meeting(body: dict | None) -> Meeting:
    if not isinstance(body, dict):
        raise TemporaryError("Zoom's meeting answer is empty.", maybe_applied=True)
    meeting_id, join_url = body.get("id"), body.get("join_url")
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        raise TemporaryError("Zoom's meeting answer has no id.", maybe_applied=True)
    if not isinstance(join_url, str) or not join_url.startswith("https://"):
        raise TemporaryError("Zoom's meeting answer has no https join link.", maybe_applied=True)
    password = body.get("password") or ""
    settings_ = body.get("settings") if isinstance(body.get("settings"), dict) else {}
    return Meeting(
        id=meeting_id,
        join_url=join_url,
        password=str(password),
        settings=settings_,
        agenda=str(body.get("agenda") or ""),
    )


def parse_registrant(body: dict | None, *, key: str) -> Registrant:
    if not isinstance(body, dict):
        raise TemporaryError("Zoom's registrant answer is empty.", maybe_applied=True)
    registrant_id, join_url = body.get(key), body.get("join_url")
    if not isinstance(registrant_id, str) or not registrant_id:
        raise TemporaryError("Zoom's registrant answer has no id.", maybe_applied=True)
    if not isinstance(join_url, str) or not join_url.startswith("https://"):
        raise TemporaryError("Zoom's registrant answer has no join link.", maybe_applied=True)
    return Registrant(id=registrant_id, join_url=join_url, email=str(body.get("email") or ""))
