"""Every change of a registration: the form, the API, the admin and tasks
all come through here.

Seats are taken in one conditional UPDATE of the event's ``Seats`` row, which
holds that row's lock until the transaction ends; everything that frees or
moves seats (cancellations, smaller parties, capacity changes) locks the same
row first. The waiting line is served in order, first fit: when seats free
up, each waiting party that fits in what is free is confirmed, in the order
they registered; a party too large for the free seats keeps its place at the
front and the next party that fits goes ahead of it. So no seat stays free
while a waiting party fits in it, and nobody who registered later is served
before an earlier party that fits.
"""

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
import time
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config import rows
from events.models import Event, Language
from registrations import messages, signals
from registrations.models import Registration, Seats, Tally, token_hash

Status = Registration.Status


class RegistrationError(Exception):
    """The registration cannot be made or changed; the message says why."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class RegistrationResult:
    """What the person who registered may be shown.

    When an email was given the answer is the same whether or not that email
    was registered before: the link goes only to the email (``emailed``).
    """

    registration: Registration | None
    token: str | None
    emailed: bool
    # 1 for the first in the waiting line when the person joined it.
    waiting_position: int | None = None


def email_key(email: str) -> str:
    """A keyed hash of the normalized address, to recognise the same person."""
    normalized = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), normalized, hashlib.sha256).hexdigest()


def new_token() -> str:
    """A secret token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def idempotent_token(event_id: int, key: str) -> str:
    """The manage token for a request with an Idempotency-Key: the same key
    gives the same token, so a retried request can be answered in full."""
    message = f"manage:{event_id}:{key}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def check_open_for_registration(event: Event, now: dt.datetime | None = None) -> None:
    """Raise RegistrationError unless people can register for the event now."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        raise RegistrationError(_("This event is cancelled."), code="cancelled")
    if event.status == Event.Status.POSTPONED:
        raise RegistrationError(
            _("This event is postponed. Registration opens again when it has a new date."),
            code="postponed",
        )
    if event.visibility == Event.Visibility.DRAFT:
        raise RegistrationError(_("This event is not published yet."), code="draft")
    if event.last_ends_at is not None and event.last_ends_at <= now:
        raise RegistrationError(_("This event is over."), code="over")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise RegistrationError(_("Registration has not opened yet."), code="not_open")
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise RegistrationError(_("Registration is closed."), code="closed")


def register_attendee(
    *,
    event: Event | None = None,
    event_id: int | None = None,
    party_size: int = 1,
    name: str = "",
    email: str = "",
    interpretation_language: Language | None = None,
    message_language: str = "en",
    accessibility_needs: str = "",
    consent_to_updates: bool = False,
    idempotency_key: str = "",
) -> RegistrationResult:
    """Register someone: a confirmed seat if one is free, else the waiting line.

    Give the event, or only its id: then the event is read only when the
    one-statement path cannot decide (full, closed, unknown). Queues the
    confirmation e-mail when an email is given. Raises RegistrationError when
    the event is unknown or not open, or full without a waiting list.
    """
    event_id = event.pk if event is not None else event_id
    key_hash = token_hash(idempotency_key) if idempotency_key else ""
    if key_hash:
        earlier = Registration.objects.filter(event_id=event_id, idempotency_key=key_hash).first()
        if earlier is not None:
            check_same_request(earlier, party_size=party_size, email=email)
            return _replayed(earlier, event_id, idempotency_key)
    token = idempotent_token(event_id, idempotency_key) if idempotency_key else new_token()
    registration = Registration(
        event_id=event_id,
        party_size=party_size,
        name=name.strip(),
        email=email.strip(),
        email_key=email_key(email) if email.strip() else "",
        interpretation_language=interpretation_language,
        message_language=message_language,
        accessibility_needs=accessibility_needs.strip(),
        consent_to_updates=consent_to_updates,
        manage_token_hash=token_hash(token),
        idempotency_key=key_hash,
    )
    # With an email the registration and its confirmation (which carries the
    # only copy of the link) are stored together, or neither is. Without one,
    # the registration is a single statement that commits by itself.
    try:
        with transaction.atomic() if registration.email else nullcontext():
            position = insert_in_one_statement(registration)
            if position is False:
                event = event or load_event(event_id)
                check_open_for_registration(event)
                if event.is_anonymous:
                    registration.name = ""
                with transaction.atomic():
                    registration.status = take_seats(event, party_size)
                    registration.save()
                position = waiting_position(registration)
            announce_status(registration)
            if registration.email:
                messages.queue_confirmation(registration, token)
    except IntegrityError:
        return _after_conflict(registration, event_id, idempotency_key)
    if registration.email:
        return RegistrationResult(registration=None, token=None, emailed=True)
    return RegistrationResult(
        registration=registration, token=token, emailed=False, waiting_position=position
    )


def announce_status(registration: Registration) -> None:
    """Send registration_changed once the status change is committed."""
    registration_id, status = registration.pk, registration.status
    email_given = bool(registration.email)
    transaction.on_commit(
        lambda: signals.registration_changed.send_robust(
            sender=Registration,
            registration_id=registration_id,
            status=status,
            email_given=email_given,
        )
    )


def check_same_request(earlier: Registration, *, party_size: int, email: str) -> None:
    """A repeated Idempotency-Key must come with the same answers."""
    same_email = earlier.email_key == (email_key(email) if email.strip() else "")
    if earlier.party_size != party_size or not same_email:
        raise RegistrationError(
            _(
                "This request was already sent once with other answers. To register "
                "again, open the registration form anew."
            ),
            code="idempotency_mismatch",
        )


def load_event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise RegistrationError(_("There is no such event."), code="not_found")
    return event


def _replayed(earlier: Registration, event_id: int, key: str) -> RegistrationResult:
    if earlier.email:
        return RegistrationResult(registration=None, token=None, emailed=True)
    token = idempotent_token(event_id, key)
    if earlier.manage_token_hash != token_hash(token):
        token = None  # the link was renewed since: the old one must not come back
    return RegistrationResult(
        registration=earlier,
        token=token,
        emailed=False,
        waiting_position=waiting_position(earlier),
    )


def _after_conflict(registration: Registration, event_id: int, key: str) -> RegistrationResult:
    """A unique constraint stopped the insert: the same request or the same email."""
    if key:
        earlier = Registration.objects.filter(
            event_id=event_id, idempotency_key=registration.idempotency_key
        ).first()
        if earlier is not None:
            return _replayed(earlier, event_id, key)
    existing = (
        Registration.objects.filter(event_id=event_id, email_key=registration.email_key)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if existing is None:  # cancelled in between: try once more
        return register_attendee(
            event_id=event_id,
            party_size=registration.party_size,
            name=registration.name,
            email=registration.email,
            interpretation_language=registration.interpretation_language,
            message_language=registration.message_language,
            accessibility_needs=registration.accessibility_needs,
            consent_to_updates=registration.consent_to_updates,
        )
    with transaction.atomic():
        token = make_spare_token(registration=existing)
        messages.queue_existing_registration(existing, token)
    return RegistrationResult(registration=None, token=None, emailed=True)


# The rules of check_open_for_registration, for the one-statement path.
OPEN_EVENT_SQL = (
    "e.status = 'scheduled' AND e.visibility <> 'draft' AND e.last_ends_at > %(now)s "
    "AND (e.registration_opens_at IS NULL OR e.registration_opens_at <= %(now)s) "
    "AND (e.registration_closes_at IS NULL OR e.registration_closes_at > %(now)s)"
)
# The party fits in the free seats (read under the row's lock).
FITS_SQL = "(s.capacity IS NULL OR s.confirmed + %(size)s <= s.capacity)"
# Take seats when they are free, else join the waiting line when the event
# keeps one. The UPDATE locks the Seats row until the statement commits; a
# cancellation that frees seats finishes first and the condition is read
# again after it. SET sees the row before the change and RETURNING after it,
# so the decision goes through ``last_seated``.
SEAT_OR_LINE_SQL = (
    "UPDATE {seats} AS s SET "  # noqa: S608 (constant SQL, values are parameters)
    "confirmed = s.confirmed + CASE WHEN " + FITS_SQL + " THEN %(size)s ELSE 0 END, "
    "last_seated = " + FITS_SQL + ", "
    "waiting = s.waiting + CASE WHEN " + FITS_SQL + " THEN 0 ELSE 1 END "
    "FROM {events} AS e WHERE s.event_id = %(event)s AND e.id = s.event_id AND "
    + OPEN_EVENT_SQL
    + " AND ("
    + FITS_SQL
    + " OR e.has_waitlist) "
    "RETURNING e.privacy, s.waiting, "
    "CASE WHEN s.last_seated THEN 'confirmed' ELSE 'waitlisted' END AS status"
)


def insert_in_one_statement(registration: Registration) -> int | None | bool:
    """Store the registration, confirmed or waiting, in one statement.

    PostgreSQL only. The statement checks that the event is open now, takes
    a free seat or joins the waiting line, inserts, and counts who waits
    ahead, so the Seats row is locked for one statement, not for round trips
    to Python, and the event is not read into Python. Returns the waiting
    position (None when confirmed), or False when nothing was stored because
    it cannot decide (the event is closed, unknown or full without a waiting
    list) or on other databases; the caller then reads the event and decides
    under the lock.
    """
    if connection.vendor != "postgresql" or settings.REGISTRATION_UNGUARDED:
        return False
    sql, fields = _one_statement()
    registration.status = Status.CONFIRMED  # replaced by the statement's choice
    # The fields are plain text, numbers, booleans, aware datetimes and ids,
    # which psycopg sends as they are.
    parameters = {
        f"v{index}": field.pre_save(registration, add=True) for index, field in enumerate(fields)
    }
    parameters.update(size=registration.party_size, event=registration.event_id, now=timezone.now())
    # Alone, the statement commits by itself. Inside a caller's transaction
    # it gets a savepoint, so a unique-constraint refusal can be handled.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, rows.prepared_cursor() as cursor:
        cursor.execute(sql, parameters)
        row = cursor.fetchone()
    if row is None:
        return False
    registration.pk, registration.name, registration.status, position = row
    registration._state.adding = False
    registration._state.db = connection.alias
    return position


@functools.cache
def _one_statement() -> tuple[str, list]:
    """The statement of insert_in_one_statement and the fields it stores."""
    fields = [field for field in Registration._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(Registration._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)

    def value(index: int, field) -> str:
        if field.name == "name":  # an anonymous event keeps no name, whatever was sent
            return f"CASE WHEN chosen.privacy = 'anonymous' THEN '' ELSE %(v{index})s END"
        if field.name == "status":
            return "chosen.status"
        return f"%(v{index})s"

    placeholders = ", ".join(value(index, field) for index, field in enumerate(fields))
    tables = {"seats": quote(Seats._meta.db_table), "events": quote(Event._meta.db_table)}
    # Only table and column names are formatted in; every value is a parameter.
    # A person who joins the line is its last: their place is its length.
    sql = (
        f"WITH chosen AS ({SEAT_OR_LINE_SQL.format(**tables)}), "  # noqa: S608 (constant SQL, values are parameters)
        f"stored AS (INSERT INTO {table} ({columns}) SELECT {placeholders} FROM chosen "
        "RETURNING id, name, status) "
        "SELECT stored.id, stored.name, stored.status, "
        "CASE WHEN stored.status = 'waitlisted' THEN chosen.waiting END FROM stored, chosen"
    )
    return sql, fields


def take_seats(event: Event, party_size: int) -> str:
    """Take seats for a party inside the caller's transaction: the status it gets.

    One conditional UPDATE when seats are free; otherwise the row is locked
    and the party joins the waiting line (or RegistrationError when the event
    keeps no waiting list).
    """
    if settings.REGISTRATION_UNGUARDED:
        return _take_seats_unguarded(event, party_size)
    taken = (
        Seats.objects.filter(event_id=event.pk)
        .filter(Q(capacity__isnull=True) | Q(capacity__gte=F("confirmed") + party_size))
        .update(confirmed=F("confirmed") + party_size)
    )
    if taken:
        return Status.CONFIRMED
    seats = lock_seats(event)
    if seats.capacity is None or seats.confirmed + party_size <= seats.capacity:
        Seats.objects.filter(pk=seats.pk).update(confirmed=F("confirmed") + party_size)
        return Status.CONFIRMED
    if not event.has_waitlist:
        raise RegistrationError(_("This event is full and keeps no waiting list."), code="full")
    Seats.objects.filter(pk=seats.pk).update(waiting=F("waiting") + 1)
    return Status.WAITLISTED


def _take_seats_unguarded(event: Event, party_size: int) -> str:
    """Count, then decide, with no lock: the race the guard exists to prevent.

    The pause stands for the time a busy server takes between reading and
    writing; it makes the race happen every time in the control test.
    """
    confirmed = confirmed_people(event)
    time.sleep(0.25)
    if event.capacity is None or confirmed + party_size <= event.capacity:
        return Status.CONFIRMED
    return Status.WAITLISTED


def lock_seats(event: Event) -> Seats:
    """The event's Seats row, locked until the transaction ends (made if missing)."""
    seats = Seats.objects.select_for_update().filter(pk=event.pk).first()
    if seats is not None:
        return seats
    try:
        with transaction.atomic():
            Seats.objects.create(
                event_id=event.pk,
                capacity=event.capacity,
                confirmed=confirmed_people(event),
                waiting=Registration.objects.filter(
                    event_id=event.pk, status=Status.WAITLISTED
                ).count(),
            )
    except IntegrityError:
        pass  # made at the same moment by another request
    return Seats.objects.select_for_update().get(pk=event.pk)


