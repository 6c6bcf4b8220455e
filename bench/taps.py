"""Marshals' taps per second through gunicorn + PostgreSQL, with exact totals.

Run by hand (not a test):  .venv/bin/python bench/taps.py [--seconds 10] [--devices 50]

Needs PostgreSQL (DATABASE_URL, default coord_headcount_bench). Starts
gunicorn, then 50 "phones" (threads, each with its own keep-alive connection
and device id) send taps as fast as the server answers: first one tap per
request, then batches of 10 (what a phone sends after the network returns).
Every fifth request is sent twice, as a phone retries when an answer is lost.
At the end the event's total must equal the number of distinct taps sent.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coord_headcount_bench")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench-static"))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DJANGO_MODE", "production")

PORT = 8097


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


def make_event_and_marshal():
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from attendance import services as attendance_services
    from events import services
    from events.models import Event, Organization, Venue

    organization, _ = Organization.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark"}
    )
    venue, _ = Venue.objects.get_or_create(
        organization=organization, name="Bench park", defaults={"city": "Toronto"}
    )
    starts = timezone.now() + dt.timedelta(hours=1)
    event = services.save_event(
        event=Event(
            organization=organization,
            venue=venue,
            title=f"taps {time.time_ns()}",
            kind=Event.Kind.RALLY,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            visibility=Event.Visibility.LISTED,
        )
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-marshal")
    attendance_services.assign_marshal(event=event, username="bench-marshal")
    token, _ = Token.objects.get_or_create(user=user)
    return event, token.key


def start_server(workers: int, threads: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(threads),
        "--backlog", "2048", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/hello/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def phone(path: str, token: str, seconds: float, per_request: int, results: list, start):
    """One device: send taps until time is up; count what the server acknowledged."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    device = uuid.uuid4().hex[:16]
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
    acknowledged, requests, failures = set(), 0, 0
    start.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        taps = [{"id": uuid.uuid4().hex, "direction": "in", "delta": 1} for _ in range(per_request)]
        body = json.dumps({"device": device, "taps": taps})
        for _attempt in range(2 if requests % 5 == 0 else 1):  # a lost answer: send again
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            requests += 1
            if response.status in (200, 201):
                acknowledged.update(tap["id"] for tap in taps)
            else:
                failures += 1
    connection.close()
    results.append((requests, len(acknowledged), failures))


def run(path: str, token: str, devices: int, seconds: float, per_request: int):
    results, start = [], threading.Barrier(devices + 1)
    threads = [
        threading.Thread(target=phone, args=(path, token, seconds, per_request, results, start))
        for _ in range(devices)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    requests = sum(r[0] for r in results)
    taps = sum(r[1] for r in results)
    failures = sum(r[2] for r in results)
    return requests, taps, failures, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    prepare_database()
    import django

    django.setup()
    from attendance import selectors
    from attendance.models import Tap

    server = start_server(args.workers, args.threads)
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL; "
        f"{os.cpu_count()} cores shared with other work (client runs here too); "
        f"{args.devices} devices, {args.seconds:.0f} s per run, every 5th request sent twice"
    )
    print(f"{'taps per request':>16} {'requests/s':>11} {'taps/s':>8} {'non-200':>8} {'exact':>6}")
    try:
        requests, _taps, failures, elapsed = run("/bench/hello/", "", args.devices, 3, 1)
        print(f"{'DRF hello (floor)':>16} {requests / elapsed:>11.0f} {'':>8} {failures:>8}")
        for per_request in (1, 10):
            event, token = make_event_and_marshal()
            path = f"/dashboard/events/{event.pk}/taps/"
            requests, taps, failures, elapsed = run(
                path, token, args.devices, args.seconds, per_request
            )
            stored = Tap.objects.filter(event=event).count()
            total = selectors.tally(event, event.starts_at).entries
            exact = stored == total == taps
            print(
                f"{per_request:>16} {requests / elapsed:>11.0f} {taps / elapsed:>8.0f} "
                f"{failures:>8} {'yes' if exact else 'NO':>6}"
            )
            print(f"{'':>16} {taps} distinct taps acknowledged, {stored} stored, total {total}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
