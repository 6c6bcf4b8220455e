"""A Zoom-compatible HTTP server on loopback, for tests and benchmarks.

It serves the Server-to-Server OAuth token endpoint and the Meeting API paths
the service uses, checks every API request against Zoom's OpenAPI description
in ``tests/zoom_contract/`` (path, method, query names, body schema, with unknown
body fields refused), answers with the documented shapes (its own answers are
checked against the documented response schemas too), and keeps a ledger of
meetings, registrants and every request received.

It can be told to be slow, to fail (5xx), to drop the connection, to do the
work and then not answer in time, or to answer 429 with Retry-After; it can
enforce a rate limit (a token bucket, like Zoom's per-second limits). Any API
call that arrives before a Retry-After it gave has passed is recorded in
``early_calls``; every contract violation in ``violations``.
"""

import base64
import collections
import copy
import datetime as dt
import gzip
import itertools
import json
import os
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema

# The contract: Zoom's published Meeting API description, kept compressed in
# tests/zoom_contract/ (with the notes on newer fields beside it), unless
# ZOOM_OPENAPI names another file.
SPEC_PATH = Path(
    os.environ.get("ZOOM_OPENAPI")
    or Path(__file__).resolve().parent
    / "zoom_contract"
    / "zoom-meeting-api-2022-07.openapi.json.gz"
)
API_PREFIX = "/v2"
TOKEN_PATH = "/oauth/token"

# Fields Zoom added after the July 2022 edition (see tests/zoom_contract/README.md):
# accepted, and checked against these schemas.
NEWER_INTERPRETER_FIELDS = {
    "interpreter_languages": {"type": "string", "pattern": r"^[^,]+,[^,]+$"}
}
NEWER_SETTINGS = {
    "sign_language_interpretation": {
        "type": "object",
        "properties": {
            "enable": {"type": "boolean"},
            "interpreters": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "email": {"type": "string", "format": "email"},
                        "sign_language": {"type": "string"},
                    },
                },
            },
        },
    }
}
# zoomus repeats path parameters in the body or query (user_id on create, id
# on the meeting's own paths); accepted only when equal to the path's value.
ZOOMUS_ECHOES = {"userId": "user_id", "meetingId": "id"}


class Spec:
    """Zoom's OpenAPI description, with $refs resolved and the newer fields added."""

    def __init__(self, path: Path = SPEC_PATH):
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        self.doc = json.loads(raw)
        self.routes = []
        for template, operations in self.doc["paths"].items():
            # Zoom's templates hold only letters, slashes and {names}.
            pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
            self.routes.append((re.compile(pattern), template, operations))
        # Fixed paths before templated ones (/users/me/meetings vs /users/{userId}).
        self.routes.sort(key=lambda route: route[1].count("{"))

    def resolve(self, node, depth: int = 0):
        if depth > 40:
            return {}
        if isinstance(node, dict):
            if "$ref" in node:
                target = self.doc
                for part in node["$ref"].lstrip("#/").split("/"):
                    target = target[part]
                merged = {**self.resolve(target, depth + 1)}
                rest = {key: value for key, value in node.items() if key != "$ref"}
                if rest:  # a $ref with siblings: both apply
                    return {"allOf": [merged, self.resolve(rest, depth + 1)]}
                return merged
            return {key: self.resolve(value, depth + 1) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item, depth + 1) for item in node]
        return node

    def match(self, method: str, path: str):
        """(template, operation, path parameters); operation None: method not allowed."""
        for pattern, template, operations in self.routes:
            found = pattern.match(path)
            if found:
                operation = operations.get(method.lower())
                return template, (self.resolve(operation) if operation else None), found.groupdict()
        return None, None, {}