def confirmed_people(event: Event) -> int:
    """People confirmed, including those whose personal data was deleted
    (counted in the event's Tally)."""
    total = Registration.objects.filter(event_id=event.pk, status=Status.CONFIRMED).aggregate(
        people=Sum("party_size")
    )["people"]
    purged = Tally.objects.filter(event_id=event.pk).values_list("confirmed_people", flat=True)
    return (total or 0) + sum(purged)


def promote_waitlist(*, event: Event, seats: Seats) -> list[Registration]:
    """Confirm waiting parties, in order, that fit in the free seats.

    The caller holds the Seats lock. Queues a message for each person promoted.
    """
    free = None if seats.capacity is None else seats.capacity - seats.confirmed
    promoted = []
    waiting = Registration.objects.filter(event_id=event.pk, status=Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    for registration in waiting.iterator(chunk_size=200):
        if free is not None and free <= 0:
            break
        if free is not None and registration.party_size > free:
            continue
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "status_changed_at"])
        announce_status(registration)
        seats.confirmed += registration.party_size
        if free is not None:
            free -= registration.party_size
        promoted.append(registration)
        if registration.email:
            messages.queue_promotion(registration)
    seats.waiting = max(0, seats.waiting - len(promoted))
    Seats.objects.filter(pk=seats.pk).update(confirmed=seats.confirmed, waiting=seats.waiting)
    return promoted


