"""The rules an assignment keeps, as pure functions over rows already read.

The assignment service calls them under the interpreter's row lock; the
suggestion ranking calls the same functions to say why someone was left out,
so a suggestion and an assignment never disagree.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from events.models import Event, Language
from events.templatetags.event_time import time_range
from interpretation.models import DEFAULT_TRAVEL_BUFFER, Assignment, Interpreter, Mode

# A session longer than this needs two interpreters per language.
LONG_SESSION = dt.timedelta(minutes=60)
# Recurring events: this many occurrences are checked (a nightly gathering
# for two months is 60).
MAX_OCCURRENCES = 400


@dataclass(frozen=True)
class Problem:
    """Why an interpreter cannot take an assignment, in words a coordinator acts on."""

    code: str
    message: str


def slots(event: Event) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each session of the event."""
    if not event.recurrence:
        return [(event.starts_at, event.ends_at)]
    return event.occurrences(limit=MAX_OCCURRENCES)


def is_long(event: Event) -> bool:
    return event.ends_at - event.starts_at > LONG_SESSION


def interpreters_needed(event: Event) -> int:
    return 2 if is_long(event) else 1


def modes_for(event: Event, target: Language) -> set[str]:
    """Modes that serve the event: any one of them will do."""
    if target.is_sign_language:
        return {Mode.SIGN}
    if event.format == Event.Format.ONLINE:
        return {Mode.SIMULTANEOUS_ONLINE}
    if event.format == Event.Format.HYBRID:
        return {Mode.SIMULTANEOUS_ONLINE, Mode.WHISPER, Mode.CONSECUTIVE}
    return {Mode.WHISPER, Mode.CONSECUTIVE}


def pair_problem(interpreter: Interpreter, pairs, source: Language, target: Language):
    if any(pair.covers(source.code, target.code) for pair in pairs):
        return None
    return Problem(
        "language_pair",
        _("%(name)s does not interpret from %(source)s into %(target)s.")
        % {"name": interpreter.name, "source": source.name, "target": target.name},
    )


def mode_problem(interpreter: Interpreter, event: Event, target: Language):
    wanted = modes_for(event, target)
    if interpreter.modes() & wanted:
        return None
    labels = ", ".join(str(Mode(mode).label) for mode in sorted(wanted))
    return Problem(
        "mode",
        _("%(name)s does not work in the way this event needs (%(modes)s).")
        % {"name": interpreter.name, "modes": labels},
    )


def availability_problem(interpreter: Interpreter, windows, event: Event):
    """The first session of the event outside the interpreter's hours, named."""
    zone = interpreter.zone
    for start, end in slots(event):
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        if not any(window.contains(local_start, local_end) for window in windows):
            return Problem(
                "unavailable",
                _("%(name)s is not available %(when)s.")
                % {
                    "name": interpreter.name,
                    "when": time_range(local_start, local_end, interpreter.timezone),
                },
            )
    return None


def travel_buffer(event: Event, other: Event, buffers: dict[int, int]) -> dt.timedelta:
    """Time to leave between two assignments: none when both are online."""
    if event.format == Event.Format.ONLINE and other.format == Event.Format.ONLINE:
        return dt.timedelta(0)
    minutes = max(
        buffers.get(event.pk, DEFAULT_TRAVEL_BUFFER), buffers.get(other.pk, DEFAULT_TRAVEL_BUFFER)
    )
    return dt.timedelta(minutes=minutes)


def overlap_problem(
    interpreter: Interpreter,
    event: Event,
    others: Iterable[Assignment],
    buffers: dict[int, int],
):
    """The first of the interpreter's other active assignments too close to this event."""
    mine = slots(event)
    for other in others:
        if other.event_id == event.pk or not other.is_active:
            continue
        buffer = travel_buffer(event, other.event, buffers)
        if not spans_meet(event, other.event, buffer):
            continue
        for start, end in slots(other.event):
            if any(s < end + buffer and start < e + buffer for s, e in mine):
                return Problem("overlap", overlap_message(interpreter, other, start, end, buffer))
    return None


def spans_meet(event: Event, other: Event, buffer: dt.timedelta) -> bool:
    first_end = event.last_ends_at or event.ends_at
    other_end = other.last_ends_at or other.ends_at
    return event.starts_at < other_end + buffer and other.starts_at < first_end + buffer


def overlap_message(interpreter, other: Assignment, start, end, buffer) -> str:
    zone = other.event.timezone
    params = {
        "name": interpreter.name,
        "event": other.event.title,
        "when": time_range(
            start.astimezone(other.event.zone), end.astimezone(other.event.zone), zone
        ),
        "minutes": int(buffer.total_seconds() // 60),
    }
    if buffer:
        return (
            _(
                "%(name)s is already on “%(event)s” (%(when)s): it overlaps this event "
                "or leaves less than %(minutes)s minutes to travel."
            )
            % params
        )
    return _("%(name)s is already on “%(event)s” (%(when)s), which overlaps this event.") % params


def check_all(
    *,
    interpreter: Interpreter,
    event: Event,
    source: Language,
    target: Language,
    pairs,
    windows,
    others: Iterable[Assignment],
    buffers: dict[int, int],
) -> Problem | None:
    """The first rule the assignment would break, or None."""
    if not interpreter.is_active:
        return Problem(
            "inactive", _("%(name)s is not active at the moment.") % {"name": interpreter.name}
        )
    if interpreter.organization_id != event.organization_id:
        return Problem(
            "organization",
            _("%(name)s interprets for another organization.") % {"name": interpreter.name},
        )
    return (
        pair_problem(interpreter, pairs, source, target)
        or mode_problem(interpreter, event, target)
        or availability_problem(interpreter, windows, event)
        or overlap_problem(interpreter, event, others, buffers)
    )
