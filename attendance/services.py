"""Every change of headcount state: check-ins, taps, online counts, marshals,
reminder plans and updates sent to registrants.

Counting is made safe against retries by unique constraints rather than by
locks: a check-in is one row per registration and occurrence, a tap is one
row per tap id. A retried request hits the constraint and changes nothing.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import (
    CheckIn,
    CheckinCode,
    MarshalAssignment,
    OnlineCount,
    ReminderPlan,
    TallyCount,
    Tap,
    UpdateNotice,
)
from attendance.notices import parse_hours
from attendance.occurrences import current_occurrence
from config import rows
from events import services as event_services
from events.models import Event, EventUpdate, Membership, Role
from registrations.messages import queue_task
from registrations.models import Registration

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 40 bits, unique within an event; only marshals can try codes
TYPO_FIXES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
MAX_TAPS_PER_REQUEST = 500


class AttendanceError(Exception):
    """The action cannot be done; the message says why, for a person."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# Check-in codes


def _keyed(purpose: str, text: str) -> bytes:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{text}".encode(), hashlib.sha256).digest()


def code_from_nonce(nonce: str) -> str:
    number = int.from_bytes(_keyed("checkin-code", nonce)[:5], "big")
    return "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(TYPO_FIXES)


def code_hash(event_id: int, code: str) -> str:
    return base64.b16encode(_keyed(f"checkin-lookup:{event_id}", code)).decode().lower()


def display_code(code: str) -> str:
    """ABCD-EFGH: easier to read out and type."""
    return f"{code[:4]}-{code[4:]}"


def checkin_code_for(*, registration: Registration) -> str:
    """The registration's check-in code, made on first use. Returns it as displayed."""
    row = CheckinCode.objects.filter(registration=registration).first()
    while row is None:
        nonce = secrets.token_hex(16)
        candidate = CheckinCode(
            registration=registration,
            event_id=registration.event_id,
            nonce=nonce,
            code_hash=code_hash(registration.event_id, code_from_nonce(nonce)),
        )
        try:
            with transaction.atomic():
                candidate.save(force_insert=True)
            row = candidate
        except IntegrityError:  # made at the same moment, or a code already in use
            row = CheckinCode.objects.filter(registration=registration).first()
    return display_code(code_from_nonce(row.nonce))


def registration_for_code(*, event: Event, code: str) -> Registration | None:
    normalized = normalize_code(code)
    if len(normalized) != CODE_LENGTH:
        return None
    row = (
        CheckinCode.objects.select_related("registration")
        .filter(event=event, code_hash=code_hash(event.pk, normalized))
        .first()
    )
    return row.registration if row else None


# Check-in


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    already: bool  # checked in before: nothing was counted this time


def check_in(
    *, event: Event, code: str, occurrence: dt.datetime | None = None, now=None
) -> CheckInResult:
    """Check in the party of the registration with this code, once per occurrence.

    Raises AttendanceError for an unknown code or a registration that is not
    confirmed. Checking in again changes nothing and says when it happened.
    """
    now = now or timezone.now()
    registration = registration_for_code(event=event, code=code)
    if registration is None:
        raise AttendanceError(
            _("No registration for this event has this code. Check the letters and try again."),
            code="unknown_code",
        )
    occurrence = occurrence or current_occurrence(event, now)
    existing = CheckIn.objects.filter(registration=registration, occurrence=occurrence).first()
    if existing is not None:
        return CheckInResult(checkin=existing, already=True)
    if registration.status == Registration.Status.CANCELLED:
        raise AttendanceError(_("This registration was cancelled."), code="cancelled")
    if registration.status == Registration.Status.WAITLISTED:
        raise AttendanceError(
            _("This registration is on the waiting list, not confirmed."), code="waitlisted"
        )
    checkin = CheckIn(
        event=event,
        registration=registration,
        occurrence=occurrence,
        people=registration.party_size,
        checked_in_at=now,
    )
    try:
        with transaction.atomic():
            checkin.save()
            Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
                checked_in_at=now
            )
    except IntegrityError:  # the same code scanned at two doors at once
        existing = CheckIn.objects.get(registration=registration, occurrence=occurrence)
        return CheckInResult(checkin=existing, already=True)
    return CheckInResult(checkin=checkin, already=False)


# Marshals' taps