def with_newer_fields(schema: dict) -> dict:
    """The request schema, tolerating the fields Zoom added later (and checking them)."""
    schema = copy.deepcopy(schema)

    def visit(node):
        if isinstance(node, dict):
            props = node.get("properties", {})
            if "language_interpretation" in props:
                props.update(copy.deepcopy(NEWER_SETTINGS))
                interpreter = props["language_interpretation"]["properties"]["interpreters"][
                    "items"
                ]
                interpreter.setdefault("properties", {}).update(NEWER_INTERPRETER_FIELDS)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema)
    return schema


def known_properties(schema: dict) -> set[str] | None:
    """Property names an object schema allows (through allOf/anyOf/oneOf); None: any."""
    if not isinstance(schema, dict):
        return None
    names, open_ended = set(schema.get("properties", {})), False
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            more = known_properties(part)
            if more is None:
                open_ended = True
            else:
                names |= more
    if not names and not any(key in schema for key in ("allOf", "anyOf", "oneOf")):
        return None
    if open_ended and not names:
        return None
    return names


def child_schemas(schema: dict, name: str) -> list[dict]:
    found = []
    if not isinstance(schema, dict):
        return found
    if name in schema.get("properties", {}):
        found.append(schema["properties"][name])
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            found.extend(child_schemas(part, name))
    return found


def item_schemas(schema: dict) -> list[dict]:
    found = []
    if isinstance(schema, dict):
        if isinstance(schema.get("items"), dict):
            found.append(schema["items"])
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                found.extend(item_schemas(part))
    return found


def unknown_fields(value, schemas: list[dict], where: str = "") -> list[str]:
    """Every object key in ``value`` that none of ``schemas`` documents."""
    problems = []
    if isinstance(value, dict):
        allowed = set()
        for schema in schemas:
            names = known_properties(schema)
            if names is None:
                return problems  # a free-form object
            allowed |= names
        for key, child in value.items():
            if key not in allowed:
                problems.append(f"{where}.{key}" if where else key)
                continue
            children = [c for schema in schemas for c in child_schemas(schema, key)]
            problems.extend(unknown_fields(child, children, f"{where}.{key}" if where else key))
    elif isinstance(value, list):
        items = [item for schema in schemas for item in item_schemas(schema)]
        for index, child in enumerate(value):
            problems.extend(unknown_fields(child, items, f"{where}[{index}]"))
    return problems


@dataclass
class Received:
    method: str
    path: str
    query: str
    body: str
    headers: str
    at: float
    status: int = 0


@dataclass
class Fault:
    """What to do to one request: ``kind`` is slow, error, drop, hang_after or limit."""

    kind: str
    seconds: float = 0.0
    status: int = 503


@dataclass
class Ledger:
    meetings: dict = field(default_factory=dict)
    registrants: dict = field(default_factory=dict)  # meeting id -> list of registrants
    received: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    early_calls: list = field(default_factory=list)
    retry_afters: list = field(default_factory=list)  # (sent at, seconds)
    faults: collections.Counter = field(default_factory=collections.Counter)


