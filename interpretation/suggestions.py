"""Who to ask: qualified, available interpreters for a need, ranked, with reasons.

The ranking is deterministic. Among interpreters who pass every rule of
``rules.check_all`` (the same rules the assignment service enforces):

1. those who work the pair both ways come first (the team can swap
   directions, and one person covers questions from the floor);
2. then those with fewer other assignments within a week of the event
   (the work is spread);
3. then by name, then by id.

Everyone else is listed as left out with the first rule they fail.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event, Language
from interpretation import rules
from interpretation.models import Assignment, Availability, Interpreter, LanguagePair, Plan

LOAD_WINDOW = dt.timedelta(days=7)


@dataclass(frozen=True)
class Suggestion:
    interpreter: Interpreter
    rank: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LeftOut:
    interpreter: Interpreter
    code: str
    reason: str


@dataclass(frozen=True)
class Suggestions:
    ranked: list[Suggestion]
    left_out: list[LeftOut]


def suggest_interpreters(*, event: Event, target: Language) -> Suggestions:
    """Rank the organization's interpreters for interpreting ``event`` into ``target``.

    Five queries whatever the roster's size.
    """
    source = event.language
    roster = list(
        Interpreter.objects.filter(organization_id=event.organization_id)
        .prefetch_related(
            Prefetch("pairs", queryset=LanguagePair.objects.all()),
            Prefetch("availability", queryset=Availability.objects.all()),
        )
        .order_by("name", "pk")
    )
    nearby = near_assignments(event, [person.pk for person in roster])
    buffers = dict(
        Plan.objects.filter(
            event_id__in={event.pk, *(a.event_id for rows in nearby.values() for a in rows)}
        ).values_list("event_id", "travel_buffer_minutes")
    )
    keyed, left_out = [], []
    for person in roster:
        others = nearby.get(person.pk, [])
        here = next((a for a in others if a.event_id == event.pk), None)
        if here is not None:
            left_out.append(LeftOut(person, "already_assigned", already_message(person, here)))
            continue
        problem = rules.check_all(
            interpreter=person,
            event=event,
            source=source,
            target=target,
            pairs=list(person.pairs.all()),
            windows=list(person.availability.all()),
            others=others,
            buffers=buffers,
        )
        if problem is not None:
            left_out.append(LeftOut(person, problem.code, problem.message))
            continue
        both_ways = any(
            pair.both_ways and pair.covers(source.code, target.code) for pair in person.pairs.all()
        )
        load = sum(1 for a in others if abs(a.event.starts_at - event.starts_at) <= LOAD_WINDOW)
        key = (0 if both_ways else 1, load, person.name.casefold(), person.pk)
        keyed.append((key, person, reasons(source, target, both_ways, load)))
    keyed.sort(key=lambda item: item[0])
    ranked = [
        Suggestion(person, rank, why) for rank, (_key, person, why) in enumerate(keyed, start=1)
    ]
    return Suggestions(ranked=ranked, left_out=left_out)


def near_assignments(event: Event, interpreter_ids: list[int]) -> dict[int, list[Assignment]]:
    """Active assignments of these interpreters that could clash with the event or
    count towards their load, by interpreter."""
    reach = LOAD_WINDOW + dt.timedelta(days=1)
    rows = (
        Assignment.objects.filter(
            interpreter_id__in=interpreter_ids,
            status__in=Assignment.ACTIVE,
            event__starts_at__lt=(event.last_ends_at or event.ends_at) + reach,
            event__last_ends_at__gt=event.starts_at - reach,
        )
        .select_related("event", "target")
        .order_by("event__starts_at", "pk")
    )
    found: dict[int, list[Assignment]] = {}
    for row in rows:
        found.setdefault(row.interpreter_id, []).append(row)
    return found


def already_message(person: Interpreter, assignment: Assignment) -> str:
    return _("%(name)s is already on this event (%(language)s, %(status)s).") % {
        "name": person.name,
        "language": assignment.target.name,
        "status": assignment.get_status_display(),
    }


def reasons(source: Language, target: Language, both_ways: bool, load: int) -> tuple[str, ...]:
    pair = (
        _("works %(a)s and %(b)s both ways")
        if both_ways
        else _("works from %(a)s into %(b)s (one way)")
    ) % {"a": source.name, "b": target.name}
    if load:
        busy = ngettext(
            "%(count)s other assignment within a week",
            "%(count)s other assignments within a week",
            load,
        ) % {"count": load}
    else:
        busy = _("no other assignment within a week")
    return (pair, _("available for every session, no clash"), busy)
