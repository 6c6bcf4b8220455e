"""Every change of interpreters and assignments: the coordinator's pages, the
API, the admin, the interpreter's page and tasks all come through here.

Every change to an interpreter's assignments takes that interpreter's row
lock first, then re-reads their other assignments and checks every rule, so
two coordinators assigning the same person at the same moment are served one
after the other: the second sees the first's assignment and gets the conflict.
Unique constraints (one active assignment per interpreter and event, one lead
per language) are the backstop.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import signals
from events.models import Event, Language
from interpretation import messages, rules
from interpretation.models import Assignment, Availability, Interpreter, LanguagePair, Plan
from registrations.messages import queue_task
from registrations.models import token_hash
from registrations.services import new_token

Status = Assignment.Status
Role = Assignment.Role


class InterpretationError(Exception):
    """An assignment cannot be made or changed; the message says why."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# Interpreters ------------------------------------------------------------------


@transaction.atomic
def create_interpreter(
    *,
    interpreter: Interpreter,
    pairs: Iterable[LanguagePair] = (),
    availability: Iterable[Availability] = (),
    send_link: bool = True,
) -> tuple[Interpreter, str]:
    """Store a new interpreter with a secret link; returns (interpreter, token).

    E-mails the link to the interpreter unless ``send_link`` is false.
    Raises ValidationError for bad values (unknown zone, hours that end
    before they start, a pair of one language).
    """
    token = new_token()
    interpreter.token_hash = token_hash(token)
    interpreter.full_clean()
    interpreter.save()
    for pair in pairs:
        pair.interpreter = interpreter
        pair.full_clean()
        pair.save()
    for window in availability:
        window.interpreter = interpreter
        window.full_clean()
        window.save()
    if send_link:
        messages.queue_link(interpreter, token)
    return interpreter, token


@transaction.atomic
def save_interpreter(*, interpreter: Interpreter) -> Interpreter:
    """Store a changed interpreter; deactivating withdraws their open assignments.

    Withdrawn assignments are e-mailed as cancellations, and the events'
    accepted interpreters announced (for Zoom).
    """
    interpreter.full_clean()
    interpreter.save()
    if not interpreter.is_active:
        lock_interpreter(interpreter.pk)
        for assignment in open_assignments(interpreter):
            _withdraw(assignment)
    return interpreter


@transaction.atomic
def update_interpreter(
    *,
    interpreter: Interpreter,
    pairs: Iterable[LanguagePair] | None = None,
    availability: Iterable[Availability] | None = None,
) -> Interpreter:
    """Store changes, replacing the language pairs and hours when they are given.

    Open assignments are not re-checked against new hours: the coordinator
    sees them on the dashboard. Deactivating withdraws them (see save_interpreter).
    """
    lock_interpreter(interpreter.pk)
    if pairs is not None:
        interpreter.pairs.all().delete()
        for pair in pairs:
            pair.interpreter = interpreter
            pair.full_clean()
            pair.save()
    if availability is not None:
        interpreter.availability.all().delete()
        for window in availability:
            window.interpreter = interpreter
            window.full_clean()
            window.save()
    return save_interpreter(interpreter=interpreter)


def renew_interpreter_link(*, interpreter: Interpreter, send: bool = True) -> str:
    """Replace the secret link (the old one and its calendar stop working) and
    e-mail it, unless ``send`` is false. Returns the new token."""
    with transaction.atomic():
        token = new_token()
        interpreter.token_hash = token_hash(token)
        interpreter.save(update_fields=["token_hash"])
        if send:
            messages.queue_link(interpreter, token)
    return token


def interpreter_for_token(token: str) -> Interpreter | None:
    """The active interpreter a secret link opens, or None."""
    if not token or len(token) > 100:
        return None
    return Interpreter.objects.filter(token_hash=token_hash(token), is_active=True).first()


def lock_interpreter(interpreter_id: int) -> Interpreter:
    """The interpreter's row, locked until the transaction ends: every change to
    their assignments takes it first, so the rules are checked one change at a time."""
    if getattr(settings, "INTERPRETATION_UNGUARDED", False):
        # Tests only: the control run that shows the race this lock prevents.
        return Interpreter.objects.get(pk=interpreter_id)
    return Interpreter.objects.select_for_update().get(pk=interpreter_id)


def open_assignments(interpreter: Interpreter):
    return Assignment.objects.filter(
        interpreter=interpreter, status__in=Assignment.ACTIVE
    ).select_related("event", "event__venue", "source", "target", "interpreter")


# Event plans -------------------------------------------------------------------