class ZoomServer:
    """Start with ``with ZoomServer() as server:``; ``server.url`` is its address."""

    def __init__(
        self,
        *,
        account_id: str = "acct-test",
        client_id: str = "client-test",
        client_secret: str = "secret-test",  # noqa: S107 (a test server's own secret)
        rate_limit: float = 0.0,
        retry_after: int = 1,
        interpretation_plan: bool = True,
        spec: Spec | None = None,
        port: int = 0,
    ):
        self.account_id, self.client_id, self.client_secret = account_id, client_id, client_secret
        self.spec = spec or Spec()
        self.ledger = Ledger()
        self.lock = threading.Lock()
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.rate_limit = rate_limit
        self.retry_after = retry_after
        self.interpretation_plan = interpretation_plan
        self.blocked_until = 0.0
        self._bucket = (rate_limit, time.monotonic())
        self.planned: list[Fault] = []
        self.random_faults: tuple[float, list[Fault], random.Random] | None = None
        # Meeting ids differ between servers, as Zoom's do between meetings.
        self._ids = itertools.count(81_000_000_000 + secrets.randbelow(10**9) * 10)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict:
        """The Django settings that point the service here."""
        return {
            "ZOOM_ACCOUNT_ID": self.account_id,
            "ZOOM_CLIENT_ID": self.client_id,
            "ZOOM_CLIENT_SECRET": self.client_secret,
            "ZOOM_USER_ID": "me",
            "ZOOM_API_URL": self.url + API_PREFIX,
            "ZOOM_OAUTH_URL": self.url + TOKEN_PATH,
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    # Steering

    def plan(self, *faults: Fault) -> None:
        """The next API requests meet these faults, one each, in order."""
        with self.lock:
            self.planned.extend(faults)

    def fail_randomly(self, rate: float, faults: list[Fault], seed: int = 5) -> None:
        self.random_faults = (rate, faults, random.Random(seed))

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # Reading the ledger

    def live_registrants(self, meeting_id: int) -> list[dict]:
        return [r for r in self.ledger.registrants.get(meeting_id, []) if r["status"] == "approved"]

    def api_calls(self) -> list[Received]:
        return [r for r in self.ledger.received if r.path.startswith(API_PREFIX)]

    def summary(self) -> dict:
        """The ledger in short, for a benchmark that runs this server in another process."""
        with self.lock:
            return {
                "calls": [[c.method, c.path, c.status, c.at] for c in self.api_calls()],
                "early_calls": len(self.ledger.early_calls),
                "violations": list(self.ledger.violations),
                "registrants": sum(
                    len([r for r in found if r["status"] == "approved"])
                    for found in self.ledger.registrants.values()
                ),
            }

    # Handling

    def _next_fault(self) -> Fault | None:
        with self.lock:
            if self.planned:
                return self.planned.pop(0)
            if self.random_faults:
                rate, faults, rng = self.random_faults
                if rng.random() < rate:
                    return rng.choice(faults)
        return None

    def _over_rate(self) -> bool:
        if not self.rate_limit:
            return False
        with self.lock:
            tokens, last = self._bucket
            now = time.monotonic()
            tokens = min(self.rate_limit, tokens + (now - last) * self.rate_limit)
            if tokens < 1:
                self._bucket = (tokens, now)
                return True
            self._bucket = (tokens - 1, now)
            return False

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server.handle(self, "GET")

            def do_POST(self):
                server.handle(self, "POST")

            def do_PATCH(self):
                server.handle(self, "PATCH")

            def do_PUT(self):
                server.handle(self, "PUT")

            def do_DELETE(self):
                server.handle(self, "DELETE")

        return Handler

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        received = Received(
            method=method,
            path=parts.path,
            query=parts.query,
            body=raw.decode("utf-8", "replace"),
            headers="\n".join(f"{k}: {v}" for k, v in request.headers.items()),
            at=time.time(),
        )
        with self.lock:
            self.ledger.received.append(received)
        if parts.path == TOKEN_PATH and method == "POST":
            status, body, headers = self.token(request, parse_qs(parts.query), raw)
            return self.answer(request, received, status, body, headers)
        if parts.path == "/_ledger" and method == "GET":
            return self.answer(request, received, 200, self.summary())
        if not parts.path.startswith(API_PREFIX):
            return self.answer(request, received, 404, {"code": 404, "message": "Not found"})
        with self.lock:
            if received.at < self.blocked_until:
                self.ledger.early_calls.append(received)
        fault = self._next_fault()
        if fault is None and self._over_rate():
            fault = Fault("limit", seconds=self.retry_after)
        if fault:
            with self.lock:
                self.ledger.faults[fault.kind] += 1
        if fault and fault.kind == "drop":
            request.close_connection = True
            return None
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault and fault.kind == "error":
            return self.answer(request, received, fault.status, {"code": 500, "message": "Busy"})
        if fault and fault.kind == "limit":
            seconds = int(fault.seconds or self.retry_after)
            with self.lock:
                self.blocked_until = max(self.blocked_until, time.time() + seconds)
                self.ledger.retry_afters.append((time.time(), seconds))
            return self.answer(
                request,
                received,
                429,
                {"code": 429, "message": "You have reached the maximum per-second rate limit."},
                {"Retry-After": str(seconds), "X-RateLimit-Type": "QPS"},
            )
        status, body = self.api(request, method, parts, raw)
        if fault and fault.kind == "hang_after":
            time.sleep(fault.seconds)  # the work is done; the answer comes too late
        return self.answer(request, received, status, body)

    def answer(self, request, received, status: int, body, headers=None) -> None:
        received.status = status
        payload = b"" if body is None else json.dumps(body).encode()
        try:
            request.send_response(status)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            if payload:
                request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(payload)))
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def violation(self, message: str) -> None:
        with self.lock:
            self.ledger.violations.append(message)

    # OAuth

    def token(self, request, query: dict, raw: bytes):
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        form = {**parse_qs(raw.decode()), **query}
        if request.headers.get("Authorization") != f"Basic {expected}":
            return (
                401,
                {"reason": "Invalid client_id or client_secret", "error": "invalid_client"},
                {},
            )
        if form.get("grant_type") != ["account_credentials"]:
            return 400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}, {}
        if form.get("account_id") != [self.account_id]:
            return 400, {"reason": "Invalid account_id", "error": "invalid_request"}, {}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens.add(token)
            self.token_requests += 1
        return (
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": 3599,
                "scope": "meeting:write:admin",
            },
            {},
        )

    # Meeting API

    def api(self, request, method: str, parts, raw: bytes):
        path = parts.path[len(API_PREFIX) :]
        template, operation, params = self.spec.match(method, path)
        if template is None:
            self.violation(f"{method} {path}: no such path in the API")
            return 404, {"code": 404, "message": "No such path"}
        if operation is None:
            self.violation(f"{method} {template}: method not in the API")
            return 405, {"code": 405, "message": "Method not allowed"}
        authorization = request.headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.tokens:
            return 401, {"code": 124, "message": "Invalid access token."}
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                self.violation(f"{method} {template}: body is not JSON")
                return 400, {"code": 300, "message": "Invalid JSON"}
        problems = self.check(operation, template, params, query, body)
        if problems:
            for problem in problems:
                self.violation(f"{method} {template}: {problem}")
            return 400, {"code": 300, "message": "; ".join(problems)[:500]}
        handler = HANDLERS.get((method, template))
        if handler is None:
            self.violation(f"{method} {template}: valid, but this server does not serve it")
            return 501, {"code": 501, "message": "Not served here"}
        with self.lock:
            status, answer = handler(self, params, query, body)
        self.check_answer(operation, template, status, answer)
        return status, answer

    def check(self, operation: dict, template: str, params: dict, query: dict, body) -> list:
        problems = []
        echoes = {
            ZOOMUS_ECHOES[name]: value for name, value in params.items() if name in ZOOMUS_ECHOES
        }
        for parameter in operation.get("parameters", []):
            numeric = parameter.get("in") == "path" and parameter["schema"].get("type") == "integer"
            if numeric and not params.get(parameter["name"], "").isdigit():
                problems.append(f"path {parameter['name']} is not a number")
        documented = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
        for name, value in query.items():
            if name in echoes and value == echoes[name]:
                continue
            if name not in documented:
                problems.append(f"query parameter {name} is not documented")
        content = (operation.get("requestBody") or {}).get("content", {})
        schema = (content.get("application/json") or {}).get("schema")
        if body is None:
            if (operation.get("requestBody") or {}).get("required"):
                problems.append("body required")
            return problems
        if schema is None:
            problems.append("this operation takes no body")
            return problems
        schema = with_newer_fields(schema)
        if isinstance(body, dict):
            body = dict(body)
            for name, value in echoes.items():
                if name in body and str(body.pop(name)) != value:
                    problems.append(f"body {name} differs from the path")
        problems.extend(f"unknown field {name}" for name in unknown_fields(body, [schema]))
        validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
        problems.extend(
            f"{'/'.join(map(str, error.absolute_path)) or 'body'}: {error.message}"
            for error in validator.iter_errors(body)
        )
        return problems

    def check_answer(self, operation: dict, template: str, status: int, answer) -> None:
        """Our own answers must have the documented shape too."""
        documented = operation.get("responses", {}).get(str(status))
        if documented is None:
            self.violation(f"{template}: answered {status}, which is not documented")
            return
        schema = ((documented.get("content") or {}).get("application/json") or {}).get("schema")
        if schema is not None and answer is not None:
            for error in jsonschema.Draft4Validator(schema).iter_errors(answer):
                self.violation(f"{template}: own answer {error.message}")

    # The ledger's operations (called under the lock)

    def new_meeting(self, params, query, body):
        if params["userId"] != "me":
            return 404, {"code": 1001, "message": "User does not exist."}
        meeting_id = next(self._ids)
        start = body.get("start_time")
        meeting = {
            "id": meeting_id,
            "uuid": secrets.token_urlsafe(16),
            "host_id": "host-1",
            "host_email": "host@example.org",
            "topic": body.get("topic", ""),
            "type": body.get("type", 2),
            "agenda": body.get("agenda", ""),
            "start_time": start,
            "duration": body.get("duration", 60),
            "timezone": body.get("timezone", "UTC"),
            "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "join_url": f"https://zoom.example.test/j/{meeting_id}?pwd={secrets.token_urlsafe(12)}",
            "start_url": f"https://zoom.example.test/s/{meeting_id}",
            "password": secrets.token_hex(4),
            "settings": self.applied_settings({}, body.get("settings") or {}),
        }
        self.ledger.meetings[meeting_id] = meeting
        self.ledger.registrants[meeting_id] = []
        return 201, self.public(meeting)

    def applied_settings(self, current: dict, wanted: dict) -> dict:
        merged = {**current, **wanted}
        if not self.interpretation_plan:  # Zoom silently ignores it
            merged.pop("language_interpretation", None)
            merged.pop("sign_language_interpretation", None)
        return merged

    def public(self, meeting: dict) -> dict:
        shown = {key: value for key, value in meeting.items() if key != "deleted"}
        settings = dict(shown["settings"])
        # The answer documents only the 2022 fields.
        settings.pop("sign_language_interpretation", None)
        if "language_interpretation" in settings:
            interpretation = dict(settings["language_interpretation"])
            interpretation["interpreters"] = [
                {"email": i.get("email"), "languages": i.get("interpreter_languages", "")}
                for i in interpretation.get("interpreters", [])
            ]
            settings["language_interpretation"] = interpretation
        shown["settings"] = settings
        return shown

    def meeting(self, params):
        meeting = self.ledger.meetings.get(int(params["meetingId"]))
        if meeting is None or meeting.get("deleted"):
            return None
        return meeting

    def get_meeting(self, params, query, body):
        meeting = self.meeting(params)
        if meeting is None:
            return 404, {"code": 3001, "message": "Meeting does not exist."}
        return 200, self.public(meeting)

    def update_meeting(self, params, query, body):
        meeting = self.meeting(params)
        if meeting is None:
            return 404, {"code": 3001, "message": "Meeting does not exist."}
        for key in ("topic", "type", "agenda", "start_time", "duration", "timezone"):
            if key in body:
                meeting[key] = body[key]
        meeting["settings"] = self.applied_settings(meeting["settings"], body.get("settings") or {})
        return 204, None

    def delete_meeting(self, params, query, body):
        meeting = self.meeting(params)
        if meeting is None:
            return 404, {"code": 3001, "message": "Meeting does not exist."}
        meeting["deleted"] = True
        return 204, None

    def list_meetings(self, params, query, body):
        meetings = [
            {
                key: m[key]
                for key in (
                    "id",
                    "uuid",
                    "host_id",
                    "topic",
                    "type",
                    "start_time",
                    "duration",
                    "timezone",
                    "created_at",
                    "join_url",
                )
            }
            | {"agenda": m["agenda"][:250]}
            for m in self.ledger.meetings.values()
            if not m.get("deleted")
        ]
        return 200, self.page(meetings, "meetings", query)

    def page(self, items: list, key: str, query: dict) -> dict:
        size = min(int(query.get("page_size") or 30), 300)
        start = int(query.get("next_page_token") or 0)
        chunk = items[start : start + size]
        following = start + size if start + size < len(items) else None
        return {
            "page_size": size,
            "total_records": len(items),
            "next_page_token": str(following) if following else "",
            key: chunk,
        }

    def add_registrant(self, params, query, body):
        meeting = self.meeting(params)
        if meeting is None:
            return 404, {"code": 3001, "message": "Meeting does not exist."}
        if meeting["settings"].get("approval_type", 2) == 2:
            return 400, {"code": 3000, "message": "This meeting does not require registration."}
        # Stricter than Zoom, which gives back the same registrant for the same
        # email: here each request makes a new one, so duplicates show.
        registrant_id = secrets.token_urlsafe(12)
        registrant = {
            "id": registrant_id,
            "email": body["email"],
            "first_name": body["first_name"],
            "status": "approved",
            "create_time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "join_url": f"https://zoom.example.test/w/{meeting['id']}?tk={secrets.token_urlsafe(16)}",
        }
        self.ledger.registrants[meeting["id"]].append(registrant)
        return 201, {
            "id": meeting["id"],
            "registrant_id": registrant_id,
            "join_url": registrant["join_url"],
            "topic": meeting["topic"],
            "start_time": meeting["start_time"],
        }

    def list_registrants(self, params, query, body):
        meeting = self.meeting(params)
        if meeting is None:
            return 404, {"code": 3001, "message": "Meeting does not exist."}
        status = query.get("status", "approved")
        found = [r for r in self.ledger.registrants[meeting["id"]] if r["status"] == status]
        return 200, self.page(found, "registrants", query)

    def registrant_status(self, params, query, body):
        meeting = self.meeting(params)
        if meeting is None:
            return 404, {"code": 3001, "message": "Meeting does not exist."}
        new_status = {"cancel": "cancelled", "deny": "denied", "approve": "approved"}[
            body["action"]
        ]
        for wanted in body.get("registrants", []):
            for registrant in self.ledger.registrants[meeting["id"]]:
                if registrant["id"] == wanted.get("id"):
                    registrant["status"] = new_status
        return 204, None


