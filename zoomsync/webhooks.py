"""Checking Zoom's webhook deliveries: pure functions over the raw request."""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

# Zoom signs the moment it sent the delivery; older or later ones are refused.
MAX_SKEW_SECONDS = 300


class Refused(Exception):
    """The delivery is not from Zoom, or not from now."""


@dataclass(frozen=True)
class Delivery:
    kind: str
    body: dict
    digest: str


def signature(secret: str, timestamp: str, raw_body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + raw_body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def check(
    *, secret: str, raw_body: bytes, timestamp: str, signed: str, now: float | None = None
) -> Delivery:
    """The delivery, or Refused: signature over the raw body, timestamp within 5 minutes."""
    if not secret:
        raise Refused("no webhook secret configured")
    if not timestamp.isdigit():
        raise Refused("no timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Refused("timestamp too far from now")
    if not hmac.compare_digest(signature(secret, timestamp, raw_body).encode(), signed.encode()):
        raise Refused("bad signature")
    try:
        body = json.loads(raw_body)
    except ValueError:
        raise Refused("not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("event"), str):
        raise Refused("no event")
    return Delivery(kind=body["event"], body=body, digest=hashlib.sha256(raw_body).hexdigest())


def url_validation_answer(secret: str, body: dict) -> dict:
    plain = (body.get("payload") or {}).get("plainToken")
    if not isinstance(plain, str) or not plain:
        raise Refused("no plainToken")
    encrypted = hmac.new(secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain, "encryptedToken": encrypted}


def participant_fields(body: dict) -> tuple[int | None, str]:
    """(meeting id, registrant id) of a participant event; nothing else is kept."""
    thing = (body.get("payload") or {}).get("object") or {}
    participant = thing.get("participant") or {}
    try:
        meeting_id = int(thing.get("id"))
    except (TypeError, ValueError):
        meeting_id = None
    registrant_id = participant.get("registrant_id")
    return meeting_id, registrant_id if isinstance(registrant_id, str) else ""