@dataclass(frozen=True)
class TapInput:
    tap_id: str
    direction: str
    delta: int
    tapped_at: dt.datetime | None = None


def record_taps(
    *, event: Event, occurrence: dt.datetime, device: str, taps: list[TapInput], now=None
) -> int:
    """Store the taps of one device; a tap id seen before is ignored. Returns how
    many were new. The device's running totals go up by the new taps only."""
    return record_taps_with_totals(
        event=event, occurrence=occurrence, device=device, taps=taps, now=now
    ).accepted


@dataclass(frozen=True)
class TapTotals:
    accepted: int  # taps that were new
    entries: int  # all devices, this occurrence
    exits: int


def record_taps_with_totals(
    *, event: Event, occurrence: dt.datetime, device: str, taps: list[TapInput], now=None
) -> TapTotals:
    """record_taps, answering with the totals of all devices (what a phone shows)."""
    if len(taps) > MAX_TAPS_PER_REQUEST:
        raise AttendanceError(
            _("Send at most %(count)s taps at once.") % {"count": MAX_TAPS_PER_REQUEST},
            code="too_many",
        )
    now = now or timezone.now()
    if taps and connection.vendor == "postgresql":
        return _record_taps_in_one_statement(event, occurrence, device, taps, now)
    accepted = _record_taps_portably(event, occurrence, device, taps, now) if taps else 0
    totals = dict(
        TallyCount.objects.filter(event=event, occurrence=occurrence)
        .values("direction")
        .annotate(sum=Sum("total"))
        .values_list("direction", "sum")
    )
    return TapTotals(accepted, totals.get("in", 0), totals.get("out", 0))


def _record_taps_portably(event, occurrence, device, taps, now) -> int:
    with transaction.atomic():
        new = _insert_new_taps(event, occurrence, device, taps, now)
        sums: dict[str, int] = {}
        for direction, delta in new:
            sums[direction] = sums.get(direction, 0) + delta
        for direction, total in sorted(sums.items()):  # same order everywhere: no deadlock
            _add_to_tally(event, occurrence, device, direction, total)
    return len(new)


def _tap_values(event, occurrence, device, taps, now) -> tuple[str, list]:
    values, params = [], []
    for tap in taps:
        values.append("(%s, %s, %s, %s, %s, %s, %s, %s)")
        tapped_at = _db_time(min(tap.tapped_at or now, now))
        params += [event.pk, _db_time(occurrence), tap.tap_id, device, tap.direction, tap.delta]
        params += [tapped_at, _db_time(now)]
    return ", ".join(values), params


def _record_taps_in_one_statement(event, occurrence, device, taps, now) -> "TapTotals":
    """The same as the portable path, as one PostgreSQL statement: one round
    trip and one implicit transaction instead of four."""
    values, params = _tap_values(event, occurrence, device, taps, now)
    taps_table, tally_table = Tap._meta.db_table, TallyCount._meta.db_table
    sql = (
        f"WITH new AS (INSERT INTO {taps_table} (event_id, occurrence, tap_id, device, "  # noqa: S608 (names are ours)
        f"direction, delta, tapped_at, received_at) VALUES {values} "
        "ON CONFLICT (event_id, tap_id) DO NOTHING RETURNING direction, delta), "
        "sums AS (SELECT direction, SUM(delta) AS total FROM new GROUP BY direction), "
        f"added AS (INSERT INTO {tally_table} (event_id, occurrence, device, direction, total) "
        "SELECT %s, %s, %s, direction, total FROM sums ORDER BY direction "
        "ON CONFLICT (event_id, occurrence, device, direction) "
        f"DO UPDATE SET total = {tally_table}.total + EXCLUDED.total RETURNING 1) "
        # The totals as of this statement's snapshot, plus this statement's own taps.
        "SELECT (SELECT COUNT(*) FROM new), "
        f"(SELECT COALESCE(SUM(total), 0) FROM {tally_table} "
        "WHERE event_id = %s AND occurrence = %s AND direction = 'in') "
        "+ (SELECT COALESCE(SUM(total), 0) FROM sums WHERE direction = 'in'), "
        f"(SELECT COALESCE(SUM(total), 0) FROM {tally_table} "
        "WHERE event_id = %s AND occurrence = %s AND direction = 'out') "
        "+ (SELECT COALESCE(SUM(total), 0) FROM sums WHERE direction = 'out'), "
        "(SELECT COUNT(*) FROM added)"
    )
    # Prepared once per connection for each batch size (one tap, mostly).
    with rows.prepared_cursor() as cursor:
        cursor.execute(
            sql, [*params, event.pk, occurrence, device, event.pk, occurrence, event.pk, occurrence]
        )
        accepted, entries, exits, _added = cursor.fetchone()
    return TapTotals(accepted, entries, exits)