@transaction.atomic
def cancel_registration(*, registration: Registration) -> Registration:
    """Cancel a registration; its seats go to the waiting line at once."""
    seats = lock_seats(registration.event)
    registration.refresh_from_db()
    if registration.status == Status.CANCELLED:
        return registration
    was_confirmed = registration.status == Status.CONFIRMED
    if registration.status == Status.WAITLISTED:
        seats.waiting = max(0, seats.waiting - 1)
        Seats.objects.filter(pk=seats.pk).update(waiting=seats.waiting)
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status", "status_changed_at"])
    announce_status(registration)
    if registration.email:
        messages.queue_cancellation(registration)
    if was_confirmed:
        seats.confirmed -= registration.party_size
        promote_waitlist(event=registration.event, seats=seats)
    return registration


@transaction.atomic
def change_registration(
    *,
    registration: Registration,
    party_size: int,
    interpretation_language: Language | None,
    message_language: str,
    consent_to_updates: bool | None = None,
) -> Registration:
    """Change party size, languages and (when given) the consent to updates.
    A larger party needs free seats."""
    seats = lock_seats(registration.event)
    registration.refresh_from_db()
    if registration.status == Status.CANCELLED:
        raise RegistrationError(_("This registration is cancelled."), code="cancelled")
    growth = party_size - registration.party_size
    if registration.status == Status.CONFIRMED and growth > 0:
        free = None if seats.capacity is None else seats.capacity - seats.confirmed
        if free is not None and growth > free:
            raise RegistrationError(
                ngettext(
                    "Only %(free)s more place is free. Keep your party as it is, or "
                    "register the others separately to join the waiting list.",
                    "Only %(free)s more places are free. Keep your party as it is, or "
                    "register the others separately to join the waiting list.",
                    free,
                )
                % {"free": free},
                code="full",
            )
    registration.party_size = party_size
    registration.interpretation_language = interpretation_language
    registration.message_language = message_language
    if consent_to_updates is not None:
        registration.consent_to_updates = consent_to_updates
    registration.save()
    if registration.status == Status.CONFIRMED:
        seats.confirmed += growth
    promote_waitlist(event=registration.event, seats=seats)
    return registration