def save_plan(*, event: Event, request_threshold: int, travel_buffer_minutes: int) -> Plan:
    """Set how many requests flag a language, and the travel time between assignments."""
    plan = Plan.objects.filter(event=event).first() or Plan(event=event)
    plan.request_threshold = request_threshold
    plan.travel_buffer_minutes = travel_buffer_minutes
    plan.full_clean()
    plan.save()
    return plan


# Assignments -------------------------------------------------------------------


@transaction.atomic
def assign_interpreter(
    *,
    event: Event,
    interpreter: Interpreter,
    target: Language,
    role: str = Role.LEAD,
    invite: bool = True,
) -> Assignment:
    """Put an interpreter on an event, into ``target`` from the event's language.

    Checks every rule under the interpreter's row lock; with ``invite`` the
    assignment is sent as an invitation (e-mail with the calendar entry),
    otherwise it stays proposed. Raises InterpretationError naming the conflict.
    """
    interpreter = lock_interpreter(interpreter.pk)
    source = event.language
    if target.pk == source.pk:
        raise InterpretationError(
            _("The event is held in %(language)s already: choose another language.")
            % {"language": source.name},
            code="same_language",
        )
    if event.status == Event.Status.CANCELLED:
        raise InterpretationError(_("This event is cancelled."), code="cancelled")
    if (event.last_ends_at or event.ends_at) <= timezone.now():
        raise InterpretationError(_("This event is over."), code="over")
    check_role(event=event, target=target, role=role)
    check_rules(interpreter=interpreter, event=event, source=source, target=target)
    assignment = Assignment(
        interpreter=interpreter,
        event=event,
        source=source,
        target=target,
        role=role,
        status=Status.INVITED if invite else Status.PROPOSED,
    )
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        raise InterpretationError(
            _("%(name)s is already on this event, or the language already has a lead.")
            % {"name": interpreter.name},
            code="taken",
        ) from error
    if invite:
        messages.queue_invitation(assignment)
    return assignment


def check_role(*, event: Event, target: Language, role: str) -> None:
    if role not in Role.values:
        raise InterpretationError(_("Choose lead or relief."), code="role")
    if role != Role.LEAD:
        return
    taken = Assignment.objects.filter(
        event=event, target=target, role=Role.LEAD, status__in=Assignment.ACTIVE
    ).select_related("interpreter")
    lead = taken.first()
    if lead is not None:
        raise InterpretationError(
            _("%(name)s is already the lead for %(language)s: add a relief interpreter instead.")
            % {"name": lead.interpreter.name, "language": target.name},
            code="lead_taken",
        )


def check_rules(*, interpreter: Interpreter, event: Event, source, target) -> None:
    """Raise InterpretationError for the first rule the assignment breaks.

    Call with the interpreter's row lock held.
    """
    others = list(open_assignments(interpreter).exclude(event=event))
    if Assignment.objects.filter(
        interpreter=interpreter, event=event, status__in=Assignment.ACTIVE
    ).exists():
        raise InterpretationError(
            _("%(name)s is already on this event.") % {"name": interpreter.name},
            code="already_assigned",
        )
    problem = first_problem(
        interpreter=interpreter, event=event, source=source, target=target, others=others
    )
    if problem is not None:
        raise InterpretationError(problem.message, code=problem.code)


def first_problem(*, interpreter, event, source, target, others) -> rules.Problem | None:
    events = [event.pk, *(other.event_id for other in others)]
    buffers = dict(
        Plan.objects.filter(event_id__in=events).values_list("event_id", "travel_buffer_minutes")
    )
    return rules.check_all(
        interpreter=interpreter,
        event=event,
        source=source,
        target=target,
        pairs=list(interpreter.pairs.all()),
        windows=list(interpreter.availability.all()),
        others=others,
        buffers=buffers,
    )


@transaction.atomic
def invite_assignment(*, assignment: Assignment) -> Assignment:
    """Send a proposed assignment to the interpreter as an invitation (e-mail)."""
    lock_interpreter(assignment.interpreter_id)
    assignment = reread(assignment)
    if assignment.status != Status.PROPOSED:
        raise InterpretationError(
            _("Only a proposed assignment can be sent as an invitation."), code="status"
        )
    assignment.status = Status.INVITED
    assignment.save(update_fields=["status", "updated_at"])
    messages.queue_invitation(assignment)
    return assignment