def _insert_new_taps(event, occurrence, device, taps, now) -> list[tuple[str, int]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the rows that were new.

    A tap id inserted at the same moment by another request waits for that
    transaction, then counts as seen (PostgreSQL's unique index guarantees it).
    """
    table = Tap._meta.db_table
    values, params = _tap_values(event, occurrence, device, taps, now)
    sql = (
        f"INSERT INTO {table} (event_id, occurrence, tap_id, device, direction, delta, "  # noqa: S608 (names are ours)
        f"tapped_at, received_at) VALUES {values} "
        "ON CONFLICT (event_id, tap_id) DO NOTHING RETURNING direction, delta"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _add_to_tally(event, occurrence, device, direction, amount) -> None:
    table = TallyCount._meta.db_table
    sql = (
        f"INSERT INTO {table} (event_id, occurrence, device, direction, total) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (event_id, occurrence, device, direction) "
        f"DO UPDATE SET total = {table}.total + EXCLUDED.total"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event.pk, _db_time(occurrence), device, direction, amount])


def _db_time(value: dt.datetime):
    """A datetime as the ORM would store it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


# Online counts


def record_online_count(*, event: Event, now: int, peak: int, at=None) -> OnlineCount:
    """Store the live count of the event's meeting for the current occurrence.

    The peak never goes down, whatever order the reports arrive in.
    """
    at = at or timezone.now()
    occurrence = current_occurrence(event, at)
    now = max(0, int(now or 0))
    peak = max(int(peak or 0), now)
    for _attempt in range(2):
        with transaction.atomic():
            row = (
                OnlineCount.objects.select_for_update()
                .filter(event=event, occurrence=occurrence)
                .first()
            )
            if row is not None:
                row.now, row.peak, row.updated_at = now, max(row.peak, peak), at
                row.save(update_fields=["now", "peak", "updated_at"])
                return row
            try:
                with transaction.atomic():
                    return OnlineCount.objects.create(
                        event=event, occurrence=occurrence, now=now, peak=peak, updated_at=at
                    )
            except IntegrityError:
                continue  # made by a report at the same moment: update it instead
    raise AttendanceError(_("The online count could not be stored."), code="busy")


# Marshals


def assign_marshal(*, event: Event, username: str, gate: str = "") -> MarshalAssignment:
    """Let a person count and check in at this event; they become a marshal of its
    organization if they were not yet. Raises AttendanceError for an unknown login."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise AttendanceError(
            _("There is no login called “%(name)s”.") % {"name": username}, code="unknown_user"
        )
    with transaction.atomic():
        Membership.objects.get_or_create(
            organization_id=event.organization_id, user=user, role=Role.MARSHAL
        )
        assignment, _created = MarshalAssignment.objects.update_or_create(
            event=event, user=user, defaults={"gate": gate.strip()}
        )
    return assignment


def remove_marshal(*, assignment: MarshalAssignment) -> None:
    assignment.delete()


# Reminders and updates


def save_reminder_plan(*, event: Event, hours_before: str, include_join_link: bool) -> ReminderPlan:
    """Set when reminders go out. Raises ValidationError."""
    hours = parse_hours(hours_before)
    plan = ReminderPlan.objects.filter(event=event).first() or ReminderPlan(event=event)
    plan.hours_before = ", ".join(str(h) for h in hours)
    plan.include_join_link = include_join_link and not event.is_anonymous
    plan.save()
    return plan


@transaction.atomic
def post_update(*, event: Event, body: str, notify: bool) -> EventUpdate:
    """Publish an update on the event's page; when ``notify``, e-mail it to the
    registrants who asked for updates (queued after commit, in batches)."""
    update = event_services.post_event_update(event=event, body=body)
    if notify:
        UpdateNotice.objects.create(update=update)
        transaction.on_commit(lambda: queue_task("attendance.tasks.notify_update", update.pk))
    return update
