"""The organizer's dashboard and the campaign roll-up on large events.

Run by hand (not a test):  .venv/bin/python bench/dashboard.py [--runs 20]

Needs PostgreSQL (DATABASE_URL, default coord_headcount_bench on this
machine). Builds, once, an event with 100,000 registrations (with check-ins,
taps and languages) and a campaign of 7 events with 20,000 registrations each,
then times the whole page (Django's test client: view, queries, template) and
counts its queries, for each size, to show the count does not grow.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coord_headcount_bench")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench-static"))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DJANGO_MODE", "production")  # as served: manifest static files
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

BIG = 100_000
CAMPAIGN_EVENTS, PER_EVENT = 7, 20_000
SMALL = 10


def prepare_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    for command in (["migrate"], ["collectstatic"]):  # production storage needs the manifest
        subprocess.run(
            [sys.executable, "manage.py", *command, "--no-input", "-v", "0"], cwd=ROOT, check=True
        )


def make_event(slug: str, *, campaign=None, zone="America/Toronto"):
    import datetime as dt

    from django.utils import timezone

    from events import services
    from events.models import Event, Organization, Venue

    existing = Event.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    organization, _ = Organization.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark"}
    )
    venue, _ = Venue.objects.get_or_create(
        organization=organization, name=f"Park {slug}", defaults={"city": slug.title()}
    )
    starts = timezone.now() + dt.timedelta(days=7)
    event = Event(
        organization=organization,
        campaign=campaign,
        venue=venue,
        slug=slug,
        title=slug,
        kind=Event.Kind.RALLY,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        timezone=zone,
        visibility=Event.Visibility.LISTED,
    )
    return services.save_event(event=event)


def fill(event, count: int) -> None:
    """Registrations (spread over 30 days, 4 languages), a third checked in, taps."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from attendance import services
    from attendance.models import CheckIn, Tap
    from registrations.models import Registration

    have = Registration.objects.filter(event=event).count()
    rng = random.Random(event.pk)
    now = timezone.now()
    languages = [None, "es", "fr", "pa", "ta"]
    batch = []
    for number in range(have, count):
        batch.append(
            Registration(
                event=event,
                status=rng.choice(["confirmed"] * 8 + ["waitlisted", "cancelled"]),
                party_size=rng.randint(1, 4),
                interpretation_language_id=rng.choice(languages),
                manage_token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            )
        )
        if len(batch) == 5000 or number == count - 1:
            Registration.objects.bulk_create(batch)
            batch = []
    if have < count:  # created_at is set on insert: spread it over the last 30 days
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registrations_registration "
                "SET created_at = %s - (id %% 30) * interval '1 day' WHERE event_id = %s",
                [now, event.pk],
            )
    if not CheckIn.objects.filter(event=event).exists():
        rows = Registration.objects.filter(event=event, status="confirmed").values_list(
            "pk", "party_size"
        )
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    event=event,
                    registration_id=pk,
                    occurrence=event.starts_at,
                    people=size,
                    checked_in_at=now - dt.timedelta(minutes=1),
                )
                for pk, size in list(rows)[::3]
            ],
            batch_size=5000,
        )
    if not Tap.objects.filter(event=event).exists():
        for device in range(6):
            taps = [
                services.TapInput(uuid.uuid4().hex, "in" if n % 4 else "out", 1)
                for n in range(count // 30)
            ]
            for start in range(0, len(taps), 500):
                services.record_taps(
                    event=event,
                    occurrence=event.starts_at,
                    device=f"phone-{device}",
                    taps=taps[start : start + 500],
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    prepare_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from events import services
    from events.models import Campaign

    started = time.perf_counter()
    big, small = make_event("bench-big"), make_event("bench-small")
    fill(big, BIG)
    fill(small, SMALL)
    campaigns = {}
    for label, size in (("bench-campaign", PER_EVENT), ("bench-campaign-small", SMALL)):
        import datetime as dt

        campaign = Campaign.objects.filter(slug=label).first() or services.save_campaign(
            campaign=Campaign(
                organization=big.organization,
                name=label,
                slug=label,
                starts_on=dt.date.today(),
                ends_on=dt.date.today(),
            )
        )
        zones = ["America/Toronto", "America/Vancouver", "America/Edmonton", "America/St_Johns"]
        for number in range(CAMPAIGN_EVENTS):
            event = make_event(f"{label}-{number}", campaign=campaign, zone=zones[number % 4])
            fill(event, size)
        campaigns[label] = campaign
    print(f"data ready in {time.perf_counter() - started:.0f} s")

    user, _ = get_user_model().objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(secure=True)  # production settings redirect plain HTTP
    client.force_login(user)
    print(f"PostgreSQL, {os.cpu_count()} cores shared with other work; {args.runs} runs each")
    print(f"{'page':48} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    pages = [
        (f"event dashboard, {SMALL} registrations", f"/dashboard/events/{small.pk}/"),
        (f"event dashboard, {BIG:,} registrations", f"/dashboard/events/{big.pk}/"),
        (
            f"campaign roll-up, 7 x {SMALL} registrations",
            "/dashboard/campaigns/bench-campaign-small/",
        ),
        (
            f"campaign roll-up, 7 x {PER_EVENT:,} registrations",
            "/dashboard/campaigns/bench-campaign/",
        ),
        (
            f"roll-up JSON refresh, 7 x {PER_EVENT:,}",
            "/dashboard/campaigns/bench-campaign/figures.json",
        ),
    ]
    for label, url in pages:
        median, worst, queries = measure(client, url, args.runs)
        print(f"{label:48} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
