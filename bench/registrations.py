"""Registrations per second through gunicorn + PostgreSQL + Redis.

Run by hand (not a test):  .venv/bin/python bench/registrations.py [--seconds 10]

Needs PostgreSQL and Redis on this machine (BENCH_DATABASE_URL, a database
whose name ends in _bench, dropped and created anew each run; REDIS_URL to
point elsewhere) and wrk. Prints, for 32 and 128 concurrent clients: a DRF "hello"
view (the floor), one hot event with a capacity, and one without; then the
seats confirmed against the capacity (overbooking must be 0).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.measure import cpu_seconds, start_gunicorn  # noqa: E402

# The benchmark drops and creates its database: never the one DATABASE_URL names.
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coordination_bench"
)
if not os.environ["DATABASE_URL"].endswith("_bench"):
    raise SystemExit("BENCH_DATABASE_URL must name a database ending in _bench.")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("REGISTRATION_RATE_LIMIT", "1000000000")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

PORT = 8099
CAPACITY = 1_500


def prepare_database() -> None:
    """A new, empty database for every run: figures do not depend on what
    earlier runs left behind (a larger table costs more per insert)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )


def make_event(title: str, capacity: int | None):
    import datetime as dt

    from django.utils import timezone

    from events import services
    from events.models import Event, Organization

    organization, _ = Organization.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark"}
    )
    starts = timezone.now() + dt.timedelta(days=7)
    event = Event(
        organization=organization,
        title=f"{title} {time.time_ns()}",
        kind=Event.Kind.ASSEMBLY,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=capacity,
        visibility=Event.Visibility.LISTED,
    )
    return services.save_event(event=event)


def wrk(path: str, connections: int, seconds: int, post: bool, server=None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if post:
        command += ["-s", str(ROOT / "bench" / "post.lua")]
    before = cpu_seconds(server) if server else (0.0, 0.0)
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    after = cpu_seconds(server) if server else (0.0, 0.0)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "web_cpu": 1000 * (after[0] - before[0]) / max(requests, 1),
        "db_cpu": 1000 * (after[1] - before[1]) / max(requests, 1),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(output, "50%"),
        "p99": latency(output, "99%"),
        "errors": int(re.search(r"Non-2xx or 3xx responses: (\d+)", output).group(1))
        if "Non-2xx" in output
        else 0,
        "requests": requests,
    }


def latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    # One process per core, threads for the waits on PostgreSQL and Redis
    # (config/gunicorn.py's defaults on this machine).
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    prepare_database()
    import django

    django.setup()
    from registrations.models import Registration, Seats

    server = start_gunicorn(PORT, args.workers, args.threads)
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL, Redis; "
        f"{os.cpu_count()} cores; {args.seconds} s per run"
    )
    print(
        f"{'scenario':34} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'non-2xx':>8} {'web CPU ms/req':>15} {'db CPU ms/req':>14}"
    )
    checks = []
    try:
        for connections in (32, 128):
            # Warm up (every thread's first registration prepares its
            # statement), on an event of its own.
            wrk("/bench/hello/", connections, 2, post=False)
            warm_up = make_event("warm-up", None)
            wrk(f"/api/events/{warm_up.pk}/registrations/", connections, 2, post=True)
            runs = [("DRF hello (floor)", "/bench/hello/", None, False)]
            hot = make_event("hot", CAPACITY)
            open_event = make_event("open", None)
            runs += [
                (f"hot event, capacity {CAPACITY:,}", f"/api/events/{hot.pk}/registrations/", hot, True),
                ("event without capacity", f"/api/events/{open_event.pk}/registrations/", open_event, True),
            ]  # fmt: skip
            for label, path, event, post in runs:
                result = wrk(path, connections, args.seconds, post, server)
                print(
                    f"{label:34} {connections:>7} {result['rps']:>8.0f} {result['p50']:>8.1f} "
                    f"{result['p99']:>8.1f} {result['errors']:>8} {result['web_cpu']:>15.2f} "
                    f"{result['db_cpu']:>14.2f}"
                )
                if event is not None:
                    checks.append((label, connections, event, result))
    finally:
        server.terminate()
        server.wait()
    print()
    for label, connections, event, result in checks:
        rows = Registration.objects.filter(event=event)
        confirmed = sum(rows.filter(status="confirmed").values_list("party_size", flat=True))
        waiting = rows.filter(status="waitlisted").count()
        seats = Seats.objects.get(pk=event.pk)
        over = max(0, confirmed - event.capacity) if event.capacity else 0
        print(
            f"{label} @ {connections}: {rows.count()} stored ({result['requests']} requests), "
            f"{confirmed} confirmed, {waiting} waiting, counter {seats.confirmed}, "
            f"overbooked by {over}"
        )


if __name__ == "__main__":
    main()
