"""Demo data for interpretation: a roster of invented interpreters and two
registrants of the anonymous assembly who asked for Punjabi.

Called by ``manage.py load_demo`` after the events exist. Safe to run again:
interpreters are found by e-mail and updated; the two registrations carry
idempotency keys. Each run gives every demo interpreter a new secret link and
returns them, so a person trying the demo can open the interpreters' pages
(development only: real links go out by e-mail and are never printed).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction

from events.models import Event, Language, Organization
from interpretation import services
from interpretation.messages import page_url
from interpretation.models import Availability, Interpreter, LanguagePair
from registrations.services import register_attendee

ORGANIZATION = "migrant-rights-toronto"
ASSEMBLY = "open-assembly-undocumented"
EVENINGS = [(day, "17:00", "23:30") for day in range(5)] + [
    (day, "09:00", "23:30") for day in (5, 6)
]

# (name, e-mail, time zone, pairs, modes, phone)
ROSTER = [
    (
        "María Fernández",
        "maria.interp@example.org",
        "America/Toronto",
        ["es"],
        "online",
        "555-0141",
    ),
    ("Diego Ramírez", "diego.interp@example.org", "America/Toronto", ["es"], "online", "555-0142"),
    ("Lucía Gómez", "lucia.interp@example.org", "America/Vancouver", ["es"], "online", ""),
    (
        "Harpreet Kaur",
        "harpreet.interp@example.org",
        "America/Toronto",
        ["pa", "hi"],
        "online",
        "555-0143",
    ),
    ("Gurpreet Singh", "gurpreet.interp@example.org", "America/Toronto", ["pa"], "online", ""),
    ("Simran Gill", "simran.interp@example.org", "America/Edmonton", ["pa", "ur"], "online", ""),
    ("Maricel Santos", "maricel.interp@example.org", "America/Toronto", ["tl"], "all", ""),
    ("Kavitha Raj", "kavitha.interp@example.org", "America/Toronto", ["ta"], "all", ""),
    ("Wei Chen", "wei.interp@example.org", "America/Vancouver", ["cmn", "yue"], "all", ""),
    ("Jordan Lee", "jordan.interp@example.org", "America/Toronto", ["ase"], "sign", ""),
]
MODES = {
    "online": {"simultaneous_online": True},
    "all": {"simultaneous_online": True, "whisper": True, "consecutive": True},
    "sign": {"sign": True, "simultaneous_online": True},
}


@transaction.atomic
def load_interpretation_demo() -> str:
    """Create or refresh the roster and the Punjabi requests; returns what to print."""
    organization = Organization.objects.get(slug=ORGANIZATION)
    links = [(name, _interpreter(organization, *rest, name=name)) for name, *rest in ROSTER]
    _punjabi_requests()
    lines = [f"Demo interpreters: {len(links)}. Their pages (demo only, new links each run):"]
    lines += [f"  {name}: {page_url(token)}" for name, token in links]
    return "\n".join(lines)


def _interpreter(organization, email, zone, codes, modes, phone, *, name) -> str:
    pairs = [
        LanguagePair(source_id="en", target=Language.objects.get(pk=code), both_ways=True)
        for code in codes
    ]
    windows = [
        Availability(
            weekday=day, starts=dt.time.fromisoformat(starts), ends=dt.time.fromisoformat(ends)
        )
        for day, starts, ends in EVENINGS
    ]
    values = {"name": name, "timezone": zone, "phone": phone, **MODES[modes]}
    interpreter = Interpreter.objects.filter(organization=organization, email=email).first()
    if interpreter is None:
        interpreter, token = services.create_interpreter(
            interpreter=Interpreter(organization=organization, email=email, **values),
            pairs=pairs,
            availability=windows,
            send_link=False,
        )
        return token
    for key, value in values.items():
        setattr(interpreter, key, value)
    interpreter.is_active = True
    services.update_interpreter(interpreter=interpreter, pairs=pairs, availability=windows)
    return services.renew_interpreter_link(interpreter=interpreter, send=False)


def _punjabi_requests() -> None:
    """Two people registered for the anonymous assembly asking for Punjabi."""
    assembly = Event.objects.get(slug=ASSEMBLY)
    punjabi = Language.objects.get(pk="pa")
    for number in (1, 2):
        register_attendee(
            event=assembly,
            interpretation_language=punjabi,
            message_language="pa" if "pa" in dict(settings.LANGUAGES) else "en",
            idempotency_key=f"demo-punjabi-request-{number}",
        )