@transaction.atomic
def accept_assignment(*, assignment: Assignment) -> Assignment:
    """The interpreter accepts: the rules are checked again, since time has passed.

    E-mails the confirmation with the calendar entry and announces the
    event's accepted interpreters (for Zoom) after commit.
    """
    interpreter = lock_interpreter(assignment.interpreter_id)
    assignment = reread(assignment)
    if assignment.status == Status.ACCEPTED:
        return assignment
    if assignment.status != Status.INVITED:
        raise InterpretationError(
            _("This invitation is no longer open: ask the coordinator."), code="status"
        )
    others = list(open_assignments(interpreter).exclude(pk=assignment.pk))
    problem = first_problem(
        interpreter=interpreter,
        event=assignment.event,
        source=assignment.source,
        target=assignment.target,
        others=others,
    )
    if problem is not None:
        raise InterpretationError(problem.message, code=problem.code)
    assignment.status = Status.ACCEPTED
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["status", "accepted_at", "updated_at"])
    messages.queue_confirmation(assignment)
    announce_interpreters(event=assignment.event)
    return assignment


@transaction.atomic
def decline_assignment(*, assignment: Assignment) -> Assignment:
    """The interpreter says no (to an invitation, or after accepting)."""
    lock_interpreter(assignment.interpreter_id)
    assignment = reread(assignment)
    if assignment.status == Status.DECLINED:
        return assignment
    if assignment.status not in (Status.INVITED, Status.ACCEPTED):
        raise InterpretationError(_("This invitation is no longer open."), code="status")
    was_accepted = assignment.status == Status.ACCEPTED
    assignment.status = Status.DECLINED
    assignment.save(update_fields=["status", "updated_at"])
    if was_accepted:
        messages.queue_cancellation(assignment)
        announce_interpreters(event=assignment.event)
    return assignment


@transaction.atomic
def withdraw_assignment(*, assignment: Assignment) -> Assignment:
    """The coordinator takes an assignment back; the interpreter is told if invited."""
    lock_interpreter(assignment.interpreter_id)
    assignment = reread(assignment)
    if assignment.status not in Assignment.ACTIVE:
        return assignment
    return _withdraw(assignment)


def _withdraw(assignment: Assignment) -> Assignment:
    was = assignment.status
    assignment.status = Status.WITHDRAWN
    assignment.save(update_fields=["status", "updated_at"])
    if was in (Status.INVITED, Status.ACCEPTED):
        messages.queue_cancellation(assignment)
    if was == Status.ACCEPTED:
        announce_interpreters(event=assignment.event)
    return assignment


def reread(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_related(
        "event", "event__venue", "event__language", "interpreter", "source", "target"
    ).get(pk=assignment.pk)


# Following the event -----------------------------------------------------------


def accepted_interpreters(event_id: int) -> list[tuple[str, str, str]]:
    """(email, source code, target code) of each accepted interpreter, in a fixed order."""
    rows = Assignment.objects.filter(
        event_id=event_id, status=Status.ACCEPTED, interpreter__is_active=True
    ).values_list("interpreter__email", "source_id", "target_id")
    return sorted(rows)


def announce_interpreters(*, event: Event) -> None:
    """After commit, tell listeners (the Zoom sync) the event's accepted interpreters."""
    event_id = event.pk

    def send():
        current = Event.objects.filter(pk=event_id).first()
        if current is not None:
            signals.interpreters_changed.send(
                sender=Assignment, event=current, interpreters=accepted_interpreters(event_id)
            )

    transaction.on_commit(send)


def follow_event(*, event: Event, moved: bool) -> None:
    """An event was saved: its interpreters hear of a new time, place or status."""
    if not Assignment.objects.filter(event=event, status=Status.ACCEPTED).exists():
        return
    announce_interpreters(event=event)
    if moved:
        sequence = event.sequence
        transaction.on_commit(
            lambda: queue_task("interpretation.tasks.notify_event_change", event.pk, sequence)
        )


def notify_event_change(*, event: Event, sequence: int) -> int:
    """E-mail the change to the event's invited and accepted interpreters, once per
    sequence (claimed on the plan row). Returns how many were told."""
    plan, _created = Plan.objects.get_or_create(event=event)
    claimed = Plan.objects.filter(pk=plan.pk, notified_sequence__lt=sequence).update(
        notified_sequence=sequence
    )
    if not claimed:
        return 0
    told = 0
    waiting = Assignment.objects.filter(
        event=event, status__in=(Status.INVITED, Status.ACCEPTED)
    ).select_related("event", "event__venue", "interpreter", "source", "target")
    for assignment in waiting:
        with transaction.atomic():
            messages.queue_change(assignment)
        told += 1
    return told


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
