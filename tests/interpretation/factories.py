"""Interpreters built through the interpretation services."""

import datetime as dt
import itertools

from events.models import Language
from interpretation import services
from interpretation.models import Availability, Interpreter, LanguagePair

_numbers = itertools.count(1)
EVERY_DAY = tuple((day, "08:00", "23:59") for day in range(7))


def make_interpreter(
    organization,
    *,
    name: str = "",
    pairs=(("en", "es", True),),
    windows=EVERY_DAY,
    timezone: str = "America/Toronto",
    modes=("simultaneous_online", "whisper", "consecutive"),
    **values,
) -> Interpreter:
    """An interpreter; ``windows`` are (weekday or date, "HH:MM", "HH:MM")."""
    number = next(_numbers)
    interpreter = Interpreter(
        organization=organization,
        name=name or f"Interpreter {number}",
        email=values.pop("email", f"interpreter{number}@example.org"),
        timezone=timezone,
        **dict.fromkeys(modes, True),
        **values,
    )
    pair_rows = [
        LanguagePair(
            source=Language.objects.get(pk=source),
            target=Language.objects.get(pk=target),
            both_ways=both,
        )
        for source, target, both in pairs
    ]
    window_rows = [window(day, starts, ends) for day, starts, ends in windows]
    interpreter, token = services.create_interpreter(
        interpreter=interpreter, pairs=pair_rows, availability=window_rows, send_link=False
    )
    interpreter.token = token
    return interpreter


def window(day, starts: str, ends: str) -> Availability:
    is_date = isinstance(day, dt.date)
    return Availability(
        weekday=None if is_date else day,
        date=day if is_date else None,
        starts=dt.time.fromisoformat(starts),
        ends=dt.time.fromisoformat(ends),
    )
