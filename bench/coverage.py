"""The interpretation coverage dashboard of a campaign: 7 cities, 50 events,
200 interpreters.

Run by hand (not a test):  .venv/bin/python bench/coverage.py

Needs PostgreSQL (DATABASE_URL, default a database of its own). Prints the
median time of the campaign's coverage page through the view (HTML, logged
in as a coordinator) and of the coverage read alone, and the query counts
for 10 and for 50 events of the same campaign (the count must not grow).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coord_interp_bench")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench.registrations import prepare_database  # noqa: E402

CITIES = [
    ("Toronto", "America/Toronto"),
    ("Montréal", "America/Toronto"),
    ("Sudbury", "America/Toronto"),
    ("Edmonton", "America/Edmonton"),
    ("Vancouver", "America/Vancouver"),
    ("Victoria", "America/Vancouver"),
    ("St. John's", "America/St_Johns"),
]
EVENTS, INTERPRETERS, SMALL = 50, 200, 10
OFFERED = [("es", "fr"), ("es", "pa"), ("tl", "cmn", "es"), ("ar", "fa"), ("es",)]
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
REQUESTS = ["pa", "ta", "es", "so", "uk"]


def build(slug: str, events: int):
    """A campaign of ``events`` events across the seven cities, with requests and
    assignments, made through the services (interpreters are shared)."""
    from django.utils import timezone

    from events import services as event_services
    from events.models import Campaign, Event, Language, Organization, Venue
    from interpretation import services
    from interpretation.models import Assignment, Interpreter
    from registrations.models import Registration, token_hash
    from registrations.services import new_token

    organization, _ = Organization.objects.get_or_create(
        slug="coverage-bench", defaults={"name": "Coverage bench"}
    )
    today = timezone.localdate()
    campaign = event_services.save_campaign(
        campaign=Campaign(
            organization=organization,
            slug=slug,
            name=slug,
            starts_on=today + dt.timedelta(days=3),
            ends_on=today + dt.timedelta(days=5),
        )
    )
    venues = [
        Venue.objects.filter(organization=organization, city=city).first()
        or event_services.save_venue(
            venue=Venue(organization=organization, name=f"Park, {city}", city=city)
        )
        for city, _zone in CITIES
    ]
    languages = {language.pk: language for language in Language.objects.all()}
    interpreters = list(Interpreter.objects.filter(organization=organization).order_by("pk"))
    made = []
    for number in range(events):
        city = number % len(CITIES)
        zone = CITIES[city][1]
        day = today + dt.timedelta(days=3 + number % 3)
        starts = dt.datetime.combine(day, dt.time(9 + number // 7 % 12), tzinfo=ZoneInfo(zone))
        event = Event(
            organization=organization,
            campaign=campaign,
            venue=venues[city],
            title=f"Rally {number} in {CITIES[city][0]}",
            kind=Event.Kind.RALLY,
            timezone=zone,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=90),
            visibility=Event.Visibility.LISTED,
        )
        offered = [languages[code] for code in OFFERED[number % len(OFFERED)]]
        made.append(event_services.save_event(event=event, interpretation_languages=offered))
    Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            interpretation_language=languages[REQUESTS[(event.pk + n) % len(REQUESTS)]],
            manage_token_hash=token_hash(new_token()),
        )
        for event in made
        for n in range(12)
    )
    # Two or three assignments per event, accepted or declined, no clashes.
    spanish = [i for i in interpreters if i.pairs.filter(target_id="es").exists()]
    for index, event in enumerate(made):
        for role, offset in (("lead", 0), ("relief", 1)):
            person = spanish[(2 * index + offset) % len(spanish)]
            try:
                assignment = services.assign_interpreter(
                    event=event, interpreter=person, target=languages["es"], role=role
                )
            except services.InterpretationError:
                continue
            if index % 4:
                services.accept_assignment(assignment=assignment)
            else:
                services.decline_assignment(assignment=assignment)
    assert Assignment.objects.filter(event__campaign=campaign).exists()
    return campaign


def roster(organization_slug: str = "coverage-bench") -> None:
    from events.models import Language, Organization
    from interpretation import services
    from interpretation.models import Availability, Interpreter, LanguagePair

    organization, _ = Organization.objects.get_or_create(
        slug=organization_slug, defaults={"name": "Coverage bench"}
    )
    if Interpreter.objects.filter(organization=organization).count() >= INTERPRETERS:
        return
    codes = [code for code in Language.objects.values_list("pk", flat=True) if code != "en"]
    for number in range(INTERPRETERS):
        targets = {
            codes[number % len(codes)],
            "es" if number % 3 == 0 else codes[(number * 7) % len(codes)],
        }
        services.create_interpreter(
            interpreter=Interpreter(
                organization=organization,
                name=f"Interpreter {number:03}",
                email=f"bench{number}@example.org",
                timezone=["America/Toronto", "America/Vancouver", "America/Edmonton"][number % 3],
                simultaneous_online=True,
                whisper=True,
                consecutive=True,
                sign=True,
            ),
            pairs=[
                LanguagePair(source_id="en", target_id=code, both_ways=True) for code in targets
            ],
            availability=[
                Availability(weekday=day, starts=dt.time(6), ends=dt.time(23, 59))
                for day in range(7)
            ],
            send_link=False,
        )


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> None:
    prepare_database()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from events.models import Campaign, Language, Membership, Organization, Role
    from interpretation import selectors
    from interpretation.suggestions import suggest_interpreters

    roster()
    campaigns = {}
    for slug, count in (("coverage-bench-50", EVENTS), ("coverage-bench-10", SMALL)):
        found = Campaign.objects.filter(slug=slug).first()
        if found is None or found.events.count() != count:
            if found is not None:
                found.events.all().delete()
                found.delete()
            found = build(slug, count)
        campaigns[count] = found

    user, _ = get_user_model().objects.get_or_create(username="coverage-bench")
    Membership.objects.get_or_create(
        organization=Organization.objects.get(slug="coverage-bench"),
        user=user,
        role=Role.INTERPRETATION_COORDINATOR,
    )
    # No collectstatic here: plain static file names instead of the manifest.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    override_settings(STORAGES=plain).enable()
    client = Client()
    client.force_login(user)

    def page(campaign):
        response = client.get(f"/dashboard/interpretation/campaigns/{campaign.slug}/")
        assert response.status_code == 200, response.status_code
        return response

    big = campaigns[EVENTS]
    page(big)  # warm up templates and connections
    page_ms = timed(lambda: page(big), 15)
    read_ms = timed(lambda: selectors.campaign_coverage(big), 15)
    counts = {}
    for count, campaign in campaigns.items():
        with CaptureQueriesContext(connection) as queries:
            page(campaign)
        counts[count] = len(queries.captured_queries)
    with CaptureQueriesContext(connection) as read_queries:
        groups = selectors.campaign_coverage(big)
    needs = sum(len(item.needs) for _city, items in groups for item in items)
    event = big.events.select_related("language").order_by("starts_at").first()
    spanish = Language.objects.get(pk="es")
    suggest_ms = timed(lambda: suggest_interpreters(event=event, target=spanish), 15)
    with CaptureQueriesContext(connection) as suggest_queries:
        found = suggest_interpreters(event=event, target=spanish)
    print(
        f"campaign: {len(groups)} cities, {EVENTS} events, {needs} needed languages; "
        f"{INTERPRETERS} interpreters on the roster"
    )
    print(f"coverage page (view, HTML, median of 15): {page_ms:7.1f} ms")
    print(f"coverage read alone (median of 15):       {read_ms:7.1f} ms")
    print(
        f"queries: page {counts[SMALL]} for {SMALL} events, {counts[EVENTS]} for {EVENTS} events; "
        f"read alone {len(read_queries.captured_queries)}"
    )
    print(
        f"suggestions for one event among {INTERPRETERS} interpreters: {suggest_ms:.1f} ms, "
        f"{len(suggest_queries.captured_queries)} queries "
        f"({len(found.ranked)} ranked, {len(found.left_out)} left out)"
    )


if __name__ == "__main__":
    main()