def announce_change(*, event: Event) -> None:
    """Queue the update e-mails (with the new calendar entry) after commit."""
    sequence = event.sequence
    transaction.on_commit(
        lambda: messages.queue_task("registrations.tasks.notify_event_change", event.pk, sequence)
    )


def renew_manage_token(*, registration: Registration) -> str:
    """Replace the manage link: every earlier one (the spare too) stops
    working. Returns the new token."""
    token = new_token()
    registration.manage_token_hash = token_hash(token)
    registration.spare_token_hash = ""
    registration.save(update_fields=["manage_token_hash", "spare_token_hash"])
    return token


def registration_for_stop_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    try:
        registration_id = signing.loads(token, salt=messages.STOP_UPDATES_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("event").filter(pk=registration_id).first()


def stop_updates(*, registration: Registration) -> None:
    registration.consent_to_updates = False
    registration.save(update_fields=["consent_to_updates"])


def make_spare_token(*, registration: Registration) -> str:
    """A second link for the same registration, sent to its address when
    someone registers again with it. The first link keeps working; an earlier
    spare stops. Returns the new token."""
    token = new_token()
    registration.spare_token_hash = token_hash(token)
    registration.save(update_fields=["spare_token_hash"])
    return token


def renew_feed_token(*, registration: Registration) -> str:
    """Make (or replace) the personal calendar link; the old one stops working."""
    token = new_token()
    registration.feed_token_hash = token_hash(token)
    registration.save(update_fields=["feed_token_hash"])
    return token


def registration_for_feed_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return Registration.objects.filter(feed_token_hash=token_hash(token)).first()


def registration_for_token(token: str) -> Registration | None:
    """The registration a manage link (or its spare) opens, or None (unknown
    or replaced)."""
    if not token or len(token) > 100:
        return None
    hashed = token_hash(token)
    return (
        Registration.objects.select_related("event", "event__venue", "interpretation_language")
        .filter(Q(manage_token_hash=hashed) | Q(spare_token_hash=hashed))
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in the waiting line; None when not waiting."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Status.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def sync_capacity(*, event: Event) -> None:
    """Make the Seats row follow the event's capacity; serve the waiting line.

    Called whenever an event is saved. Refuses (ValidationError) a capacity
    below the people already confirmed.
    """
    seats = lock_seats(event)
    seats.confirmed = confirmed_people(event)
    seats.waiting = Registration.objects.filter(event_id=event.pk, status=Status.WAITLISTED).count()
    if event.capacity is not None and seats.confirmed > event.capacity:
        raise ValidationError({"capacity": [capacity_message(seats.confirmed)]})
    seats.capacity = event.capacity
    Seats.objects.filter(pk=seats.pk).update(
        capacity=seats.capacity, confirmed=seats.confirmed, waiting=seats.waiting
    )
    promote_waitlist(event=event, seats=seats)


def capacity_message(confirmed: int) -> str:
    return _(
        "%(confirmed)s people are already confirmed. Set the capacity to at least "
        "%(confirmed)s, or cancel registrations first."
    ) % {"confirmed": confirmed}


def check_capacity(*, event: Event, capacity: int) -> None:
    """Raise ValidationError when the capacity is below those confirmed."""
    confirmed = confirmed_people(event)
    if capacity < confirmed:
        raise ValidationError(capacity_message(confirmed))