HANDLERS = {
    ("POST", "/users/{userId}/meetings"): ZoomServer.new_meeting,
    ("GET", "/users/{userId}/meetings"): ZoomServer.list_meetings,
    ("GET", "/meetings/{meetingId}"): ZoomServer.get_meeting,
    ("PATCH", "/meetings/{meetingId}"): ZoomServer.update_meeting,
    ("DELETE", "/meetings/{meetingId}"): ZoomServer.delete_meeting,
    ("POST", "/meetings/{meetingId}/registrants"): ZoomServer.add_registrant,
    ("GET", "/meetings/{meetingId}/registrants"): ZoomServer.list_registrants,
    ("PUT", "/meetings/{meetingId}/registrants/status"): ZoomServer.registrant_status,
}


def main() -> None:
    """Serve until killed, printing the settings that point the service here:
    python -m tests.zoom_server --rate 30 (JSON), or --env (shell variables)."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=0.0, help="requests a second (0: no limit)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--env", action="store_true", help="print the settings as VAR=value lines")
    arguments = parser.parse_args()
    with ZoomServer(rate_limit=arguments.rate, port=arguments.port) as server:
        settings = server.settings()
        if arguments.env:
            print("\n".join(f"{name}={value}" for name, value in settings.items()), flush=True)
        else:
            print(json.dumps(settings), flush=True)
        server.thread.join()


if __name__ == "__main__":
    main()
