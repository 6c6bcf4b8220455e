"""Personal Zoom links for 1,000 registrations, against Zoom's Light rate limit.

Run by hand (not a test):  .venv/bin/python bench/zoom.py [--registrations 1000] [--workers 8]
    [--senders 4]

Starts the Zoom-compatible server of tests/zoom_server.py on loopback,
enforcing 30 requests a second (a token bucket of 30, like Zoom's Light limit
on Pro accounts), and a real django-q2 cluster (Redis broker and cache) that
runs the Zoom jobs. Publishes a standard online event with Zoom registration,
waits for its meeting, then registers people through the registration
service and measures the time until every one has a personal join link.
Prints it beside the time the rate limit alone allows for those requests.

Needs PostgreSQL and Redis on this machine (DATABASE_URL, REDIS_URL to point
elsewhere; the Redis database given is emptied first).
"""

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coord_zoom")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("REGISTRATION_RATE_LIMIT", "1000000000")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

RATE = 30


def prepare_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )


def empty_redis() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def start_cluster(workers: int) -> subprocess.Popen:
    environment = {**os.environ, "Q_WORKERS": str(workers), "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )


def stop_cluster(cluster: subprocess.Popen) -> None:
    os.killpg(cluster.pid, signal.SIGTERM)
    try:
        cluster.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait(timeout=10)


def wait_for(condition, *, timeout: float, step: float = 0.05) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise SystemExit("timed out")
        time.sleep(step)
    return time.monotonic()


def register(event, number: int) -> None:
    from django.db import connection

    from registrations import services as registration_services

    try:
        registration_services.register_attendee(
            event=event, name=f"Person {number}", email=f"person{number}@example.org"
        )
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8, help="qcluster worker processes")
    parser.add_argument("--senders", type=int, default=4, help="threads registering people")
    arguments = parser.parse_args()
    # A TERM (from timeout, say) still stops the cluster on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    # The server runs in its own process, as Zoom would: it shares no
    # interpreter lock with the people registering.
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.zoom_server", "--rate", str(RATE)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        zoom_settings = json.loads(server.stdout.readline())
        run(arguments, zoom_settings)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def ledger(zoom_settings: dict) -> dict:
    url = zoom_settings["ZOOM_OAUTH_URL"].replace("/oauth/token", "/_ledger")
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def run(arguments, zoom_settings: dict) -> None:
    count = arguments.registrations
    os.environ.update(zoom_settings)
    os.environ["ZOOM_REQUESTS_PER_SECOND"] = str(RATE)
    os.environ["ZOOM_RETRY_BACKOFF"] = "1,2,5,10,30"
    prepare_database()
    empty_redis()
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from events import services as event_services
    from events.models import Event, Organization
    from zoomsync.models import ZoomJob, ZoomMeeting, ZoomRegistrant

    cluster = start_cluster(arguments.workers)
    try:
        organization, _ = Organization.objects.get_or_create(
            slug="bench", defaults={"name": "Benchmark"}
        )
        starts = timezone.now() + dt.timedelta(days=7)
        event = event_services.save_event(
            event=Event(
                organization=organization,
                title=f"Legal clinic {time.time_ns()}",
                kind=Event.Kind.INFORMATION_SESSION,
                format=Event.Format.ONLINE,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                visibility=Event.Visibility.LISTED,
            )
        )
        wait_for(
            lambda: ZoomMeeting.objects.filter(event=event, meeting_id__isnull=False).exists(),
            timeout=60,
        )
        time.sleep(1.5)  # the server's bucket is full again
        calls_before = len(ledger(zoom_settings)["calls"])
        started = time.monotonic()
        # People register at once, as through several web processes.
        with ThreadPoolExecutor(max_workers=arguments.senders) as pool:
            list(pool.map(lambda number: register(event, number), range(count)))
        registered = time.monotonic()
        linked = ZoomRegistrant.objects.filter(registration__event=event).exclude(join_url="")
        finished = wait_for(
            lambda: linked.count() == count, timeout=count / RATE * 4 + 60, step=0.2
        )
        elapsed = finished - started
        summary = ledger(zoom_settings)
        calls = summary["calls"][calls_before:]
        limited = sum(status == 429 for _, _, status, _ in calls)
        floor = (len(calls) - limited - RATE) / RATE  # after the bucket's first burst
        plain = count / RATE
        print(f"{count} registrations stored in {registered - started:.1f} s")
        wall_start = time.time() - (time.monotonic() - started)
        per_five = collections.Counter(int((at - wall_start) // 5) for *_, at in calls)
        print(
            "Zoom requests per 5 s: " + " ".join(f"{per_five[i]}" for i in range(max(per_five) + 1))
        )
        print(
            f"all {count} personal links after {elapsed:.1f} s; the rate limit alone "
            f"allows {plain:.1f} s ({count} requests at {RATE}/s; {floor:.1f} s using "
            f"the server's initial burst of {RATE})"
        )
        print(
            f"ratio {elapsed / plain:.3f} (target <= 1.10); requests {len(calls)}, "
            f"429 answers {limited}, early calls {summary['early_calls']}, "
            f"jobs left {ZoomJob.objects.filter(event=event).count()}, "
            f"contract violations {len(summary['violations'])}"
        )
    finally:
        stop_cluster(cluster)


if __name__ == "__main__":
    main()
